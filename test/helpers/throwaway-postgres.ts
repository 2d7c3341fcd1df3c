/**
 * A throwaway PostgreSQL 15 of a test's own on 127.0.0.1 (Debian's binaries, a temporary data directory, trust
 * auth, fsync off), stopped by its pid and its directory removed. `isAvailable` is false where Debian's
 * PostgreSQL 15 is not installed: tests skip then.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';
export const isAvailable = fs.existsSync(path.join(BIN, 'initdb'));

export type ThrowawayPostgres = {
	readonly port: number;
	/** The postmaster's pid (a test may SIGSTOP it, as a frozen member). */
	readonly pid: number;
	/** One statement as the superuser through the pg package directly (no code of source/). */
	readonly sql: <Row extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<Row[]>;
	readonly stop: () => Promise<void>;
};

// initdb and postgres refuse to run as root: as the postgres user then, through setpriv, which execs (same pid).
const asOwner = (command: string, args: string[]) =>
	(process.getuid?.() === 0 ? (['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]] as const) : ([command, args] as const));

export async function startThrowawayPostgres(port: number): Promise<ThrowawayPostgres> {
	const dir = ownedTempDir();
	const data = path.join(dir, 'data');
	const [initdb, initArgs] = asOwner(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions']);
	const init = spawnSync(initdb, initArgs, {encoding: 'utf8'});
	if (init.status !== 0) throw new Error(`initdb: ${init.stderr}`);
	return startPostmaster(dir, data, port);
}

/**
 * A streaming replica of a throwaway primary on another port: pg_basebackup -R (initdb's trust rules let
 * replication in from 127.0.0.1), then the postmaster on the copy, in recovery.
 */
export async function startThrowawayReplica(primary: ThrowawayPostgres, port: number): Promise<ThrowawayPostgres> {
	const dir = ownedTempDir();
	const data = path.join(dir, 'data');
	const [basebackup, args] = asOwner(path.join(BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
	const copy = spawnSync(basebackup, args, {encoding: 'utf8', timeout: 60_000});
	if (copy.status !== 0) throw new Error(`pg_basebackup: ${copy.stderr}`);
	return startPostmaster(dir, data, port);
}

function ownedTempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-throwaway-'));
	if (process.getuid?.() === 0) spawnSync('chown', ['postgres:postgres', dir]);
	return dir;
}

async function startPostmaster(dir: string, data: string, port: number): Promise<ThrowawayPostgres> {
	const [postgres, args] = asOwner(path.join(BIN, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'shared_buffers=16MB']);
	const postmaster: ChildProcess = spawn(postgres, args, {stdio: 'ignore'});
	const sql = async <Row extends Record<string, unknown>>(text: string, values: unknown[] = []) => {
		const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000, query_timeout: 5000});
		client.on('error', () => undefined);
		try {
			await client.connect();
			return (await client.query<Row>(text, values)).rows;
		} finally {
			await client.end().catch(() => undefined);
		}
	};
	const stop = async () => {
		if (postmaster.pid && postmaster.exitCode === null) {
			const exited = new Promise(resolve => postmaster.once('exit', resolve));
			process.kill(postmaster.pid, 'SIGQUIT'); // immediate shutdown: its backends go with it
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([exited, new Promise(resolve => (timer = setTimeout(resolve, 3000)))]);
			clearTimeout(timer);
			if (postmaster.exitCode === null) process.kill(postmaster.pid, 'SIGKILL');
		}
		fs.rmSync(dir, {recursive: true, force: true});
	};
	const deadline = Date.now() + 15_000;
	for (;;) {
		if (await sql('select 1').then(() => true, () => false)) return {port, pid: postmaster.pid!, sql, stop};
		if (Date.now() >= deadline || postmaster.exitCode !== null) {
			await stop();
			throw new Error(`the throwaway PostgreSQL on ${port} did not start`);
		}
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
