import {DEFAULT_THRESHOLDS, deriveAlerts, type Thresholds} from './alerts.js';
import {LABEL_LAB, LABEL_MEMBER} from './container-labels.js';
import type {InfraEndpoints} from './container-match.js';
import {matchContainers} from './containers.js';
import {hostPort, isServerUp, listenerKind, memberRow, withoutUndefined} from './members.js';
import {EMPTY_MEMBER_MEMORY, registeredNames, rememberMembers, type MemberMemory} from './member-memory.js';
import {isLeaderRole} from './roles.js';
import {standbyOf} from './standby.js';
import {SOURCE_NAMES, type ClusterSnapshot, type ClusterState, type ConfigWarning, type HistoryRow, type SourceHealth} from './snapshot-types.js';
import type {SourceStates} from './source-state.js';
import type {DcsMemberData, DcsView, ReplicationRow} from './views.js';

export type SnapshotOptions = {
	readonly scope: string;
	readonly now?: number;
	readonly thresholds?: Thresholds;
	/** A source whose last good data is older than this is stale (its heartbeat re-confirms data more often). */
	readonly staleAfterMs?: number;
	/** The etcd and HAProxy addresses the monitor uses: a container listening there is this cluster's. */
	readonly endpoints?: InfraEndpoints;
	readonly warnings?: readonly ConfigWarning[];
};

function dcsMembers(view: DcsView | undefined): Map<string, DcsMemberData> {
	const members = new Map<string, DcsMemberData>();
	for (const key of view?.keys ?? []) {
		if (!key.key.startsWith('members/')) continue;
		const parsed = key.parsed;
		members.set(key.key.slice('members/'.length), typeof parsed === 'object' && parsed !== null ? (parsed as DcsMemberData) : {});
	}
	return members;
}

function dcsValue(view: DcsView | undefined, key: string): unknown {
	return view?.keys.find(entry => entry.key === key)?.parsed;
}

/**
 * The members the sync key names: {"leader": "node1", "sync_standby": "node2"}, a comma-separated list since
 * Patroni 1.6's synchronous_node_count, and the same key in Patroni 4's quorum mode.
 */
function dcsSyncStandbys(view: DcsView | undefined): Set<string> {
	const sync = dcsValue(view, 'sync') as {sync_standby?: unknown} | undefined;
	const names = typeof sync?.sync_standby === 'string' ? sync.sync_standby.split(',') : [];
	return new Set(names.map(name => name.trim()).filter(name => name !== ''));
}

function sourceHealth(states: SourceStates, now: number, staleAfterMs: number): Record<(typeof SOURCE_NAMES)[number], SourceHealth> {
	const health = SOURCE_NAMES.map(name => {
		const state = states[name];
		const ageMs = state.updatedAt === undefined ? undefined : Math.max(0, now - state.updatedAt);
		const isStale = state.isEnabled && (ageMs === undefined || ageMs > staleAfterMs);
		return [name, withoutUndefined({name, isEnabled: state.isEnabled, offReason: state.offReason, updatedAt: state.updatedAt, ageMs, error: state.error, isStale})];
	});
	return Object.fromEntries(health) as Record<(typeof SOURCE_NAMES)[number], SourceHealth>;
}

function historyRows(states: SourceStates): HistoryRow[] {
	const lines = states.rest.data?.history ?? (dcsValue(states.dcs.data, 'history') as unknown[] | undefined) ?? [];
	return (Array.isArray(lines) ? lines : []).filter(Array.isArray).map(line => {
		const [timeline, lsn, reason, at, newLeader] = line as [number, number, string, string?, string?];
		return withoutUndefined({timeline, lsn, reason, at, newLeader});
	});
}

function memberNames(states: SourceStates, fromDcs: ReadonlyMap<string, unknown>, scope: string): string[] {
	const names = new Set<string>(fromDcs.keys());
	for (const member of states.rest.data?.cluster?.members ?? []) names.add(member.name);
	for (const name of Object.keys(states.rest.data?.members ?? {})) if (!name.includes('://')) names.add(name);
	for (const name of Object.keys(states.postgres.data?.members ?? {})) names.add(name);
	for (const server of states.haproxy.data?.servers ?? []) if (listenerKind(server.proxy)) names.add(server.server);
	// A container the lab labelled as one of this scope's members counts too: it may be running while its key is gone.
	for (const container of states.docker.data?.containers ?? []) {
		const member = container.labels[LABEL_MEMBER];
		if (member && container.labels[LABEL_LAB] === scope) names.add(member);
	}
	return [...names].sort();
}

/** Merges every source into one picture of the cluster and derives its alerts and overall state. Pure. */
export function buildSnapshot(states: SourceStates, options: SnapshotOptions): ClusterSnapshot {
	return buildRememberedSnapshot(states, options, EMPTY_MEMBER_MEMORY).snapshot;
}

/** The same, with what `memory` holds of the members seen before (member-memory.ts), and the memory brought up to date. */
export function buildRememberedSnapshot(states: SourceStates, options: SnapshotOptions, memory: MemberMemory): {readonly snapshot: ClusterSnapshot; readonly memory: MemberMemory} {
	const now = options.now ?? Date.now();
	const dcs = states.dcs.data;
	const fromDcs = dcsMembers(dcs);
	const cluster = states.rest.data?.cluster;
	const restLeader = cluster?.members.find(member => isLeaderRole(member.role))?.name;
	const dcsLeader = dcs?.leader;
	const leader = dcsLeader ?? (states.dcs.data ? undefined : restLeader);
	const haproxyPrimaries = (states.haproxy.data?.servers ?? [])
		.filter(server => listenerKind(server.proxy) === 'primary' && isServerUp(server))
		.map(server => server.server);
	const postgresPrimaries = Object.entries(states.postgres.data?.members ?? {})
		.filter(([, member]) => member.isInRecovery === false)
		.map(([name]) => name);
	const writer = leader && states.postgres.data?.members[leader]?.replication ? leader : postgresPrimaries[0];
	const replication = new Map<string, ReplicationRow>(
		(writer ? states.postgres.data?.members[writer]?.replication ?? [] : []).map(row => [row.applicationName, row]),
	);
	const refs = memberNames(states, fromDcs, options.scope).map(name => {
		const restMember = cluster?.members.find(member => member.name === name);
		const address = restMember?.host ? {host: restMember.host, port: restMember.port} : hostPort(fromDcs.get(name)?.conn_url);
		// A member whose key is gone (stopped) keeps the api_url the DCS last gave: its container's REST label is checked against it.
		return withoutUndefined({name, ...address, apiUrl: restMember?.api_url ?? fromDcs.get(name)?.api_url ?? memory[name]?.values.apiUrl});
	});
	const docker = matchContainers(states.docker.data?.containers ?? [], refs, {
		scope: options.scope,
		localAddresses: states.docker.data?.localAddresses ?? [],
		endpoints: options.endpoints ?? {etcd: [], haproxy: []},
	});
	const names = refs.map(ref => ref.name);
	const inputs = {sources: states, dcsMembers: fromDcs, dcsLeader: leader, dcsSyncStandbys: dcsSyncStandbys(dcs), replication, containers: docker.byMember};
	const current = names.map(name => withoutUndefined(memberRow(name, inputs)));
	const remembered = rememberMembers(memory, current, states, registeredNames(states, fromDcs.keys()), now);
	const {members} = remembered;
	const failover = dcsValue(dcs, 'failover') as {scheduled_at?: string; leader?: string; member?: string} | undefined;
	const config = dcsValue(dcs, 'config') as {pause?: boolean} | undefined;
	const base = withoutUndefined({
		scope: options.scope,
		at: now,
		leader,
		leaderBy: withoutUndefined({
			dcs: dcsLeader,
			rest: restLeader,
			haproxy: states.haproxy.data ? haproxyPrimaries : undefined,
			postgres: states.postgres.data ? postgresPrimaries : undefined,
		}),
		timeline: members.find(member => member.name === leader)?.timeline,
		isPaused: Boolean(cluster?.pause ?? config?.pause),
		scheduledSwitchover:
			cluster?.scheduled_switchover ??
			(failover?.scheduled_at ? withoutUndefined({at: failover.scheduled_at, from: failover.leader, to: failover.member}) : undefined),
		members,
		history: historyRows(states),
		dcsKeys: dcs?.keys ?? [],
		leaderTtlLeft: dcs?.leaderTtlLeft,
		backends: states.haproxy.data?.servers ?? [],
		containers: docker.infra,
		warnings: options.warnings?.length ? options.warnings : undefined,
		standby: standbyOf(states, leader, fromDcs),
		sources: sourceHealth(states, now, options.staleAfterMs ?? 10_000),
	});
	const alerts = deriveAlerts(base, options.thresholds ?? DEFAULT_THRESHOLDS);
	return {snapshot: {...base, alerts, state: clusterState(base, alerts)}, memory: remembered.memory};
}

function clusterState(base: Omit<ClusterSnapshot, 'alerts' | 'state'>, alerts: ClusterSnapshot['alerts']): ClusterState {
	if (!base.sources.dcs.updatedAt && !base.sources.rest.updatedAt) return 'unknown';
	if (base.isPaused) return 'paused';
	if (!base.leader) return 'no leader';
	return alerts.some(alert => alert.severity !== 'info') ? 'degraded' : 'healthy';
}
