/**
 * One namespace's keys split into its clusters, and what each cluster's keys say, read defensively: the keys of
 * a whole namespace hold whatever anyone wrote there, and nothing here may throw on it.
 */
import {hostPort} from './members.js';
import type {DcsKey, DcsMemberData} from './views.js';

/** A member key: its JSON object, or undefined when the value is no JSON object (written by someone else). */
export type FleetMember = {readonly name: string; readonly data: DcsMemberData | undefined};

/** What one scope's keys say, before any judgement. */
export type ScopeFacts = {
	readonly scope: string;
	readonly members: readonly FleetMember[];
	readonly leader: string | undefined;
	readonly config: Readonly<Record<string, unknown>> | undefined;
	/** The last timeline `history` lists (the current one is the next). */
	readonly lastHistoryTimeline: number | undefined;
	/** The leader's WAL position as the `status` key (Patroni 2.1+) or `optime/leader` (older) has it. */
	readonly optime: number | undefined;
	/** The `initialize` key: the database system identifier, which a standby cluster shares with its primary's. */
	readonly systemId: string | undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const finiteNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The key's JSON: what the source parsed, else parsed here (keys handed over by hand, e.g. from a recording). */
function json(key: DcsKey | undefined): unknown {
	if (!key) return undefined;
	if (key.parsed !== undefined) return key.parsed;
	if (!/^\s*[[{]/.test(key.value)) return undefined;
	try {
		return JSON.parse(key.value) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * Keys relative to the namespace ("billing/leader") by scope, each relative to its scope ("leader"). A key right
 * under the namespace ("billing", or "/x" from a doubled slash) belongs to no scope and is left out.
 */
export function keysByScope(keys: readonly DcsKey[]): Map<string, Map<string, DcsKey>> {
	const scopes = new Map<string, Map<string, DcsKey>>();
	for (const key of keys) {
		const slash = key.key.indexOf('/');
		if (slash <= 0 || slash === key.key.length - 1) continue;
		const scope = key.key.slice(0, slash);
		const own = scopes.get(scope) ?? new Map<string, DcsKey>();
		own.set(key.key.slice(slash + 1), {...key, key: key.key.slice(slash + 1)});
		scopes.set(scope, own);
	}
	return scopes;
}

function lastTimeline(history: unknown): number | undefined {
	if (!Array.isArray(history) || history.length === 0) return undefined;
	const last: unknown = history[history.length - 1];
	return Array.isArray(last) ? finiteNumber(last[0]) : undefined;
}

/** The optime/leader key is a bare number; a plain decimal only, so that garbage never turns into a position. */
function bareNumber(key: DcsKey | undefined): number | undefined {
	return key && /^\s*\d+\s*$/.test(key.value) ? finiteNumber(Number(key.value)) : undefined;
}

export function scopeFacts(scope: string, keys: ReadonlyMap<string, DcsKey>): ScopeFacts {
	const members: FleetMember[] = [];
	for (const [key, value] of keys) {
		const name = key.startsWith('members/') ? key.slice('members/'.length) : '';
		if (name === '' || name.includes('/')) continue;
		const data = json(value);
		members.push({name, data: isRecord(data) ? (data as DcsMemberData) : undefined});
	}
	members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const leader = keys.get('leader')?.value;
	const config = json(keys.get('config'));
	const status = json(keys.get('status'));
	return {
		scope,
		members,
		leader: leader === undefined || leader.trim() === '' ? undefined : leader,
		config: isRecord(config) ? config : undefined,
		lastHistoryTimeline: lastTimeline(json(keys.get('history'))),
		optime: (isRecord(status) ? finiteNumber(status['optime']) : undefined) ?? bareNumber(keys.get('optime/leader')),
		systemId: /^\s*\d+\s*$/.test(keys.get('initialize')?.value ?? '') ? keys.get('initialize')!.value.trim() : undefined,
	};
}

/** Where a standby cluster replicates from (`standby_cluster` in its config), host by host: Patroni takes a list. */
export type StandbyTarget = {readonly text: string; readonly addresses: readonly string[]};

export function standbyTarget(config: ScopeFacts['config']): StandbyTarget | undefined {
	const standby = config?.['standby_cluster'];
	if (!isRecord(standby)) return undefined;
	const host = standby['host'];
	if (typeof host !== 'string' || host.trim() === '') return undefined;
	const rawPort = standby['port'];
	const port = typeof rawPort === 'number' || (typeof rawPort === 'string' && rawPort.trim() !== '') ? String(rawPort).trim() : '5432';
	const hosts = host.split(',').map(one => one.trim()).filter(Boolean);
	return {text: `${host}:${port}`, addresses: hosts.map(one => `${one.toLowerCase()}:${port}`)};
}

export const hasStandbyConfig = (config: ScopeFacts['config']): boolean => isRecord(config?.['standby_cluster']);

/** "host:port" of every member's PostgreSQL, from its conn_url, as a standby_cluster section would name it. */
export function memberAddresses(facts: ScopeFacts): string[] {
	return facts.members.flatMap(member => {
		const conn = member.data?.conn_url;
		const {host, port} = hostPort(typeof conn === 'string' ? conn : undefined);
		// URL keeps an IPv6 host in brackets; a standby_cluster section names it without.
		return host === undefined ? [] : [`${host.replace(/^\[|\]$/g, '').toLowerCase()}:${port ?? 5432}`];
	});
}
