import type {DcsKey, DcsView} from '../model/views.js';
import type {Etcd2Event, Etcd2Node} from '../clients/etcd2.js';
import {dcsKey} from './etcd3-view.js';

/** The scope's keys (full key → node) at etcd index `index`. */
export type Etcd2State = {readonly keys: ReadonlyMap<string, Etcd2Node>; readonly index: number};

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
