/** Starts the outside observer of etcd writes and collects what it saw. */
import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {stopChild, timestampLines} from './bench-lab.js';

export type Write = {readonly at: number; readonly key: string; readonly value?: string; readonly deleted?: boolean};

export type WriteWatcher = {
	readonly writes: Write[];
	/** The first write after `since` that satisfies `holds`. */
	next(holds: (write: Write) => boolean, since: number, timeoutMs?: number): Promise<Write>;
	stop(): Promise<void>;
};

export async function watchWrites(endpoint: string, prefixes: readonly string[]): Promise<WriteWatcher> {
	const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'watch-writes.js');
	const child: ChildProcess = spawn(process.execPath, [script, endpoint, ...prefixes], {stdio: ['ignore', 'pipe', 'inherit']});
	const writes: Write[] = [];
	const waiters = new Set<() => void>();
	let ready: () => void;
	const isReady = new Promise<void>(resolve => (ready = resolve));
	timestampLines(child, line => {
		if (!line.trim()) return;
		const parsed = JSON.parse(line) as Write & {ready?: boolean};
		if (parsed.ready) return ready();
		writes.push(parsed);
		for (const waiter of waiters) waiter();
	});
	await isReady;
	return {
		writes,
		next(holds, since, timeoutMs = 30_000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = writes.find(write => write.at >= since && holds(write));
					if (!found) return;
					waiters.delete(check);
					clearTimeout(timer);
					resolve(found);
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error('no such etcd write was seen'));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		stop: () => stopChild(child),
	};
}
