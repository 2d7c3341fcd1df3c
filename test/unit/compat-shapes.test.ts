import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {PatroniCluster, PatroniHistoryLine, PatroniStatus} from '../../source/clients/patroni-types.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import {DISABLED, type SourceStates} from '../../source/model/source-state.js';
import type {ContainerView, DcsView} from '../../source/model/views.js';
import {switchoverCandidates} from '../../source/operations/eligibility.js';
import type {Etcd2Node} from '../../source/clients/etcd2.js';
import {dcsViewFromEtcd2, stateFromRead} from '../../source/sources/etcd2-view.js';
import {dcsViewFromKeys, type Etcd3Kv} from '../../source/sources/etcd3-view.js';
import {editMemberKey, type Mutable} from '../helpers/source-states.js';

// Patroni 1.6 (on etcd's v2 keyspace, as the course exercise ran it), 2.x (on both) and 4.x (on v3), built from
// Patroni's own documentation and code: each fixture file says where its payload came from. Only the DCS and the
// REST API are asked here, since those are what change between Patroni versions; PostgreSQL, HAProxy and Docker do not.
const NOW = Date.parse('2024-08-28T19:45:00Z');

type Payloads = {dcs: DcsView; cluster: PatroniCluster; leader: PatroniStatus; replica: PatroniStatus};
type EtcdApi = 'etcd2' | 'etcd3';

function payload<T>(file: string): T {
	return (JSON.parse(fs.readFileSync(`test/fixtures/${file}`, 'utf8')) as {payload: T}).payload;
}

/** The scope's keys of `dir`/etcd2-keys.json (a v2 recursive read of the scope's directory) or `dir`/etcd3-keys.json. */
function dcsView(dir: string, api: EtcdApi): DcsView {
	if (api === 'etcd2') {
		const keys = payload<{xEtcdIndex: string; body: {node: Etcd2Node}}>(`${dir}/etcd2-keys.json`);
		return dcsViewFromEtcd2(`${keys.body.node.key}/`, stateFromRead(keys.body.node, Number(keys.xEtcdIndex)));
	}
	const keys = payload<{prefix: string; revision: string; leaderTtlLeft: number; kvs: Etcd3Kv[]}>(`${dir}/etcd3-keys.json`);
	return dcsViewFromKeys(keys.prefix, keys.kvs, {revision: keys.revision, leaderTtlLeft: keys.leaderTtlLeft});
}

/** One Patroni version's fixtures: its DCS keys read through `api`, GET /cluster, and the leader's and a replica's /patroni. */
function fixtures(dir: string, api: EtcdApi): Payloads {
	return {
		dcs: dcsView(dir, api),
		cluster: payload(`${dir}/rest-cluster.json`),
		leader: payload(`${dir}/rest-patroni-leader.json`),
		replica: payload(`${dir}/rest-patroni-replica.json`),
	};
}

const patroni16 = () => fixtures('patroni-1.6', 'etcd2');
const patroni4 = () => fixtures('patroni-4.x', 'etcd3');

/** Every member's /patroni: the leader's example for the leader, the replica's example (renamed) for the others. */
function sourceStates({dcs, cluster, leader, replica}: Payloads, docker?: readonly ContainerView[]): Mutable<SourceStates> {
	const members = Object.fromEntries(
		cluster.members.map(member => [member.name, {status: member.role === 'leader' ? leader : replica, at: NOW - 200}]),
	);
	return structuredClone({
		dcs: {isEnabled: true, data: dcs, updatedAt: NOW - 300},
		rest: {isEnabled: true, data: {cluster, clusterFrom: cluster.members[0]!.api_url, members}, updatedAt: NOW - 200},
		postgres: DISABLED,
		haproxy: DISABLED,
		docker: docker ? {isEnabled: true, data: {containers: docker}, updatedAt: NOW - 100} : DISABLED,
	}) as Mutable<SourceStates>;
}

function snapshot(payloads: Payloads, scope: string, edit: (states: Mutable<SourceStates>) => void = () => undefined, docker?: readonly ContainerView[]) {
	const states = sourceStates(payloads, docker);
	edit(states);
	return buildSnapshot(states as SourceStates, {scope, now: NOW});
}

const alertIds = (built: ReturnType<typeof snapshot>) => built.alerts.map(alert => alert.id);
const member = (built: ReturnType<typeof snapshot>, name: string) => built.members.find(row => row.name === name)!;
const restMember = (states: Mutable<SourceStates>, name: string) => states.rest.data!.cluster!.members.find(row => row.name === name)!;

describe('Patroni 1.6 on etcd v2: role "master", xlog_location, /cluster "lag"', () => {
	it('names the leader every source agrees on, with roles, lag and state', () => {
		const built = snapshot(patroni16(), 'batman');
		assert.equal(built.leader, 'postgresql0');
		assert.deepEqual(built.leaderBy, {dcs: 'postgresql0', rest: 'postgresql0'});
		assert.deepEqual(built.members.map(row => `${row.name}:${row.role}:${row.state}:${row.timeline}`), ['postgresql0:leader:running:5', 'postgresql1:replica:running:5']);
		assert.deepEqual(member(built, 'postgresql0').roles, {dcs: 'master', rest: 'master'});
		assert.deepEqual(member(built, 'postgresql1').roles, {dcs: 'replica', rest: 'replica'});
		assert.equal(member(built, 'postgresql1').replayLagBytes, 0);
		assert.equal(member(built, 'postgresql1').host, '127.0.0.1');
		assert.equal(built.leaderTtlLeft, 27);
		assert.equal(built.history.length, 4);
	});

	it("is healthy: 1.6 says 'running', not 'streaming', and the leader's /patroni replication list vouches for the replica", () => {
		const built = snapshot(patroni16(), 'batman');
		assert.equal(member(built, 'postgresql1').replicationState, 'streaming');
		assert.equal(member(built, 'postgresql1').syncState, 'async');
		assert.deepEqual(alertIds(built), ['scheduled-switchover'], JSON.stringify(built.alerts));
		assert.equal(built.state, 'healthy');
	});

	it('a replica the leader does not list as streaming, and one that lags', () => {
		const missing = snapshot(patroni16(), 'batman', states => {
			delete (states.rest.data!.members['postgresql0']!.status as Mutable<PatroniStatus>).replication;
		});
		assert.ok(alertIds(missing).includes('not-streaming:postgresql1'));
		const lagging = snapshot(patroni16(), 'batman', states => {
			restMember(states, 'postgresql1').lag = 5 * 1_048_576;
		});
		assert.equal(member(lagging, 'postgresql1').replayLagBytes, 5 * 1_048_576);
		assert.ok(alertIds(lagging).includes('lag:postgresql1'));
		assert.equal(lagging.state, 'degraded');
	});

	it('a stopped replica: lag "unknown" is no number, and it is alerted as not running', () => {
		const built = snapshot(patroni16(), 'batman', states => {
			Object.assign(restMember(states, 'postgresql1'), {lag: 'unknown'});
			editMemberKey(states, 'postgresql1', {state: 'stopped'});
			states.rest.data!.members['postgresql0']!.status = {...states.rest.data!.members['postgresql0']!.status, replication: []};
		});
		assert.equal(member(built, 'postgresql1').replayLagBytes, undefined);
		assert.ok(alertIds(built).includes('not-running:postgresql1'));
		assert.ok(!alertIds(built).includes('lag:postgresql1'));
	});
});

// The same 2.1.4 cluster on each keyspace Patroni 2.x can use: etcd3 (new in 2.0) and etcd's v2 API.
for (const api of ['etcd3', 'etcd2'] as const) {
	const patroni2 = () => fixtures('patroni-2.x', api);

	describe(`Patroni 2.x on etcd ${api === 'etcd3' ? 'v3' : 'v2'}: role "master", /cluster "sync_standby", /status optime`, () => {
		it('names the leader every source agrees on, with roles, lag and state', () => {
			const built = snapshot(patroni2(), 'batman');
			// 2.1 keeps the leader's position in 'status' (optime/leader only beside pre-2.1 members) and writes 'sync'.
			assert.deepEqual(built.dcsKeys.map(key => key.key), [
				'config', 'failover', 'history', 'initialize', 'leader',
				'members/postgresql0', 'members/postgresql1', 'members/postgresql2', 'status', 'sync',
			]);
			const key = (name: string) => built.dcsKeys.find(found => found.key === name)!;
			if (api === 'etcd3') assert.equal(key('leader').lease, key('members/postgresql0').lease);
			else assert.deepEqual([key('leader').ttlLeft, key('members/postgresql0').ttlLeft], [27, 27]);
			assert.equal(built.leader, 'postgresql0');
			assert.deepEqual(built.leaderBy, {dcs: 'postgresql0', rest: 'postgresql0'});
			assert.deepEqual(built.members.map(row => `${row.name}:${row.role}:${row.state}:${row.timeline}`), [
				'postgresql0:leader:running:5',
				'postgresql1:sync_standby:running:5',
				'postgresql2:replica:running:5',
			]);
			assert.deepEqual(member(built, 'postgresql0').roles, {dcs: 'master', rest: 'master'});
			assert.deepEqual(member(built, 'postgresql1').roles, {dcs: 'replica', rest: 'replica'});
			assert.equal(member(built, 'postgresql1').replayLagBytes, 0);
			assert.equal(member(built, 'postgresql2').replayLagBytes, 152);
			assert.deepEqual(built.members.map(row => `${row.host}:${row.port} ${row.apiUrl}`), [
				'127.0.0.1:5432 http://127.0.0.1:8008/patroni',
				'127.0.0.1:5433 http://127.0.0.1:8009/patroni',
				'127.0.0.1:5434 http://127.0.0.1:8010/patroni',
			]);
			assert.deepEqual(built.members.map(row => row.version), ['2.1.4', '2.1.4', '2.1.4']);
			assert.equal(built.timeline, 5);
			assert.equal(built.leaderTtlLeft, 27);
			assert.equal(built.history.length, 4);
			assert.deepEqual(built.history.at(-1), {timeline: 4, lsn: 50331856, reason: 'no recovery target specified', at: '2019-09-24T09:35:52+02:00', newLeader: 'postgresql0'});
		});

		it("is healthy: the sync standby is streaming 'sync' and the async replica 'async' by the leader's /patroni", () => {
			const built = snapshot(patroni2(), 'batman');
			assert.deepEqual(
				built.members.map(row => `${row.name}:${row.replicationState}:${row.syncState}`),
				['postgresql0:undefined:undefined', 'postgresql1:streaming:sync', 'postgresql2:streaming:async'],
			);
			assert.deepEqual(built.scheduledSwitchover, {at: '2019-09-24T10:36:00+02:00', from: 'postgresql0', to: 'postgresql1'});
			assert.deepEqual(alertIds(built), ['scheduled-switchover'], JSON.stringify(built.alerts));
			assert.equal(built.state, 'healthy');
			// synchronous_mode is on in /config: only the member /cluster calls "sync_standby" may take a switchover.
			assert.deepEqual(switchoverCandidates(built), {
				eligible: ['postgresql1'],
				ineligible: [
					{member: 'postgresql0', reason: 'is the leader'},
					{member: 'postgresql2', reason: 'is not the synchronous standby (synchronous_mode is on)'},
				],
			});
		});

		it('with REST down, the DCS sync key still names the synchronous standby', () => {
			const built = snapshot(patroni2(), 'batman', states => {
				states.rest = {isEnabled: true, error: 'connect ECONNREFUSED 127.0.0.1:8008', errorAt: NOW - 100};
			});
			assert.deepEqual(
				built.members.map(row => `${row.name}:${row.role}`),
				['postgresql0:leader', 'postgresql1:sync_standby', 'postgresql2:replica'],
			);
		});

		it('lagging standbys, sync and async, and a replica the leader does not list as streaming', () => {
			const lagging = snapshot(patroni2(), 'batman', states => {
				restMember(states, 'postgresql1').lag = 2 * 1_048_576;
				restMember(states, 'postgresql2').lag = 5 * 1_048_576;
			});
			assert.equal(member(lagging, 'postgresql1').replayLagBytes, 2 * 1_048_576);
			assert.equal(member(lagging, 'postgresql2').replayLagBytes, 5 * 1_048_576);
			assert.deepEqual(alertIds(lagging).filter(id => id.startsWith('lag:')), ['lag:postgresql1', 'lag:postgresql2']);
			assert.equal(lagging.state, 'degraded');
			const missing = snapshot(patroni2(), 'batman', states => {
				const leader = states.rest.data!.members['postgresql0']!.status as Mutable<PatroniStatus>;
				leader.replication = leader.replication!.filter(row => row['application_name'] !== 'postgresql2');
			});
			assert.deepEqual(alertIds(missing), ['not-streaming:postgresql2', 'scheduled-switchover']);
		});

		it('a stopped replica: no xlog_location in its key, lag "unknown" in /cluster, and it is alerted as not running', () => {
			const built = snapshot(patroni2(), 'batman', states => {
				// Ha.touch_member writes xlog_location and timeline only while PostgreSQL runs; /cluster then says "unknown".
				editMemberKey(states, 'postgresql2', {state: 'stopped', xlog_location: undefined, timeline: undefined});
				Object.assign(restMember(states, 'postgresql2'), {lag: 'unknown', timeline: undefined});
				states.rest.data!.members['postgresql2']!.status = {state: 'stopped', role: 'replica', patroni: {version: '2.1.4', scope: 'batman'}};
				const leader = states.rest.data!.members['postgresql0']!.status as Mutable<PatroniStatus>;
				leader.replication = leader.replication!.filter(row => row['application_name'] !== 'postgresql2');
			});
			assert.equal(member(built, 'postgresql2').state, 'stopped');
			assert.equal(member(built, 'postgresql2').replayLagBytes, undefined);
			assert.deepEqual(alertIds(built), ['not-running:postgresql2', 'not-streaming:postgresql2', 'scheduled-switchover']);
			assert.equal(built.state, 'degraded');
		});
	});
}

/** Patroni 3.0.2 as Debian ships it, recorded from the project's lab (the files carry no wrapper: they are the bodies). */
function recorded302(): Payloads & {history: PatroniHistoryLine[]; config: Record<string, unknown>} {
	const raw = <T,>(file: string) => JSON.parse(fs.readFileSync(`test/fixtures/${file}`, 'utf8')) as T;
	const keys = raw<{prefix: string; revision: string; leaderTtlLeft: number; kvs: Etcd3Kv[]}>('etcd3-keys-patroni-3.0.2.json');
	return {
		dcs: dcsViewFromKeys(keys.prefix, keys.kvs, {revision: keys.revision, leaderTtlLeft: keys.leaderTtlLeft}),
		cluster: raw('rest-cluster-patroni-3.0.2.json'),
		leader: raw('rest-patroni-leader-3.0.2.json'),
		replica: raw('rest-patroni-replica-3.0.2.json'),
		history: raw('rest-history-3.0.2.json'),
		config: raw('rest-config-3.0.2.json'),
	};
}

describe('Patroni 3.0.2 on etcd v3, recorded from the lab: role "leader", replicas "running", /cluster "lag"', () => {
	it('names the leader every source agrees on, with roles, state, lag, history and config', () => {
		const payloads = recorded302();
		const built = snapshot(payloads, 'labtest', states => {
			Object.assign(states.rest.data!, {history: payloads.history, config: payloads.config});
		});
		assert.equal(built.leader, 'node1');
		assert.deepEqual(built.leaderBy, {dcs: 'node1', rest: 'node1'});
		assert.deepEqual(built.members.map(row => `${row.name}:${row.role}:${row.state}`), ['node1:leader:running', 'node2:replica:running', 'node3:replica:running']);
		assert.equal(member(built, 'node2').port, 15534);
		assert.equal(member(built, 'node1').version, '3.0.2');
		assert.equal(member(built, 'node3').replayLagBytes, 0);
		// A cluster that never switched over: GET /history is an empty list, and the timeline is 1.
		assert.deepEqual(built.history, []);
		assert.equal(built.timeline, 1);
		assert.equal(built.state, 'healthy', JSON.stringify(built.alerts));
	});
});

describe('Patroni 4.x on etcd v3: role "primary", receive/replay lag, state "streaming"', () => {
	it('names the leader every source agrees on, with roles, lag and state', () => {
		const built = snapshot(patroni4(), 'demo');
		assert.equal(built.leader, 'patroni1');
		assert.deepEqual(built.leaderBy, {dcs: 'patroni1', rest: 'patroni1'});
		assert.deepEqual(built.members.map(row => `${row.name}:${row.role}:${row.state}`), ['patroni1:leader:running', 'patroni2:replica:streaming', 'patroni3:replica:streaming']);
		assert.deepEqual(member(built, 'patroni1').roles, {dcs: 'primary', rest: 'primary'});
		assert.equal(member(built, 'patroni2').receiveLagBytes, 0);
		assert.equal(member(built, 'patroni2').replayLagBytes, 0);
		assert.equal(member(built, 'patroni3').port, 5434);
		assert.equal(member(built, 'patroni1').version, '4.0.0');
		assert.deepEqual(built.history.at(-1), {timeline: 4, lsn: 50331856, reason: 'no recovery target specified', at: '2024-08-28T19:39:26+00:00', newLeader: 'patroni1'});
	});

	it('is healthy, with the scheduled switchover /cluster announces', () => {
		const built = snapshot(patroni4(), 'demo');
		assert.deepEqual(alertIds(built), ['scheduled-switchover'], JSON.stringify(built.alerts));
		assert.deepEqual(built.scheduledSwitchover, {at: '2023-09-24T10:36:00+02:00', from: 'patroni1', to: 'patroni3'});
		assert.equal(built.state, 'healthy');
	});

	it('lag from replay_lag (receive_lag apart), and a replica in archive recovery', () => {
		const built = snapshot(patroni4(), 'demo', states => {
			Object.assign(restMember(states, 'patroni2'), {receive_lag: 1024, replay_lag: 5 * 1_048_576, lag: 5 * 1_048_576});
			editMemberKey(states, 'patroni3', {replication_state: 'in archive recovery'});
			Object.assign(restMember(states, 'patroni3'), {state: 'in archive recovery'});
			const leader = states.rest.data!.members['patroni1']!.status as Mutable<PatroniStatus>;
			leader.replication = leader.replication!.filter(row => row['application_name'] !== 'patroni3');
		});
		assert.equal(member(built, 'patroni2').receiveLagBytes, 1024);
		assert.ok(alertIds(built).includes('lag:patroni2'));
		assert.ok(alertIds(built).includes('not-running:patroni3'));
		assert.ok(alertIds(built).includes('not-streaming:patroni3'));
		assert.equal(built.state, 'degraded');
	});
});

describe('spilo naming: member name = hostname = short container id, with the scope in SCOPE', () => {
	const ids = {patroni1: '3f1c2b9a8d7e', patroni2: '9a0b1c2d3e4f', patroni3: '0c4d8e2f6a1b'} as const;
	const rename = (text: string) => Object.entries(ids).reduce((out, [from, to]) => out.replaceAll(from, to), text);
	const spilo = (): Payloads => JSON.parse(rename(JSON.stringify(patroni4()))) as Payloads;
	const containers: ContainerView[] = [
		...Object.values(ids).map((id, index) => ({
			id: `${id}${'a1'.repeat(26)}`,
			name: `demo-spilo-${index + 1}`,
			hostname: id,
			image: 'ghcr.io/zalando/spilo-16:3.2-p2',
			state: 'running',
			labels: {application: 'spilo'},
			command: '/bin/sh /launch.sh init',
			// As the Docker source reads spilo's environment (SCOPE=demo): scope only, the name is the hostname.
			patroni: [{from: 'environment' as const, source: 'SCOPE', scope: 'demo'}],
		})),
		{id: 'e7'.repeat(32), name: 'demo-etcd', state: 'running', labels: {}, command: 'etcd --name etcd0 --enable-v2'},
	];

	it('matches each member to its container, end to end through buildSnapshot', () => {
		const built = snapshot(spilo(), 'demo', () => undefined, containers);
		assert.equal(built.leader, ids.patroni1);
		assert.deepEqual(
			built.members.map(row => [row.name, row.container?.name]),
			Object.values(ids).sort().map(id => [id, containers.find(found => found.hostname === id)!.name]),
		);
		assert.ok(built.members.every(row => row.container?.proof.by === 'spilo'));
		// etcd's container runs etcd, but nothing ties it to this cluster's endpoints: not shown.
		assert.deepEqual(built.containers.map(row => `${row.role}:${row.name}`).sort(), [
			'member:demo-spilo-1',
			'member:demo-spilo-2',
			'member:demo-spilo-3',
		]);
		assert.equal(built.state, 'healthy', JSON.stringify(built.alerts));
	});
});
