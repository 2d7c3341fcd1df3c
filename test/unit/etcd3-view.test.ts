import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {DcsMemberData} from '../../source/model/views.js';
import {applyChanges, dcsViewFromKeys, leaseHex, sameDcsContent, scopePrefix, type Etcd3Kv} from '../../source/sources/etcd3-view.js';

// Recorded from the test lab (Patroni 3.0.2, etcd 3.4) with the etcd3 client, with etcdctl's `lease list` beside it.
// node1 led at the time.
type Fixture = {prefix: string; revision: string; leaderTtlLeft: number; etcdctlLeaseList: string[]; kvs: Etcd3Kv[]};
const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd3-keys-patroni-3.0.2.json', 'utf8')) as Fixture;

describe('etcd v3 keys → DcsView', () => {
	const view = dcsViewFromKeys(recorded.prefix, recorded.kvs, {revision: recorded.revision, leaderTtlLeft: recorded.leaderTtlLeft});

	it('lists the keys relative to the scope, sorted, and names the leader', () => {
		assert.equal(view.api, 'etcd3');
		assert.equal(view.prefix, '/service/labtest/');
		assert.deepEqual(
			view.keys.map(key => key.key),
			['config', 'initialize', 'leader', 'members/node1', 'members/node2', 'members/node3', 'status'],
		);
		assert.equal(view.leader, 'node1');
		assert.equal(view.leaderTtlLeft, 14);
		assert.equal(view.revision, '209');
	});

	it('gives lease ids in hex, exactly as etcdctl lists them, and none for keys without a lease', () => {
		const leases = [...new Set(view.keys.flatMap(key => (key.lease ? [key.lease] : [])))].sort();
		assert.deepEqual(leases, recorded.etcdctlLeaseList);
		const byKey = Object.fromEntries(view.keys.map(key => [key.key, key]));
		assert.equal(byKey['leader']?.lease, byKey['members/node1']?.lease, "Patroni puts the leader key on the leader's own lease");
		assert.equal(byKey['config']?.lease, undefined);
		assert.equal(leaseHex('0'), undefined);
		assert.equal(leaseHex('7739051225371160839'), '6b66a21612ccb107');
	});

	it('parses JSON objects, but leaves scalars raw: the system id would lose digits as a number', () => {
		const byKey = Object.fromEntries(view.keys.map(key => [key.key, key]));
		const member = byKey['members/node2']?.parsed as DcsMemberData;
		assert.equal(member.role, 'replica');
		assert.equal(member.api_url, 'http://127.0.0.1:18109/patroni');
		assert.equal((byKey['config']?.parsed as {ttl: number}).ttl, 15);
		assert.equal(byKey['initialize']?.value, '7712329592583577629');
		assert.equal(byKey['initialize']?.parsed, undefined);
		assert.equal(byKey['leader']?.parsed, undefined);
		assert.equal(byKey['status']?.modRevision, '209');
	});

	it('ignores keys outside the prefix, such as another scope whose name starts the same', () => {
		const other = {key: '/service/labtest2/leader', value: 'x', modRevision: '1', lease: '0'};
		assert.equal(dcsViewFromKeys(recorded.prefix, [...recorded.kvs, other]).keys.length, 7);
	});

	it('has no leader when the leader key is gone', () => {
		const headless = dcsViewFromKeys(recorded.prefix, recorded.kvs.filter(kv => !kv.key.endsWith('/leader')));
		assert.equal(headless.leader, undefined);
		assert.equal(headless.leaderTtlLeft, undefined);
	});

	it('normalises the namespace to begin and end with a slash', () => {
		for (const namespace of ['/service/', 'service', '/service', 'service/']) assert.equal(scopePrefix(namespace, 'demo'), '/service/demo/');
		assert.equal(scopePrefix('/', 'demo'), '/demo/');
		assert.equal(scopePrefix('/a/b', 'demo'), '/a/b/demo/');
	});
});

describe('watched changes', () => {
	const keys = new Map(recorded.kvs.map(kv => [kv.key, kv]));
	const leaderKey = `${recorded.prefix}leader`;

	it('applies puts and deletes after the read, and moves the revision on', () => {
		const next = applyChanges(keys, '209', [
			{type: 'delete', kv: {key: leaderKey, value: '', modRevision: '210', lease: '0'}},
			{type: 'put', kv: {key: leaderKey, value: 'node2', modRevision: '211', lease: '7739051225371160845'}},
		]);
		assert.equal(next.revision, '211');
		const view = dcsViewFromKeys(recorded.prefix, [...next.keys.values()]);
		assert.equal(view.leader, 'node2');
		assert.equal(view.keys.find(key => key.key === 'leader')?.lease, '6b66a21612ccb10d');
	});

	it('skips changes a later read already holds, so a heartbeat read and the watch never apply one twice', () => {
		const stale = {type: 'delete' as const, kv: {key: leaderKey, value: '', modRevision: '209', lease: '0'}};
		const next = applyChanges(keys, '209', [stale]);
		assert.equal(next.keys.get(leaderKey)?.value, 'node1');
		assert.equal(next.revision, '209');
	});

	it('counts the TTL and the read revision as no change', () => {
		const a = dcsViewFromKeys(recorded.prefix, recorded.kvs, {revision: '209', leaderTtlLeft: 14});
		const b = dcsViewFromKeys(recorded.prefix, recorded.kvs, {revision: '250', leaderTtlLeft: 9});
		assert.ok(sameDcsContent(a, b));
		const rewritten = recorded.kvs.map(kv => (kv.key.endsWith('/status') ? {...kv, modRevision: '251'} : kv));
		assert.ok(!sameDcsContent(a, dcsViewFromKeys(recorded.prefix, rewritten)));
	});
});
