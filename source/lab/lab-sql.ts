/**
 * The two questions the lab's health check asks PostgreSQL: how many replicas stream from the leader, and which
 * server a connection (through HAProxy) reached. Without TLS they go through our PostgreSQL client; on a TLS lab,
 * whose pg_hba takes SSL only, through Debian's psql with sslmode=verify-full against the lab's CA: libpq itself, so
 * a healthy TLS lab is one that libpq's clients (psql, Patroni, pg_basebackup) get into with full verification.
 * The password goes in PGPASSWORD only.
 */
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {withPostgres} from '../clients/postgres.js';
import {LAB_HOST} from './lab-config.js';

const run = promisify(execFile);

export type ServedBy = {readonly port: number; readonly isInRecovery: boolean};

export type LabSql = {
	streamingReplicas(port: number): Promise<number>;
	servedBy(port: number): Promise<ServedBy | undefined>;
	/** Whether the server's WAL receiver streams (a standby leader from its primary). */
	isReceiving(port: number): Promise<boolean>;
};

const STREAMING = "select count(*) from pg_stat_replication where state = 'streaming'";
const RECEIVING = "select count(*) from pg_stat_wal_receiver where status = 'streaming'";
const SERVED_BY = 'select inet_server_port() as port, pg_is_in_recovery() as recovery';

export function postgresLabSql(password: string): LabSql {
	const superuser = (port: number) => ({host: LAB_HOST, port, user: 'postgres', password});
	return {
		streamingReplicas: port =>
			withPostgres(superuser(port), async client => Number((await client.query<{count: string}>(STREAMING)).rows[0]?.count ?? 0)),
		isReceiving: port =>
			withPostgres(superuser(port), async client => Number((await client.query<{count: string}>(RECEIVING)).rows[0]?.count ?? 0) > 0),
		servedBy: port =>
			withPostgres(superuser(port), async client => {
				const row = (await client.query<{port: number; recovery: boolean}>(SERVED_BY)).rows[0];
				return row && {port: row.port, isInRecovery: row.recovery};
			}),
	};
}

/** psql's one row as its fields (unaligned, tuples only): "15433|f". */
async function psqlRow(pgBinDir: string, port: number, password: string, ca: string, query: string): Promise<string[] | undefined> {
	const conninfo = `host=${LAB_HOST} port=${port} user=postgres dbname=postgres sslmode=verify-full sslrootcert=${ca} connect_timeout=2`;
	try {
		const {stdout} = await run(path.join(pgBinDir, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', query, conninfo], {
			env: {PATH: process.env['PATH'] ?? '/usr/bin:/bin', PGPASSWORD: password, PGAPPNAME: 'patroni-tui lab', LANG: 'C.UTF-8'},
			timeout: 5000,
		});
		const line = stdout.split('\n').find(Boolean);
		return line?.split('|');
	} catch (error) {
		// psql's own sentence ("connection to server at ... failed: ..."), which never holds the password.
		const said = ((error as {stderr?: string}).stderr ?? '').trim().replace(/^psql: error: /, '');
		throw new Error(said || (error as Error).message);
	}
}

export function psqlLabSql(pgBinDir: string, password: string, ca: string): LabSql {
	return {
		streamingReplicas: async port => Number((await psqlRow(pgBinDir, port, password, ca, STREAMING))?.[0] ?? 0),
		isReceiving: async port => Number((await psqlRow(pgBinDir, port, password, ca, RECEIVING))?.[0] ?? 0) > 0,
		servedBy: async port => {
			const [served, recovery] = (await psqlRow(pgBinDir, port, password, ca, SERVED_BY)) ?? [];
			return served === undefined ? undefined : {port: Number(served), isInRecovery: recovery === 't'};
		},
	};
}
