import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {fleetFromKeys, fleetScopes, type FleetRow} from '../../source/model/fleet.js';
import type {DcsView} from '../../source/model/views.js';
import {etcd2Source} from '../../source/sources/etcd2-source.js';
import {etcd3Source} from '../../source/sources/etcd3-source.js';
import type {Source, SourceEvent} from '../../source/sources/source.js';
import {isAvailable, startThrowawayEtcd, type ThrowawayEtcd} from '../helpers/throwaway-etcd.js';

// The namespace-wide DCS source (no scope) on a real throwaway etcd 3.4, v3 and v2 APIs, with clusters written the
// way Patroni writes them (leader and member keys on leases / TTLs; config, history, initialize, status without),
// appearing and disappearing while watched. The heartbeat is a minute: only the watch can bring a change in time.
// Ports 27821–27824.
const V3 = {clientPort: 27821, peerPort: 27822};
const V2 = {clientPort: 27823, peerPort: 27824, extraArgs: ['--enable-v2']};
const THRESHOLDS = {lagBytes: 1_048_576};
/** "Within a few hundred ms": the write has returned, etcdctl's own start-up is not counted. */
const PROMPT_MS = 500;

type Written = {readonly key: string; readonly value: string; readonly onLease: boolean};

/** One cluster's keys as Patroni 3.0.2 writes them after a switchover (recorded in etcd3-keys-fleet-patroni-3.0.2.json). */
function patroniKeys(scope: string, members: readonly string[], port: number, extraConfig: Record<string, unknown> = {}): Written[] {
	const at = (name: string) => `/service/${scope}/${name}`;
	const leaderRole = extraConfig['standby_cluster'] ? 'standby_leader' : 'master';
	const member = (index: number) => JSON.stringify({
		conn_url: `postgres://127.0.0.1:${port + index}/postgres`, api_url: `http://127.0.0.1:${port + 2600 + index}/patroni`,
		state: 'running', role: index === 0 ? leaderRole : 'replica', version: '3.0.2', xlog_location: 67109480 - index * 2_000_000, timeline: 2,
	});
	return [
		{key: at('initialize'), value: '7716778931063402562', onLease: false},
		{key: at('config'), value: JSON.stringify({ttl: 15, loop_wait: 2, retry_timeout: 5, ...extraConfig}), onLease: false},
		{key: at('history'), value: JSON.stringify([[1, 67109200, 'no recovery target specified', '2026-12-08T04:03:40.039880+00:00', members[0]]]), onLease: false},
		{key: at('status'), value: JSON.stringify({optime: 67109480}), onLease: false},
		...members.map((name, index) => ({key: at(`members/${name}`), value: member(index), onLease: true})),
		{key: at('leader'), value: members[0]!, onLease: true},
	];
}

/** A source's events as they come, and the first view after a write that passes a test. */
function follow(source: Source<DcsView>) {
	const controller = new AbortController();
	const events: Array<SourceEvent<DcsView>> = [];
	const done = (async () => {
		for await (const event of source(controller.signal)) events.push(event);
	})();
	return {
		/**
		 * Runs `write`, then waits for a view passing `test` among those yielded since it began; `ms` is how long
		 * after the write returned the view was yielded (0 if it came while the write's last etcdctl was finishing).
		 */
		async after(write: () => Promise<unknown>, what: string, test: (view: DcsView) => boolean, timeoutMs = 3000): Promise<{view: DcsView; ms: number}> {
			const from = events.length;
			await write();
			const writtenAt = Date.now();
			for (;;) {
				const found = events.slice(from).find(event => event.kind === 'data' && test(event.data));
				if (found?.kind === 'data') return {view: found.data, ms: Math.max(0, found.at - writtenAt)};
				const errors = events.filter(event => event.kind === 'error');
				if (Date.now() - writtenAt > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms (errors: ${JSON.stringify(errors.slice(-2))})`);
				await new Promise(resolve => setTimeout(resolve, 5));
			}
		},
		async stop() {
			controller.abort();
			await done;
		},
	};
}

const scopesOf = (view: DcsView) => fleetScopes(view.keys);
const rowsOf = (view: DcsView) => fleetFromKeys(view.keys, THRESHOLDS);
const rowOf = (view: DcsView, scope: string): FleetRow => rowsOf(view).find(row => row.scope === scope) ?? assert.fail(`no row ${scope}`);
const sameScopes = (...scopes: string[]) => (view: DcsView) => JSON.stringify(scopesOf(view)) === JSON.stringify(scopes);

/** Watchers etcd holds now: the namespace takes one, however many clusters it holds. */
async function watchers(endpoint: string): Promise<number> {
	const text = await (await fetch(`${endpoint}/metrics`)).text();
	const line = /^etcd_debugging_mvcc_watcher_total (\d+)/m.exec(text);
	return line ? Number(line[1]) : assert.fail('etcd exports no etcd_debugging_mvcc_watcher_total');
}

describe('the namespace source on etcd v3', {skip: !isAvailable, timeout: 60_000}, () => {
	let etcd: ThrowawayEtcd;
	const put = async (written: Written, lease?: string) => etcd.etcdctl(['put', ...(lease ? [`--lease=${lease}`] : []), written.key, written.value]);
	/** Like Patroni: each member key on a lease of its own, the leader key on the leader's. Returns the leader's lease. */
	async function writeCluster(keys: readonly Written[]): Promise<string> {
		const grant = async () => /lease ([0-9a-f]+) granted/.exec(await etcd.etcdctl(['lease', 'grant', '15']))?.[1] ?? assert.fail('no lease');
		let leaderLease: string | undefined;
		for (const written of keys) {
			if (!written.onLease) await put(written);
			else if (written.key.endsWith('/leader')) await put(written, leaderLease);
			else {
				const lease = await grant();
				leaderLease ??= lease;
				await put(written, lease);
			}
		}
		return leaderLease!;
	}

	before(async () => {
		etcd = await startThrowawayEtcd(V3);
	});
	after(async () => {
		await etcd?.stop();
	});

	it('yields every scope of the namespace, and scopes coming and going within a few hundred ms', async t => {
		await writeCluster(patroniKeys('billing', ['pg-1', 'pg-2'], 25700));
		const ordersLease = await writeCluster(patroniKeys('orders', ['o-1'], 25710));
		await etcd.etcdctl(['put', '/service/stray', 'a key right under the namespace']);
		await etcd.etcdctl(['put', '/services/other/leader', 'not in the namespace']);
		assert.equal(await watchers(etcd.endpoint), 0);
		const source = follow(etcd3Source({endpoints: [etcd.endpoint], namespace: 'service', heartbeatMs: 60_000}));
		try {
			const {view} = await source.after(async () => undefined, 'the first read', () => true, 5000);
			assert.equal(view.prefix, '/service/');
			assert.deepEqual(scopesOf(view), ['billing', 'orders']);
			assert.ok(view.keys.some(key => key.key === 'billing/members/pg-2' && key.lease !== undefined), 'keys relative to the namespace, leases kept');
			assert.deepEqual(rowOf(view, 'billing'), {scope: 'billing', kind: 'primary', leader: 'pg-1', membersUp: 2, membersTotal: 2, timeline: 2, worstLagBytes: 2_000_000, isPaused: false, alerts: ['pg-2 lags 1.9 MiB'], severity: 'warning'});
			assert.equal(await watchers(etcd.endpoint), 1, 'one watch for the whole namespace');

			// A standby cluster of billing appears (standby_cluster at pg-2's address: a cascade from a replica).
			const standby = patroniKeys('billing-dr', ['dr-1'], 25720, {standby_cluster: {host: '127.0.0.1', port: 25701}});
			const appeared = await source.after(async () => writeCluster(standby), 'billing-dr to appear', found => rowsOf(found).some(row => row.scope === 'billing-dr' && row.leader === 'dr-1'));
			assert.ok(appeared.ms < PROMPT_MS, `billing-dr appeared after ${appeared.ms} ms`);
			t.diagnostic(`billing-dr appeared after ${appeared.ms} ms`);
			assert.deepEqual(rowsOf(appeared.view).map(row => `${row.scope}:${row.kind}`), ['billing:primary', 'billing-dr:standby', 'orders:primary']);
			assert.equal(await watchers(etcd.endpoint), 1, 'still one watch with three clusters');

			// orders' Patroni dies: its lease is gone, and the leader and member keys with it.
			const revoke = async () => etcd.etcdctl(['lease', 'revoke', ordersLease]);
			const headless = await source.after(revoke, 'orders to lose its leader', found => rowOf(found, 'orders').leader === undefined);
			assert.ok(headless.ms < PROMPT_MS, `orders lost its leader after ${headless.ms} ms`);
			t.diagnostic(`orders lost its leader after ${headless.ms} ms`);
			assert.deepEqual(rowOf(headless.view, 'orders').alerts, ['no leader', 'no member keys']);
			assert.equal(rowsOf(headless.view)[0]?.scope, 'orders', 'the critical cluster sorts first');

			// patronictl remove orders: every key of the scope deleted.
			const gone = await source.after(async () => etcd.etcdctl(['del', '--prefix', '/service/orders/']), 'orders to disappear', sameScopes('billing', 'billing-dr'));
			assert.ok(gone.ms < PROMPT_MS, `orders disappeared after ${gone.ms} ms`);
			t.diagnostic(`orders disappeared after ${gone.ms} ms`);
		} finally {
			await source.stop();
		}
		// Our cancel is local; etcd drops its watcher when the stream's end reaches it.
		const deadline = Date.now() + 2000;
		while ((await watchers(etcd.endpoint)) !== 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
		assert.equal(await watchers(etcd.endpoint), 0, 'the watch ends with the source');
	});

	it('a source given a scope still sees that scope only, keys relative to it', async () => {
		const source = follow(etcd3Source({endpoints: [etcd.endpoint], namespace: '/service/', scope: 'billing', heartbeatMs: 60_000}));
		try {
			const {view} = await source.after(async () => undefined, 'the first read', () => true, 5000);
			assert.equal(view.prefix, '/service/billing/');
			assert.equal(view.leader, 'pg-1');
			assert.ok(view.keys.every(key => !key.key.startsWith('billing')), JSON.stringify(view.keys.map(key => key.key)));
		} finally {
			await source.stop();
		}
	});
});

describe('the namespace source on etcd v2', {skip: !isAvailable, timeout: 60_000}, () => {
	let etcd: ThrowawayEtcd;
	const v2 = (key: string, query = '') => `${etcd.endpoint}/v2/keys${key}${query}`;
	/** Patroni's etcd: section writes leader and member keys with a TTL (refreshed every loop), the rest without. */
	async function writeCluster(keys: readonly Written[]) {
		for (const written of keys) {
			const body = new URLSearchParams({value: written.value, ...(written.onLease ? {ttl: '15'} : {})});
			const answer = await fetch(v2(written.key), {method: 'PUT', body});
			assert.ok(answer.ok, `PUT ${written.key}: ${answer.status}`);
		}
	}
	const remove = async (key: string, query = '') => assert.ok((await fetch(v2(key, query), {method: 'DELETE'})).ok, `DELETE ${key}`);

	before(async () => {
		etcd = await startThrowawayEtcd(V2);
	});
	after(async () => {
		await etcd?.stop();
	});

	it('yields every scope of the namespace, and scopes coming and going within a few hundred ms', async t => {
		await writeCluster(patroniKeys('billing', ['pg-1', 'pg-2'], 25700));
		await writeCluster(patroniKeys('orders', ['o-1'], 25710));
		await writeCluster([{key: '/service/stray', value: 'a key right under the namespace', onLease: false}]);
		const source = follow(etcd2Source({endpoints: [etcd.endpoint], namespace: '/service/', heartbeatMs: 60_000}));
		try {
			const {view} = await source.after(async () => undefined, 'the first read', () => true, 5000);
			assert.equal(view.api, 'etcd2');
			assert.equal(view.prefix, '/service/');
			assert.deepEqual(scopesOf(view), ['billing', 'orders']);
			assert.equal(rowOf(view, 'billing').leader, 'pg-1');
			assert.equal(rowOf(view, 'billing').timeline, 2);

			const standby = patroniKeys('billing-dr', ['dr-1'], 25720, {standby_cluster: {host: '127.0.0.1', port: 25701}});
			const appeared = await source.after(async () => writeCluster(standby), 'billing-dr to appear', found => rowsOf(found).some(row => row.scope === 'billing-dr' && row.leader === 'dr-1'));
			assert.ok(appeared.ms < PROMPT_MS, `billing-dr appeared after ${appeared.ms} ms`);
			t.diagnostic(`billing-dr appeared after ${appeared.ms} ms`);
			assert.deepEqual(rowOf(appeared.view, 'billing-dr').primaryScope, 'billing');

			const headless = await source.after(async () => remove('/service/orders/leader'), 'orders to lose its leader', found => rowOf(found, 'orders').leader === undefined);
			assert.ok(headless.ms < PROMPT_MS, `orders lost its leader after ${headless.ms} ms`);
			t.diagnostic(`orders lost its leader after ${headless.ms} ms`);
			assert.equal(rowOf(headless.view, 'orders').severity, 'critical');

			// patronictl remove on v2 deletes the scope's directory, recursively: one event for all its keys.
			const gone = await source.after(async () => remove('/service/orders', '?recursive=true'), 'orders to disappear', sameScopes('billing', 'billing-dr'));
			assert.ok(gone.ms < PROMPT_MS, `orders disappeared after ${gone.ms} ms`);
			t.diagnostic(`orders disappeared after ${gone.ms} ms`);
		} finally {
			await source.stop();
		}
	});
});
