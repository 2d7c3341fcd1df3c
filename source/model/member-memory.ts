/**
 * What the monitor remembers of the members it has seen, so that the one member an engineer most needs to see is
 * not the one that vanishes: a member whose key left the DCS stays as lost, and a member whose REST API or
 * PostgreSQL stops answering keeps its last good values, each drawn greyed with its age. Pure.
 */
import type {MemberRow, RememberedValues, SeenAt} from './snapshot-types.js';
import type {SourceStates} from './source-state.js';

/** One member as last seen: when it was last registered, when its sources last answered, what it last showed. */
export type MemberTrace = {
	/** The last time the DCS listed it (what "last seen" says once it is lost). */
	readonly registeredAt: number;
	readonly restAt?: number;
	readonly sqlAt?: number;
	readonly values: RememberedValues;
};

/** By member name. Only members this monitor saw registered are in it. */
export type MemberMemory = Readonly<Record<string, MemberTrace>>;

export const EMPTY_MEMBER_MEMORY: MemberMemory = {};

const REMEMBERED_FIELDS = [
	'role',
	'state',
	'host',
	'port',
	'apiUrl',
	'timeline',
	'receiveLagBytes',
	'replayLagBytes',
	'receiveLagSeconds',
	'replayLagSeconds',
	'replicationState',
	'syncState',
] as const satisfies ReadonlyArray<keyof RememberedValues>;

/** A replica's own figures: a leader has none, so none are filled in for one. */
const REPLICA_FIELDS = new Set<keyof RememberedValues>(['receiveLagBytes', 'replayLagBytes', 'receiveLagSeconds', 'replayLagSeconds', 'replicationState', 'syncState']);

/**
 * Who is registered now, or undefined when that cannot be told (the DCS has not answered yet). Without a DCS source
 * (REST seeds only), REST's /cluster is the DCS as Patroni reads it.
 */
export function registeredNames(states: SourceStates, dcsNames: Iterable<string>): ReadonlySet<string> | undefined {
	if (states.dcs.isEnabled) return states.dcs.data ? new Set(dcsNames) : undefined;
	const cluster = states.rest.data?.cluster;
	return cluster ? new Set(cluster.members.map(member => member.name)) : undefined;
}

function currentValue(row: MemberRow, field: keyof RememberedValues): unknown {
	return field === 'role' && row.role === 'unknown' ? undefined : row[field];
}

/**
 * Values present now replace the remembered ones. A healthy member's missing value is truly gone (a replica promoted
 * has no lag any more); a failing member's is only unknown, so its last good value is kept.
 */
function mergedValues(old: RememberedValues | undefined, row: MemberRow, isHealthy: boolean): RememberedValues {
	const merged: Record<string, unknown> = isHealthy ? {} : {...old};
	for (const field of REMEMBERED_FIELDS) {
		const value = currentValue(row, field);
		if (value !== undefined) merged[field] = value;
	}
	return merged as RememberedValues;
}

type Answers = {readonly error?: string; readonly data?: {readonly members: Readonly<Record<string, {readonly error?: string}>>}};

/**
 * Whether the member's own answer is good in this build. An answer's `at` says since when it reads the same, so the
 * last build that found it good, not `at`, is when it last answered.
 */
function answers(source: Answers, name: string): boolean {
	const answer = source.data?.members[name];
	return source.error === undefined && answer !== undefined && answer.error === undefined;
}

function learn(memory: MemberMemory, rows: readonly MemberRow[], registered: ReadonlySet<string> | undefined, states: SourceStates, now: number): MemberMemory {
	const next: Record<string, MemberTrace> = {...memory};
	for (const row of rows) {
		const old = memory[row.name];
		// A row the DCS does not list speaks for other sources (HAProxy, a container): it says nothing of the member's
		// last registered self, which stays as it was.
		if (!registered?.has(row.name)) continue;
		const restAt = answers(states.rest, row.name) ? now : old?.restAt;
		const sqlAt = answers(states.postgres, row.name) ? now : old?.sqlAt;
		const isHealthy = row.restError === undefined && row.postgresError === undefined;
		next[row.name] = {
			registeredAt: now,
			...(restAt === undefined ? {} : {restAt}),
			...(sqlAt === undefined ? {} : {sqlAt}),
			values: mergedValues(old?.values, row, isHealthy),
		};
	}
	return next;
}

function seen(at: number, now: number): SeenAt {
	return {at, ageMs: Math.max(0, now - at)};
}

/** The trace's values in place of what the row lacks now; nothing when it lacks nothing the trace knows. */
function filledIn(trace: MemberTrace, row: MemberRow, isLost: boolean): RememberedValues | undefined {
	const role = isLost ? trace.values.role : row.role;
	const isLeader = role === 'leader' || role === 'standby_leader';
	const filled: Record<string, unknown> = {};
	for (const field of REMEMBERED_FIELDS) {
		const value = trace.values[field];
		if (value === undefined || (isLeader && REPLICA_FIELDS.has(field))) continue;
		// A lost member's current role is only a default (no source names it): its last known one is the one to draw.
		if (currentValue(row, field) === undefined || (isLost && field === 'role')) filled[field] = value;
	}
	return Object.keys(filled).length > 0 ? (filled as RememberedValues) : undefined;
}

function recalled(row: MemberRow, trace: MemberTrace | undefined, registered: ReadonlySet<string> | undefined, now: number): MemberRow {
	if (!trace) return row;
	const isLost = registered !== undefined && !registered.has(row.name);
	const isFailing = isLost || row.restError !== undefined || row.postgresError !== undefined;
	if (!isFailing) return row;
	const remembered = filledIn(trace, row, isLost);
	return {
		...row,
		...(isLost ? {lost: seen(trace.registeredAt, now)} : {}),
		...(row.restError !== undefined && trace.restAt !== undefined ? {restAnswered: seen(trace.restAt, now)} : {}),
		...(row.postgresError !== undefined && trace.sqlAt !== undefined ? {sqlAnswered: seen(trace.sqlAt, now)} : {}),
		...(remembered ? {remembered} : {}),
	};
}

/** A lost member no source lists any more: only what the monitor remembers of it. */
function absentRow(name: string): MemberRow {
	return {name, role: 'unknown', roles: {}, pendingRestart: false, tags: {}, isInDcs: false};
}

export type Remembered = {readonly memory: MemberMemory; readonly members: readonly MemberRow[]};

/**
 * (the memory so far, the rows the sources give now, who is registered now, now) → the memory with what these rows
 * show, and the rows to draw: each lost member kept (added back when no source lists it), each failing member's
 * missing values filled in from its last good ones. Sorted by name, as the rows come.
 */
export function rememberMembers(memory: MemberMemory, rows: readonly MemberRow[], states: SourceStates, registered: ReadonlySet<string> | undefined, now: number): Remembered {
	const next = learn(memory, rows, registered, states, now);
	const present = new Set(rows.map(row => row.name));
	const missing = registered === undefined ? [] : Object.keys(next).filter(name => !present.has(name)).map(absentRow);
	const members = [...rows, ...missing]
		.map(row => recalled(row, next[row.name], registered, now))
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return {memory: next, members};
}

/** The engineer dismissed a lost member: it is forgotten, and drawn again only when some source lists it. */
export function forgetMember(memory: MemberMemory, name: string): MemberMemory {
	if (!Object.hasOwn(memory, name)) return memory;
	return Object.fromEntries(Object.entries(memory).filter(([member]) => member !== name));
}
