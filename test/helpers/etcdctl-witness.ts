/** Debian's etcdctl, run as a separate program: an outside witness of what etcd holds (shares no code with source/). */
import {execFile, spawn} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** etcdctl with API version `api` against `endpoint` (http://127.0.0.1:port); its standard output. */
export async function etcdctl(api: '2' | '3', endpoint: string, args: readonly string[]): Promise<string> {
	const {stdout} = await run('etcdctl', [`--endpoints=${endpoint}`, ...args], {env: {...process.env, ETCDCTL_API: api}, timeout: 10_000});
	return stdout;
}

/** The value of one v3 key, or undefined when etcd holds no such key. */
export async function etcd3Value(endpoint: string, key: string): Promise<string | undefined> {
	const printed = await etcdctl('3', endpoint, ['get', key, '--print-value-only']);
	return printed === '' ? undefined : printed.replace(/\n$/, '');
}

/** A live `etcdctl watch` of one v3 key: each PUT's value with the moment etcdctl printed it. */
export type KeyWatch = {writes: Array<{at: number; value: string}>; stop(): void};

const READY_KEY = '/patroni-tui-test/watch-ready';

/**
 * Watches `key` with etcdctl in interactive mode and resolves once the watch is live: a second watch on a key
 * of the test's own (outside every cluster's prefix) is opened after it on the same stream, and the test's own
 * write to that key must come back first. No fixed head start, so a slow machine cannot miss the write.
 */
export async function watchKey(endpoint: string, key: string): Promise<KeyWatch> {
	const child = spawn('etcdctl', [`--endpoints=${endpoint}`, 'watch', '--interactive'], {env: {...process.env, ETCDCTL_API: '3'}});
	const writes: Array<{at: number; value: string}> = [];
	const lines: string[] = [];
	let partial = '';
	let scanned = 0;
	let ready!: () => void;
	const live = new Promise<void>(resolve => (ready = resolve));
	const readyValue = `ready-${process.pid}-${Date.now()}`;
	child.stdout.on('data', chunk => {
		const at = performance.now();
		const parts = (partial + String(chunk)).split('\n');
		partial = parts.pop() ?? '';
		lines.push(...parts);
		// etcdctl prints each event as three lines: PUT, the key, the value.
		for (; scanned + 2 < lines.length; scanned += 3) {
			if (lines[scanned] !== 'PUT') continue;
			if (lines[scanned + 1] === READY_KEY) {
				if (lines[scanned + 2] === readyValue) ready();
			} else writes.push({at, value: lines[scanned + 2]!});
		}
	});
	// stdin stays open: etcdctl ends its interactive watch when it closes.
	child.stdin.write(`watch ${key}\nwatch ${READY_KEY}\n`);
	const stop = () => {
		child.stdin.end();
		child.kill();
	};
	try {
		for (let attempt = 0; ; attempt++) {
			await etcdctl('3', endpoint, ['put', READY_KEY, readyValue]);
			const answered = await Promise.race([live.then(() => true), new Promise<boolean>(resolve => setTimeout(resolve, 500, false))]);
			if (answered) break;
			if (attempt === 20) throw new Error(`etcdctl's watch of ${key} did not come live in 10 s`);
		}
	} catch (error) {
		stop();
		throw error;
	} finally {
		await etcdctl('3', endpoint, ['del', READY_KEY]).catch(() => undefined);
	}
	return {writes, stop};
}
