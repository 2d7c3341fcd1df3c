/**
 * Keys we write into the lab's etcd ourselves: one synthetic member under the live scope (never the live
 * leader key: Patroni would fight it), and whole synthetic scopes that no Patroni reads.
 */
import {Etcd3} from 'etcd3';

export const NAMESPACE = '/service/';
/** Sorts after node1..3 and can never be elected: Patroni leaves it alone. */
export const SYNTHETIC_MEMBER = 'zbench';
export const LEADER_SCOPE = 'benchsyn';
export const BIG_SCOPE = 'benchbig';

export function etcdClient(endpoint: string): Etcd3 {
	return new Etcd3({hosts: endpoint});
}

/** A member key as Patroni 3 writes it, minus the addresses: nobody will try to reach it. */
export function memberValue(name: string, state: string, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		state,
		role: 'replica',
		version: '3.0.2',
		timeline: 1,
		xlog_location: 50_331_648,
		tags: {nofailover: true, noloadbalance: true, nosync: true, clonefrom: false},
		name,
		...extra,
	});
}

export const key = (scope: string, rest: string) => `${NAMESPACE}${scope}/${rest}`;

export async function deleteScope(client: Etcd3, scope: string): Promise<void> {
	await client.delete().prefix(key(scope, ''));
}

/** A scope with `members` members, one of them holding the (lease-less) leader key, and the usual keys. */
export async function writeScope(client: Etcd3, scope: string, members: readonly string[], fillerKeys = 0): Promise<void> {
	await deleteScope(client, scope);
	const values: Array<[string, string]> = [
		['config', JSON.stringify({ttl: 15, loop_wait: 2, retry_timeout: 5, postgresql: {use_pg_rewind: true}})],
		['initialize', '7300000000000000000'],
		['status', JSON.stringify({optime: 50_331_648, slots: {}})],
		['history', JSON.stringify([[1, 50_331_648, 'no recovery target specified', '2026-01-01T00:00:00+00:00', members[0]]])],
		['leader', members[0]!],
		...members.map((name): [string, string] => [`members/${name}`, memberValue(name, 'running')]),
		...Array.from({length: fillerKeys}, (_, index): [string, string] => [`filler/${String(index).padStart(4, '0')}`, JSON.stringify({at: index, by: members[index % members.length]})]),
	];
	// In batches: thousands of concurrent puts would only queue behind each other.
	for (let index = 0; index < values.length; index += 100) {
		await Promise.all(values.slice(index, index + 100).map(async ([name, value]) => client.put(key(scope, name)).value(value).exec()));
	}
}
