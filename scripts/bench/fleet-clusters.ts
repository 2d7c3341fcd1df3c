/**
 * The fleet phase's synthetic clusters: many scopes of three members, written the way Patroni 3.0.2 writes them
 * to etcd v3 (test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json was recorded from it): each member's key on a
 * lease of its own, kept alive as Patroni keeps it; the leader key on its holder's lease; config, initialize,
 * status and history without one. No Patroni reads them, and the addresses in them are never listened on.
 */
import type {Etcd3, Lease} from 'etcd3';
import {sleep} from './stats.js';
import {key} from './synthetic.js';

export const FLEET_PREFIX = 'fleet';
export const FLEET_MEMBERS = ['pg-1', 'pg-2', 'pg-3'] as const;
/** Patroni's defaults: members' leases live ttl seconds, refreshed every loop_wait. */
const TTL_SECONDS = 30;
const START_LSN = 67_108_864;
/** Between the old leader letting the key go and the new one taking it: what a real switchover took in the lab. */
const LEADERLESS_MS = 100;

export const fleetScope = (index: number) => `${FLEET_PREFIX}${String(index).padStart(3, '0')}`;

type Cluster = {
	readonly scope: string;
	readonly index: number;
	readonly leases: ReadonlyMap<string, Lease>;
	leader: string;
	timeline: number;
	lsn: number;
	history: Array<[number, number, string, string, string]>;
};

export type FleetClusters = {
	readonly scopes: () => readonly string[];
	/** Writes clusters until there are `count` (fleet001 .. fleetNNN). */
	grow(count: number): Promise<void>;
	leaderOf(scope: string): string;
	/** Who a switchover in `scope` hands the leader key to: the next member round the three. */
	nextLeader(scope: string): string;
	/** A switchover in `scope` to the next member; resolves with the new leader once its leader key is written. */
	switchover(scope: string): Promise<{from: string; to: string}>;
	/** Deletes every scope written here and revokes the leases. */
	remove(): Promise<void>;
};

/** A member key's JSON as Patroni 3.0.2 writes it (key order too). Ports are made up: nothing listens there. */
function memberJson(cluster: Cluster, member: string): string {
	const port = 40_000 + cluster.index * 4 + FLEET_MEMBERS.indexOf(member as (typeof FLEET_MEMBERS)[number]);
	return JSON.stringify({
		conn_url: `postgres://127.0.0.1:${port}/postgres`,
		api_url: `http://127.0.0.1:${port + 10_000}/patroni`,
		state: 'running',
		role: member === cluster.leader ? 'master' : 'replica',
		version: '3.0.2',
		xlog_location: cluster.lsn,
		timeline: cluster.timeline,
	});
}

const CONFIG = JSON.stringify({
	ttl: TTL_SECONDS,
	loop_wait: 10,
	retry_timeout: 10,
	maximum_lag_on_failover: 1_048_576,
	postgresql: {
		use_pg_rewind: true,
		use_slots: true,
		parameters: {max_connections: 100, wal_level: 'replica', hot_standby: true, wal_log_hints: true, max_wal_senders: 10, max_replication_slots: 10, wal_keep_size: '64MB'},
	},
});

const next = (member: string) => FLEET_MEMBERS[(FLEET_MEMBERS.indexOf(member as (typeof FLEET_MEMBERS)[number]) + 1) % FLEET_MEMBERS.length]!;

export function fleetClusters(client: Etcd3): FleetClusters {
	const clusters = new Map<string, Cluster>();
	const put = (cluster: Cluster, name: string, value: string, lease?: Lease) => (lease ? lease.put(key(cluster.scope, name)) : client.put(key(cluster.scope, name))).value(value).exec();

	async function create(index: number): Promise<void> {
		const scope = fleetScope(index);
		await client.delete().prefix(key(scope, ''));
		const leases = new Map<string, Lease>(FLEET_MEMBERS.map(member => [member, client.lease(TTL_SECONDS)]));
		const cluster: Cluster = {scope, index, leases, leader: FLEET_MEMBERS[0], timeline: 1, lsn: START_LSN, history: []};
		clusters.set(scope, cluster);
		// The order the first member's bootstrap writes them in: initialize, config, leader, its member key, status.
		await put(cluster, 'initialize', String(7_716_778_931_063_402_562n + BigInt(index)));
		await put(cluster, 'config', CONFIG);
		await put(cluster, 'leader', cluster.leader, leases.get(cluster.leader));
		await Promise.all(FLEET_MEMBERS.map(async member => put(cluster, `members/${member}`, memberJson(cluster, member), leases.get(member))));
		await put(cluster, 'status', JSON.stringify({optime: cluster.lsn}));
	}

	return {
		scopes: () => [...clusters.keys()],
		async grow(count) {
			const wanted = Array.from({length: count}, (_, index) => index + 1).filter(index => !clusters.has(fleetScope(index)));
			// Ten at a time: each cluster's own writes stay in Patroni's order, and etcd is not flooded.
			for (let at = 0; at < wanted.length; at += 10) await Promise.all(wanted.slice(at, at + 10).map(create));
		},
		leaderOf: scope => clusters.get(scope)!.leader,
		nextLeader: scope => next(clusters.get(scope)!.leader),
		async switchover(scope) {
			const cluster = clusters.get(scope);
			if (!cluster) throw new Error(`no synthetic cluster ${scope}`);
			const from = cluster.leader;
			const to = next(from);
			const leaderKey = key(scope, 'leader');
			// POST /switchover on the leader: it writes the failover key; then it demotes and deletes its leader key
			// (a transaction on the key's value; Patroni compares its mod_revision, the same key either way).
			await put(cluster, 'failover', JSON.stringify({leader: from, member: to}));
			await client.if(leaderKey, 'Value', '==', from).then(client.delete().key(leaderKey)).commit();
			await sleep(LEADERLESS_MS);
			// The candidate takes the key only if nobody holds it, on its own lease.
			const leaseId = await cluster.leases.get(to)!.grant();
			await client.if(leaderKey, 'Create', '==', 0).then(client.put(leaderKey).value(to).lease(leaseId)).commit();
			cluster.leader = to;
			// Then, as the new primary's next loop does: promoted on a new timeline, history, status, failover cleared.
			cluster.history.push([cluster.timeline, cluster.lsn + 336, 'no recovery target specified', new Date().toISOString().replace('Z', '+00:00'), to]);
			cluster.timeline++;
			cluster.lsn += 616;
			const followUp = (async () => {
				await put(cluster, 'history', JSON.stringify(cluster.history));
				await put(cluster, `members/${to}`, memberJson(cluster, to), cluster.leases.get(to));
				await put(cluster, 'status', JSON.stringify({optime: cluster.lsn}));
				await put(cluster, 'failover', '{}');
				await Promise.all(FLEET_MEMBERS.filter(member => member !== to).map(async member => put(cluster, `members/${member}`, memberJson(cluster, member), cluster.leases.get(member))));
			})();
			await followUp;
			return {from, to};
		},
		async remove() {
			for (const cluster of clusters.values()) {
				await client.delete().prefix(key(cluster.scope, ''));
				await Promise.all([...cluster.leases.values()].map(async lease => lease.revoke().catch(() => undefined)));
			}
			clusters.clear();
		},
	};
}
