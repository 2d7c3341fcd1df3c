/**
 * A throwaway etcd 3.4 of a test's own on 127.0.0.1 (Debian's /usr/bin/etcd, a temporary data directory),
 * optionally with a root user and auth enabled, restartable on the same data, stopped by its pid and its
 * directory removed. Written with child_process and etcdctl only: no code of source/.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
export const isAvailable = fs.existsSync('/usr/bin/etcd') && fs.existsSync('/usr/bin/etcdctl');

export type ThrowawayEtcdOptions = {
	readonly clientPort: number;
	readonly peerPort: number;
	/** Flags added to etcd's own, e.g. ['--auth-token-ttl', '2']. */
	readonly extraArgs?: readonly string[];
	/** Adds user root with this password and enables auth once etcd answers. */
	readonly rootPassword?: string;
};

export type ThrowawayEtcd = {
	readonly endpoint: string;
	/** etcdctl v3 against it, as root when a root password was given (in etcdctl's environment, not its arguments). */
	readonly etcdctl: (args: readonly string[]) => Promise<string>;
	/** Stops etcd and starts it again on the same data directory; resolves once it answers. */
	readonly restart: () => Promise<void>;
	readonly stop: () => Promise<void>;
};

// A process killed by a signal keeps exitCode null: signalCode says it is gone.
const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function startThrowawayEtcd(options: ThrowawayEtcdOptions): Promise<ThrowawayEtcd> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-throwaway-'));
	const client = `http://127.0.0.1:${options.clientPort}`;
	const peer = `http://127.0.0.1:${options.peerPort}`;
	const args = ['--name', 'throwaway', '--data-dir', path.join(dir, 'data'), '--listen-client-urls', client, '--advertise-client-urls', client,
		'--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `throwaway=${peer}`, ...(options.extraArgs ?? [])];
	let child: ChildProcess | undefined;
	let hasAuth = false;

	const etcdctl = async (ctlArgs: readonly string[]) => {
		const user = hasAuth && options.rootPassword !== undefined ? {ETCDCTL_USER: 'root', ETCDCTL_PASSWORD: options.rootPassword} : {};
		const {stdout} = await run('etcdctl', [`--endpoints=${client}`, '--dial-timeout=1s', '--command-timeout=3s', ...ctlArgs], {env: {...process.env, ETCDCTL_API: '3', ...user}, timeout: 10_000});
		return stdout;
	};
	const stopProcess = async () => {
		const running = child;
		child = undefined;
		if (!running?.pid || hasExited(running)) return;
		const exited = new Promise(resolve => running.once('exit', resolve));
		process.kill(running.pid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([exited, new Promise(resolve => (timer = setTimeout(resolve, 5000)))]);
		clearTimeout(timer);
		if (!hasExited(running)) process.kill(running.pid, 'SIGKILL');
	};
	const startProcess = async () => {
		const started = spawn('/usr/bin/etcd', args, {stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'etcd.log'), 'a')]});
		child = started;
		const deadline = Date.now() + 15_000;
		for (;;) {
			if (await etcdctl(['endpoint', 'health']).then(() => true, () => false)) return;
			if (Date.now() >= deadline || hasExited(started)) throw new Error(`the throwaway etcd on ${options.clientPort} did not start`);
			await new Promise(resolve => setTimeout(resolve, 100));
		}
	};
	const stop = async () => {
		await stopProcess();
		fs.rmSync(dir, {recursive: true, force: true});
	};

	try {
		await startProcess();
		if (options.rootPassword !== undefined) {
			// etcdctl reads the new user's password from its argument only; this is a test's throwaway password.
			await etcdctl(['user', 'add', `root:${options.rootPassword}`]);
			await etcdctl(['auth', 'enable']);
			hasAuth = true;
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		endpoint: client,
		etcdctl,
		async restart() {
			await stopProcess();
			await startProcess();
		},
		stop,
	};
}
