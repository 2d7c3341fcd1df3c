import {isDeepStrictEqual} from 'node:util';
import type {IKeyValue} from 'etcd3';
import type {DcsKey, DcsView} from '../model/views.js';

/** A key as etcd v3 hands it over, reduced to plain strings so it can be recorded to JSON and replayed in tests. */
export type Etcd3Kv = {
	/** The full key, prefix included. */
	readonly key: string;
	readonly value: string;
	readonly modRevision: string;
	/** Decimal, as the client decodes int64s; "0" when the key has no lease. */
	readonly lease: string;
};

/** Where Patroni keeps all its clusters: `/<namespace>/`, whatever slashes the namespace was given with. */
export function namespacePrefix(namespace: string): string {
	const trimmed = namespace.replace(/^\/+|\/+$/g, '');
	return `/${trimmed ? `${trimmed}/` : ''}`;
}

/** Where Patroni keeps one cluster: `/<namespace>/<scope>/`. */
export function scopePrefix(namespace: string, scope: string): string {
	return `${namespacePrefix(namespace)}${scope}/`;
}

/** What a source watches: one scope, or with no scope every cluster of the namespace (one watch, not one per scope). */
export function watchedPrefix(namespace: string, scope: string | undefined): string {
	return scope === undefined ? namespacePrefix(namespace) : scopePrefix(namespace, scope);
}

export function kvFromEtcd(kv: IKeyValue): Etcd3Kv {
	return {key: kv.key.toString(), value: kv.value.toString(), modRevision: String(kv.mod_revision), lease: String(kv.lease || '0')};
}

/** etcdctl and Patroni's logs print lease ids in hex; etcd's int64 needs BigInt to survive the conversion. */
export function leaseHex(lease: string): string | undefined {
	return lease && lease !== '0' ? BigInt(lease).toString(16) : undefined;
}

/**
 * Only objects and arrays count as parsed JSON: scalars such as the `initialize` key (a 64-bit system id)
 * would come back from JSON.parse as a number that has lost its last digits.
 */
function parseJson(value: string): unknown {
	if (!/^\s*[[{]/.test(value)) return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return undefined;
	}
}

export function dcsKey(prefix: string, kv: Etcd3Kv): DcsKey {
	const parsed = parseJson(kv.value);
	const lease = leaseHex(kv.lease);
	return {
		key: kv.key.slice(prefix.length),
		value: kv.value,
		...(parsed === undefined ? {} : {parsed}),
		modRevision: kv.modRevision,
		...(lease ? {lease} : {}),
	};
}

export type ReadFacts = {readonly revision?: string; readonly leaderTtlLeft?: number};

/** The view of one scope: keys sorted, relative to the prefix; keys outside the prefix are ignored. */
export function dcsViewFromKeys(prefix: string, kvs: readonly Etcd3Kv[], facts: ReadFacts = {}): DcsView {
	const keys = kvs
		.filter(kv => kv.key.startsWith(prefix) && kv.key.length > prefix.length)
		.map(kv => dcsKey(prefix, kv))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const leader = keys.find(key => key.key === 'leader')?.value;
	return {
		api: 'etcd3',
		prefix,
		keys,
		...(leader === undefined ? {} : {leader}),
		...(facts.leaderTtlLeft === undefined ? {} : {leaderTtlLeft: facts.leaderTtlLeft}),
		...(facts.revision === undefined ? {} : {revision: facts.revision}),
	};
}

/** Same content: the read revision and the leader's TTL move on their own, without anything in the scope changing. */
export function sameDcsContent(a: DcsView, b: DcsView): boolean {
	return a.prefix === b.prefix && a.leader === b.leader && isDeepStrictEqual(a.keys, b.keys);
}

export type KeyChange = {readonly type: 'put' | 'delete'; readonly kv: Etcd3Kv};

/**
 * Applies watched changes to the keys of a read at `revision`. Changes at or below it are already in the read
 * (a heartbeat re-read can overtake events still on their way), so they are skipped, never applied twice.
 */
export function applyChanges(keys: ReadonlyMap<string, Etcd3Kv>, revision: string, changes: readonly KeyChange[]) {
	const next = new Map(keys);
	let latest = BigInt(revision);
	for (const {type, kv} of changes) {
		const at = BigInt(kv.modRevision);
		if (at <= BigInt(revision)) continue;
		if (type === 'put') next.set(kv.key, kv);
		else next.delete(kv.key);
		if (at > latest) latest = at;
	}
	return {keys: next, revision: latest.toString()};
}
