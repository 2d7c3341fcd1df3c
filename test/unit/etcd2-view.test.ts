import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {DcsMemberData, DcsView} from '../../source/model/views.js';
import {EVENT_INDEX_CLEARED, type Etcd2Error, type Etcd2Event, type Etcd2Node} from '../../source/clients/etcd2.js';
import {applyEtcd2Event, dcsViewFromEtcd2, sameEtcd2Content, stateFromRead} from '../../source/sources/etcd2-view.js';

// Recorded from a v2 lab (Patroni 3.0.2 with an `etcd:` section, etcd 3.4 --enable-v2): one recursive GET while
// node2 led, then every watch answer while patronictl switched over to node1, and etcd's "index cleared" answer.
type Fixture = {
	prefix: string;
	etcdctlLs: string[];
	read: {xEtcdIndex: string; body: {node: Etcd2Node}};
	events: Array<{body: Etcd2Event}>;
	cleared: {status: number; xEtcdIndex: string; body: Etcd2Error};
};
const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd2-keys-patroni-3.0.2.json', 'utf8')) as Fixture;
const readIndex = Number(recorded.read.xEtcdIndex);
const read = stateFromRead(recorded.read.body.node, readIndex);
const events = recorded.events.map(answer => answer.body);

describe('etcd v2 keys → DcsView', () => {
	const view = dcsViewFromEtcd2(recorded.prefix, read);
	const byKey = Object.fromEntries(view.keys.map(key => [key.key, key]));

	it('lists the keys etcdctl ls lists, relative to the scope and sorted, without the directories', () => {
		assert.equal(view.api, 'etcd2');
		const directories = new Set(['/service/v2lab/members']);
		const listed = recorded.etcdctlLs.filter(key => !directories.has(key)).map(key => key.slice(recorded.prefix.length)).sort();
		assert.deepEqual(view.keys.map(key => key.key), listed);
		assert.deepEqual(listed, ['config', 'failover', 'history', 'initialize', 'leader', 'members/node1', 'members/node2', 'members/node3', 'status']);
	});

	it('names the leader, with its TTL as the time left, and the read index as the revision', () => {
		assert.equal(view.leader, 'node2');
		assert.equal(view.leaderTtlLeft, 15);
		assert.equal(view.revision, recorded.read.xEtcdIndex);
		assert.equal(byKey['members/node1']?.ttlLeft !== undefined, true, 'member keys carry their TTL too');
		assert.equal(byKey['config']?.ttlLeft, undefined);
		assert.equal(byKey['leader']?.lease, undefined, 'v2 has no leases');
	});

	it('parses JSON objects and arrays, leaves scalars raw, and gives modifiedIndex as the revision', () => {
		const member = byKey['members/node2']?.parsed as DcsMemberData;
		assert.equal(member.role, 'master', 'Patroni 3.0.2 still writes "master" into its member key');
		assert.equal(member.api_url, 'http://127.0.0.1:18609/patroni');
		assert.equal((byKey['config']?.parsed as {ttl: number}).ttl, 15);
		assert.ok(Array.isArray(byKey['history']?.parsed));
		assert.match(byKey['initialize']?.value ?? '', /^\d{19}$/);
		assert.equal(byKey['initialize']?.parsed, undefined);
		assert.equal(byKey['leader']?.modRevision, String(recorded.read.body.node.nodes!.find(node => node.key.endsWith('/leader'))!.modifiedIndex));
	});

	it('is an empty scope when etcd has no such key yet', () => {
		const empty = dcsViewFromEtcd2(recorded.prefix, stateFromRead(undefined, 7));
		assert.deepEqual([empty.keys, empty.leader, empty.revision], [[], undefined, '7']);
	});
});

describe('watched events', () => {
	function replay(upTo = events.length) {
		const views: DcsView[] = [];
		let state = read;
		for (const event of events.slice(0, upTo)) {
			state = applyEtcd2Event(state, event);
			views.push(dcsViewFromEtcd2(recorded.prefix, state));
		}
		return {state, views};
	}

	it('follows the switchover: the leader key deleted, then created by node1', () => {
		const deleted = events.findIndex(event => event.action === 'compareAndDelete' && event.node.key.endsWith('/leader'));
		const created = events.findIndex(event => event.action === 'create' && event.node.key.endsWith('/leader'));
		assert.ok(deleted >= 0 && created > deleted);
		const {views} = replay();
		assert.equal(views[deleted - 1]?.leader, 'node2');
		assert.equal(views[deleted]?.leader, undefined);
		assert.equal(views[created]?.leader, 'node1');
		assert.equal(views.at(-1)?.leader, 'node1');
		assert.equal(replay().state.index, events.at(-1)!.node.modifiedIndex);
	});

	it('counts TTL refreshes as no change: only real changes would be yielded', () => {
		const {views} = replay();
		const changes = views.filter((view, index) => !sameEtcd2Content(index === 0 ? dcsViewFromEtcd2(recorded.prefix, read) : views[index - 1]!, view));
		const refreshes = events.filter(event => event.action === 'compareAndSwap' && event.node.value === event.prevNode?.value).length;
		assert.ok(refreshes >= 3, `${refreshes} leader refreshes recorded`);
		assert.ok(changes.length < events.length - refreshes, `${changes.length} changes out of ${events.length} events`);
		assert.ok(sameEtcd2Content(dcsViewFromEtcd2(recorded.prefix, read), dcsViewFromEtcd2(recorded.prefix, applyEtcd2Event(read, events[0]!))));
	});

	it('skips events the read already holds, and drops every key below a deleted directory', () => {
		const stale = {...events[0]!, node: {...events[0]!.node, value: 'ghost', modifiedIndex: readIndex}};
		assert.equal(applyEtcd2Event(read, stale), read);
		const removed = applyEtcd2Event(read, {action: 'delete', node: {key: '/service/v2lab/members', dir: true, modifiedIndex: readIndex + 1, createdIndex: 4}});
		assert.deepEqual(dcsViewFromEtcd2(recorded.prefix, removed).keys.filter(key => key.key.startsWith('members/')), []);
		const gone = applyEtcd2Event(read, {action: 'expire', node: {key: '/service/v2lab/leader', modifiedIndex: readIndex + 1, createdIndex: 17}});
		assert.equal(dcsViewFromEtcd2(recorded.prefix, gone).leader, undefined);
	});

	it("recognises etcd's answer to a watch older than its 1000-event history", () => {
		assert.equal(recorded.cleared.status, 400);
		assert.equal(recorded.cleared.body.errorCode, EVENT_INDEX_CLEARED);
		assert.equal(String(recorded.cleared.body.index), recorded.cleared.xEtcdIndex);
	});
});
