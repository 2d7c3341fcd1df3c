import type {DcsKey, DcsView} from '../model/views.js';
import {dcsKey} from './etcd3-view.js';

/** A node of etcd's v2 keyspace as its HTTP API answers: a directory (with `nodes`) or a key (with `value`). */
export type Etcd2Node = {
	readonly key: string;
	readonly value?: string;
	readonly dir?: boolean;
	readonly nodes?: readonly Etcd2Node[];
	/** Seconds left at the moment etcd answered; only on keys written with a TTL (leader, members). */
	readonly ttl?: number;
	readonly expiration?: string;
	readonly modifiedIndex: number;
	readonly createdIndex: number;
};

/** One answer of a watch (`?wait=true`): what happened to which node. */
export type Etcd2Event = {readonly action: string; readonly node: Etcd2Node; readonly prevNode?: Etcd2Node};

/** etcd's v2 error body, e.g. {errorCode: 100, message: "Key not found"} or 401 "event index cleared". */
export type Etcd2Error = {readonly errorCode: number; readonly message: string; readonly cause?: string; readonly index?: number};

/** The scope's keys (full key → node) at etcd index `index`. */
export type Etcd2State = {readonly keys: ReadonlyMap<string, Etcd2Node>; readonly index: number};

/** etcd's codes: no such key (the scope is not bootstrapped yet), and a watch index older than etcd's history. */
export const KEY_NOT_FOUND = 100;
export const EVENT_INDEX_CLEARED = 401;

/** Every key below `node`, directories flattened away: Patroni's `members/` is a directory in v2, a prefix in v3. */
export function leafNodes(node: Etcd2Node | undefined): Etcd2Node[] {
	if (!node) return [];
	return node.dir ? (node.nodes ?? []).flatMap(leafNodes) : [node];
}

export function stateFromRead(node: Etcd2Node | undefined, index: number): Etcd2State {
	return {keys: new Map(leafNodes(node).map(leaf => [leaf.key, leaf])), index};
}

const DELETES = new Set(['delete', 'compareAndDelete', 'expire']);

/**
 * Applies one watched event. A delete or expiry of a directory (`patronictl remove`) takes every key below it.
 * Events at or below the read's index are already in it and skipped; the index moves on to the event's.
 */
export function applyEtcd2Event(state: Etcd2State, event: Etcd2Event): Etcd2State {
	const at = event.node.modifiedIndex;
	if (at <= state.index) return state;
	const keys = new Map(state.keys);
	if (DELETES.has(event.action)) {
		for (const key of keys.keys()) if (key === event.node.key || key.startsWith(`${event.node.key}/`)) keys.delete(key);
	} else {
		for (const leaf of leafNodes(event.node)) keys.set(leaf.key, leaf);
	}
	return {keys, index: at};
}

/** Same key naming and parsing as the v3 view; the key's TTL in place of a lease. */
function etcd2Key(prefix: string, node: Etcd2Node): DcsKey {
	const key = dcsKey(prefix, {key: node.key, value: node.value ?? '', modRevision: String(node.modifiedIndex), lease: '0'});
	return node.ttl === undefined ? key : {...key, ttlLeft: node.ttl};
}

/** The view of one scope: keys sorted, relative to the prefix; keys outside the prefix are ignored. */
export function dcsViewFromEtcd2(prefix: string, state: Etcd2State): DcsView {
	const keys = [...state.keys.values()]
		.filter(node => node.key.startsWith(prefix) && node.key.length > prefix.length)
		.map(node => etcd2Key(prefix, node))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const leader = keys.find(key => key.key === 'leader');
	return {
		api: 'etcd2',
		prefix,
		keys,
		...(leader === undefined ? {} : {leader: leader.value}),
		...(leader?.ttlLeft === undefined ? {} : {leaderTtlLeft: leader.ttlLeft}),
		revision: String(state.index),
	};
}

/**
 * Same content: Patroni on v2 rewrites the leader and every member key each loop (a TTL refresh, where v3 only
 * renews a lease), so the index and TTLs move every few seconds while nothing in the scope has changed.
 */
export function sameEtcd2Content(a: DcsView, b: DcsView): boolean {
	if (a.prefix !== b.prefix || a.leader !== b.leader || a.keys.length !== b.keys.length) return false;
	return a.keys.every((key, index) => key.key === b.keys[index]!.key && key.value === b.keys[index]!.value);
}
