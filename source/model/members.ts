import type {PatroniClusterMember} from '../clients/patroni-types.js';
import {isLeaderRole} from './roles.js';
import type {MemberContainer, MemberRow, RoleViews} from './snapshot-types.js';
import type {SourceStates} from './source-state.js';
import type {DcsMemberData, HaproxyServer, ReplicationRow} from './views.js';

/** HAProxy listener names that route to the primary or to replicas (ours, and the common conventions). */
const PRIMARY_LISTENER = /primary|master|leader|write|\brw\b/i;
const REPLICA_LISTENER = /replica|standby|read|\bro\b/i;

export function listenerKind(proxy: string): 'primary' | 'replica' | undefined {
	if (PRIMARY_LISTENER.test(proxy)) return 'primary';
	if (REPLICA_LISTENER.test(proxy)) return 'replica';
	return undefined;
}

export function isServerUp(server: HaproxyServer): boolean {
	return server.status.startsWith('UP') || server.status === 'DRAIN' || server.status === 'NOLB';
}

function haproxyRole(servers: readonly HaproxyServer[], member: string): RoleViews['haproxy'] {
	const own = servers.filter(server => server.server === member);
	if (own.length === 0) return undefined;
	if (own.some(server => listenerKind(server.proxy) === 'primary' && isServerUp(server))) return 'primary';
	if (own.some(server => listenerKind(server.proxy) === 'replica' && isServerUp(server))) return 'replica';
	return 'down';
}

export function hostPort(connUrl: string | undefined): {host?: string; port?: number} {
	if (!connUrl) return {};
	try {
		const url = new URL(connUrl);
		return {host: url.hostname, port: url.port ? Number(url.port) : 5432};
	} catch {
		return {};
	}
}

function numberOrUndefined(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function drawnRole(name: string, dcsLeader: string | undefined, restMember: PatroniClusterMember | undefined, isDcsSyncStandby: boolean): MemberRow['role'] {
	if (dcsLeader !== undefined) {
		if (name === dcsLeader) return restMember?.role === 'standby_leader' ? 'standby_leader' : 'leader';
	} else if (isLeaderRole(restMember?.role)) {
		return restMember?.role === 'standby_leader' ? 'standby_leader' : 'leader';
	}
	if (restMember?.role === 'sync_standby' || restMember?.role === 'quorum_standby') return 'sync_standby';
	if (restMember?.role === 'replica') return 'replica';
	// Without /cluster, the DCS's sync key still names the synchronous standbys (REST's sync_standby comes from it).
	if (!restMember && isDcsSyncStandby) return 'sync_standby';
	return restMember || dcsLeader !== undefined ? 'replica' : 'unknown';
}

function reasonText(reason: Record<string, unknown> | undefined): string | undefined {
	if (!reason) return undefined;
	return Object.entries(reason)
		.map(([parameter, change]) => {
			const {old_value: before, new_value: after} = (change ?? {}) as {old_value?: unknown; new_value?: unknown};
			return before === undefined ? parameter : `${parameter}: ${String(before)} → ${String(after)}`;
		})
		.join(', ');
}

export type MemberInputs = {
	readonly sources: SourceStates;
	readonly dcsMembers: ReadonlyMap<string, DcsMemberData>;
	readonly dcsLeader: string | undefined;
	/** Who the DCS's sync key names as synchronous standbys (synchronous_mode only). */
	readonly dcsSyncStandbys: ReadonlySet<string>;
	readonly replication: ReadonlyMap<string, ReplicationRow>;
	/** The container each member is proven to run in (container-match.ts), with what proved it. */
	readonly containers: Readonly<Record<string, MemberContainer | undefined>>;
};

/**
 * pg_stat_replication's row for `name` as the leader's own GET /patroni lists it (Patroni 1.6 on): the streaming
 * evidence when SQL did not answer for the leader, since /cluster says "running", not "streaming", before 3.0.3.
 */
function restReplication(sources: SourceStates, leader: string | undefined, name: string): {state?: string; sync_state?: string} | undefined {
	if (leader === undefined || sources.postgres.data?.members[leader]?.replication !== undefined) return undefined;
	const rows = sources.rest.data?.members[leader]?.status?.replication;
	return rows?.find(row => row['application_name'] === name) as {state?: string; sync_state?: string} | undefined;
}

/** A member key's state as Patroni shows it: Patroni 4 details a running replica by its replication state. */
function keyState(data: DcsMemberData | undefined): string | undefined {
	return data?.state === 'running' && data.replication_state ? data.replication_state : data?.state;
}

/**
 * While etcd answers, the watched member key is the freshest word on a member's state, as patronictl reads it:
 * REST's /cluster repeats the same key a poll later. With etcd failing, REST's answers are the fresher ones.
 */
function memberState(data: DcsMemberData | undefined, restState: string | undefined, isDcsLive: boolean): string | undefined {
	const fromKey = keyState(data);
	return isDcsLive && fromKey !== undefined ? fromKey : (restState ?? fromKey);
}

/** One row per member, merging what the DCS, the REST API, PostgreSQL, HAProxy and Docker say of it. */
export function memberRow(name: string, inputs: MemberInputs): MemberRow {
	const {sources} = inputs;
	const dcs = inputs.dcsMembers.get(name);
	const restMember = sources.rest.data?.cluster?.members.find(member => member.name === name);
	const restOwn = sources.rest.data?.members[name];
	const status = restOwn?.status;
	const postgres = sources.postgres.data?.members[name];
	const replication = inputs.replication.get(name);
	const restRow = restReplication(sources, inputs.dcsLeader, name);
	const address: {host?: string; port?: number} = restMember?.host ? {host: restMember.host, port: restMember.port} : hostPort(dcs?.conn_url);
	const roles: RoleViews = {
		dcs: dcs?.role,
		rest: status?.role ?? restMember?.role,
		postgres: postgres?.isInRecovery === undefined ? undefined : postgres.isInRecovery ? 'replica' : 'primary',
		haproxy: sources.haproxy.data ? haproxyRole(sources.haproxy.data.servers, name) : undefined,
	};
	const reason = reasonText(restMember?.pending_restart_reason ?? status?.pending_restart_reason);
	const restState = restMember?.state ?? status?.state;
	const scheduled = restMember?.scheduled_restart as {schedule?: string} | undefined;
	return {
		name,
		...address,
		apiUrl: restMember?.api_url ?? dcs?.api_url,
		role: drawnRole(name, inputs.dcsLeader, restMember, inputs.dcsSyncStandbys.has(name)),
		roles: withoutUndefined(roles),
		state: memberState(dcs, restState, sources.dcs.error === undefined),
		timeline:
			numberOrUndefined(restMember?.timeline) ??
			numberOrUndefined(status?.timeline) ??
			numberOrUndefined(postgres?.timeline) ??
			numberOrUndefined(dcs?.timeline),
		receiveLagBytes: replication?.flushLagBytes ?? numberOrUndefined(restMember?.receive_lag),
		replayLagBytes: replication?.replayLagBytes ?? numberOrUndefined(restMember?.replay_lag) ?? numberOrUndefined(restMember?.lag),
		receiveLagSeconds: replication?.flushLagSeconds ?? undefined,
		replayLagSeconds: replication?.replayLagSeconds ?? undefined,
		replicationState: replication?.state ?? restRow?.state,
		syncState: replication?.syncState ?? restRow?.sync_state,
		pendingRestart: Boolean(restMember?.pending_restart ?? status?.pending_restart ?? dcs?.pending_restart),
		pendingRestartReason: reason,
		scheduledRestart: scheduled?.schedule,
		tags: {...(dcs?.tags ?? {}), ...(restMember?.tags ?? status?.tags ?? {})},
		container: inputs.containers[name],
		isInDcs: dcs !== undefined,
		restError: restOwn?.error,
		postgresError: postgres?.error,
		postgresSsl: postgres?.ssl,
		version: dcs?.version ?? status?.patroni?.version,
	};
}

/** Drops undefined fields, so the snapshot (and --json) carries only what some source said. */
export function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
