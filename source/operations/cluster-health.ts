import type {PatroniClusterMember, PatroniStatus} from '../clients/patroni-types.js';
import {withPostgres} from '../clients/postgres.js';
import {sleep} from '../async.js';
import {leaderOf, memberApi, memberPostgres, parseLsn, readCluster} from './cluster-access.js';
import type {OperationContext} from './context.js';

export type Replication = {readonly state: string; readonly replayLsn?: bigint};

/** The cluster at one moment, from live sources only: /cluster for who is who, each member's own /patroni, the leader's pg. */
export type ClusterHealth = {
	readonly members: readonly PatroniClusterMember[];
	readonly leader?: PatroniClusterMember;
	readonly statuses: ReadonlyMap<string, PatroniStatus>;
	/** pg_stat_replication on the leader, by application_name (Patroni uses the member's name). */
	readonly replication: ReadonlyMap<string, Replication>;
	readonly leaderLsn?: bigint;
	/** Why this isn't a cluster where every member runs and every replica streams; empty when it is. */
	readonly problems: readonly string[];
};

export async function clusterHealth(context: OperationContext, signal?: AbortSignal): Promise<ClusterHealth> {
	const cluster = await readCluster(context, signal);
	const leader = leaderOf(cluster);
	const problems: string[] = [];
	const statuses = new Map<string, PatroniStatus>();
	// /cluster's member states are the DCS copy, a loop behind; a member's own GET /patroni says what is true now.
	await Promise.all(
		cluster.members.map(async member => {
			try {
				const status = await memberApi(context, member).status(AbortSignal.any([AbortSignal.timeout(2000), ...(signal ? [signal] : [])]));
				statuses.set(member.name, status);
				if (status.state !== 'running') problems.push(`${member.name} is ${status.state ?? 'in an unknown state'}`);
			} catch (error) {
				problems.push(`${member.name}'s REST API does not answer (${(error as Error).message})`);
			}
		}),
	);
	const replication = new Map<string, Replication>();
	let leaderLsn: bigint | undefined;
	if (!leader) problems.push('no member holds the leader lock');
	else {
		try {
			await withPostgres(memberPostgres(context, leader), async client => {
				const current = await client.query<{lsn: string; recovery: boolean}>('select pg_current_wal_lsn()::text as lsn, pg_is_in_recovery() as recovery');
				if (current.rows[0]?.recovery !== false) throw new Error('it is still in recovery');
				leaderLsn = parseLsn(current.rows[0].lsn);
				const rows = await client.query<{name: string; state: string; replay: string | null}>('select application_name as name, state, replay_lsn::text as replay from pg_stat_replication');
				for (const row of rows.rows) replication.set(row.name, {state: row.state, ...(row.replay ? {replayLsn: parseLsn(row.replay)} : {})});
			}, {}, signal);
		} catch (error) {
			problems.push(`the leader ${leader.name}'s PostgreSQL does not answer as a primary (${(error as Error).message})`);
		}
		for (const member of cluster.members) {
			if (member.name === leader.name || leaderLsn === undefined) continue;
			const state = replication.get(member.name)?.state;
			if (state !== 'streaming') problems.push(`${member.name} is ${state ? `in replication state ${state}` : `not connected to ${leader.name}`}`);
		}
	}
	return {members: cluster.members, leader, statuses, replication, leaderLsn, problems};
}

export class WaitTimeout extends Error {
	override name = 'WaitTimeout';
}

/**
 * Polls until `check` returns a value, or throws after `timeoutMs` with the last reason it gave. A check says
 * why not yet by returning a string in `why` (or by throwing).
 */
export async function waitUntil<T>(what: string, check: () => Promise<{value: T} | {why: string}>, signal: AbortSignal, timeoutMs: number, pollMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let why = 'no answer yet';
	while (!signal.aborted) {
		try {
			const result = await check();
			if ('value' in result) return result.value;
			why = result.why;
		} catch (error) {
			why = (error as Error).message;
		}
		if (Date.now() >= deadline) throw new WaitTimeout(`${what}: not within ${Math.round(timeoutMs / 1000)} s — ${why}`);
		await sleep(pollMs, signal);
	}
	throw new Error(`cancelled while waiting for ${what}`);
}

/** Every member running, every replica streaming from the leader: nothing else may be taken down before this. */
export function waitHealthy(context: OperationContext, signal: AbortSignal, timeoutMs: number): Promise<ClusterHealth> {
	return waitUntil<ClusterHealth>(
		'every member running and every replica streaming',
		async () => {
			const health = await clusterHealth(context, signal);
			return health.problems.length === 0 ? {value: health} : {why: health.problems.join('; ')};
		},
		signal,
		timeoutMs,
	);
}

/**
 * A member is back when its Patroni says running in the expected role; a replica also when it streams from the
 * leader and has replayed everything the leader had written when we first saw it streaming, and answers SQL itself.
 */
export async function waitCaughtUp(context: OperationContext, name: string, role: 'leader' | 'replica', signal: AbortSignal, timeoutMs: number): Promise<void> {
	let target: bigint | undefined;
	await waitUntil(
		`${name} running as ${role}${role === 'replica' ? ', streaming and caught up' : ''}`,
		async () => {
			const health = await clusterHealth(context, signal);
			const member = health.members.find(candidate => candidate.name === name);
			const state = health.statuses.get(name)?.state;
			if (!member || state !== 'running') return {why: `${name} is ${state ?? 'not answering'}`};
			if (role === 'leader') return health.leader?.name === name && health.leaderLsn !== undefined ? {value: true} : {why: `${name} is not the leader answering as primary yet`};
			const replication = health.replication.get(name);
			if (replication?.state !== 'streaming' || health.leaderLsn === undefined) return {why: `${name} is not streaming yet`};
			target ??= health.leaderLsn;
			if ((replication.replayLsn ?? 0n) < target) return {why: `${name} has replayed ${replication.replayLsn ?? 'nothing'} of ${target} bytes`};
			const inRecovery = await withPostgres(memberPostgres(context, member), async client => (await client.query<{r: boolean}>('select pg_is_in_recovery() as r')).rows[0]?.r, {}, signal);
			return inRecovery ? {value: true} : {why: `${name} answers SQL but not as a replica`};
		},
		signal,
		timeoutMs,
	);
}
