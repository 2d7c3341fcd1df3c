import crypto from 'node:crypto';
import {closePostgres, connectPostgres, withPostgres, type PostgresConnection, type PostgresTarget} from '../clients/postgres.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {leaderOf, memberPostgres, readCluster} from './cluster-access.js';
import type {HostPort, OperationContext} from './context.js';
import {done, mutation, type Operation, step} from './operation.js';

export const REPLICATION_DATABASE = 'replicatest';

export type ReplicationCheckInput = {
	/** HAProxy's primary listener: the marker is written the way a client writes. Without it, to the leader itself. */
	readonly primary?: HostPort | undefined;
	/** How long a member may take to show the row (default 10 s). */
	readonly timeoutMs?: number;
};

export type MemberVisibility = {
	readonly name: string;
	readonly role: string;
	/** Milliseconds from the INSERT's acknowledgement until a SELECT on this member returned the row. */
	readonly visibleAfterMs?: number;
	readonly error?: string;
};

export type ReplicationCheckResult = {readonly word: string; readonly members: readonly MemberVisibility[]};

/** The course exercise's database and table, created when absent (CREATE DATABASE has no IF NOT EXISTS). */
async function ensureSchema(target: PostgresTarget, signal: AbortSignal): Promise<void> {
	await withPostgres({...target, database: 'postgres'}, async client => {
		const exists = await client.query('select 1 from pg_database where datname = $1', [REPLICATION_DATABASE]);
		if (exists.rowCount === 0) {
			await client.query(`create database ${REPLICATION_DATABASE}`).catch((error: {code?: string}) => {
				if (error.code !== '42P04') throw error; // created meanwhile by someone else: fine
			});
		}
	}, {}, signal);
	await withPostgres({...target, database: REPLICATION_DATABASE}, client =>
		client.query('create table if not exists words (id serial primary key, word text not null, added_at timestamptz not null default now())'),
	{}, signal);
}

/**
 * A connection to one member, opened and warmed (the first query on a connection loads catalog caches) before
 * the write, so that neither is counted as replication delay.
 */
async function openMember(target: PostgresTarget, deadline: number, signal: AbortSignal): Promise<PostgresConnection> {
	for (;;) {
		let client: PostgresConnection | undefined;
		try {
			client = await connectPostgres(target, {applicationName: 'patroni-tui-check'}, signal);
			await client.query('select 1 from words where word = $1', ['']);
			return client;
		} catch (error) {
			if (client) await closePostgres(client);
			// A replica knows the new database and table only once it has replayed their creation.
			if (Date.now() >= deadline || signal.aborted) throw error;
			await sleep(20, signal);
		}
	}
}

/** Writes a marker row through HAProxy (or to the leader) and times its arrival on every member, each read directly. */
export async function checkReplication(context: OperationContext, input: ReplicationCheckInput, signal = new AbortController().signal): Promise<ReplicationCheckResult> {
	const timeoutMs = input.timeoutMs ?? 10_000;
	const cluster = await readCluster(context, signal);
	const leader = leaderOf(cluster);
	const primary = input.primary ?? (leader?.host && leader.port ? {host: leader.host, port: leader.port} : undefined);
	if (!primary) throw new Error('No HAProxy primary listener is configured and no member holds the leader key: there is nowhere to write.');
	const through = {...primary, ...context.clients.postgres, database: REPLICATION_DATABASE};
	await ensureSchema(through, signal);
	const setupDeadline = Date.now() + timeoutMs;
	const opened = await Promise.all(
		cluster.members.map(member =>
			openMember(memberPostgres(context, member, REPLICATION_DATABASE), setupDeadline, signal).then(
				client => ({member, client}),
				(error: unknown) => ({member, error: errorMessage(error)}),
			),
		),
	);
	const word = `patroni-tui-${crypto.randomUUID()}`;
	try {
		await withPostgres(through, client => client.query('insert into words (word) values ($1)', [word]), {}, signal);
		const ackAt = performance.now();
		const members = await Promise.all(
			opened.map(async (entry): Promise<MemberVisibility> => {
				const base = {name: entry.member.name, role: entry.member.role};
				if ('error' in entry) return {...base, error: entry.error};
				while (performance.now() - ackAt < timeoutMs && !signal.aborted) {
					try {
						const found = await entry.client.query('select 1 from words where word = $1', [word]);
						if (found.rowCount) return {...base, visibleAfterMs: Math.round((performance.now() - ackAt) * 10) / 10};
					} catch (error) {
						return {...base, error: errorMessage(error)};
					}
					await sleep(2, signal);
				}
				return {...base, error: `the row did not appear within ${timeoutMs} ms`};
			}),
		);
		return {word, members};
	} finally {
		// A frozen member never answers pg's goodbye: each close has its grace, then the socket is destroyed.
		await Promise.all(opened.map(entry => ('client' in entry ? closePostgres(entry.client) : undefined)));
	}
}

/** The course's replication exercise as an operation: one step per member saying when it saw the row. */
export function replicationCheckOperation(context: OperationContext, input: ReplicationCheckInput): Operation {
	const through = input.primary ? 'through HAProxy' : 'on the leader';
	const title = `replication check: a row in ${REPLICATION_DATABASE}.words ${through}, read on every member`;
	return mutation(context.isReadOnly, title, REPLICATION_DATABASE, async function* (signal) {
		const result = await checkReplication(context, input, signal);
		if (signal.aborted) return yield done(false, `cancelled: the row "${result.word}" was written; not every member was read`);
		for (const member of result.members) {
			yield member.visibleAfterMs === undefined
				? step(`${member.name} (${member.role}): ${member.error}`, 'failed')
				: step(`${member.name} (${member.role}): row visible after ${member.visibleAfterMs} ms`);
		}
		const missing = result.members.filter(member => member.visibleAfterMs === undefined);
		yield done(missing.length === 0, missing.length === 0 ? `every member has the row "${result.word}"` : `no row on ${missing.map(member => member.name).join(', ')}`);
	});
}
