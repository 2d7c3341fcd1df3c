import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {diffSnapshots} from '../../source/model/events.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';

// Every source's view of the real test lab (Patroni 3.0.2, etcd 3.4, HAProxy 2.6, Docker with a second lab
// running beside it), recorded by scripts/record-fixtures.ts. Each scenario below edits a copy of it.
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;

type Mutable<T> = {-readonly [K in keyof T]: Mutable<T[K]>};

/** Where the monitor reaches the test lab's etcd and HAProxy, as run-monitor.tsx gives them for --lab. */
const LAB_ENDPOINTS = {etcd: ['http://127.0.0.1:12479'], haproxy: ['http://127.0.0.1:17100/;csv', '127.0.0.1:15100']};

function scenario(edit: (states: Mutable<SourceStates>) => void = () => undefined) {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	edit(states);
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW, endpoints: LAB_ENDPOINTS});
}

const alertIds = (snapshot: ReturnType<typeof scenario>) => snapshot.alerts.map(alert => alert.id);

describe('snapshot of the recorded lab', () => {
	it('is healthy, with one leader every source agrees on', () => {
		const snapshot = scenario();
		assert.equal(snapshot.state, 'healthy');
		assert.equal(snapshot.leader, 'node1');
		assert.deepEqual(snapshot.leaderBy, {dcs: 'node1', rest: 'node1', haproxy: ['node1'], postgres: ['node1']});
		assert.deepEqual(snapshot.members.map(member => `${member.name}:${member.role}`), ['node1:leader', 'node2:replica', 'node3:replica']);
		assert.deepEqual(snapshot.alerts, []);
		assert.equal(snapshot.timeline, 1);
	});

	it("matches this scope's containers, not the other lab's", () => {
		const snapshot = scenario();
		assert.deepEqual(snapshot.members.map(member => member.container?.name), ['patroni-tui-labtest-node1', 'patroni-tui-labtest-node2', 'patroni-tui-labtest-node3']);
		assert.deepEqual(snapshot.containers.filter(c => c.role !== 'member').map(c => c.name).sort(), ['patroni-tui-labtest-etcd', 'patroni-tui-labtest-haproxy']);
		assert.equal(snapshot.members[0]!.container?.proof.text, "the lab's labels (scope labtest, member node1, REST 127.0.0.1:18108)");
		// Without the endpoints the monitor reaches them by, the labels of etcd and HAProxy prove nothing.
		const unconfigured = buildSnapshot(recorded.states, {scope: 'labtest', now: NOW});
		assert.deepEqual(unconfigured.containers.filter(c => c.role !== 'member').map(c => c.name), []);
	});

	it('takes lag and streaming state from the leader, per replica', () => {
		const node2 = scenario().members.find(member => member.name === 'node2')!;
		assert.equal(node2.replicationState, 'streaming');
		assert.equal(node2.replayLagBytes, 0);
		assert.deepEqual(node2.roles, {dcs: 'replica', rest: 'replica', postgres: 'replica', haproxy: 'replica'});
	});
});

describe('alerts', () => {
	it('HAProxy routing writes to a member Patroni does not call leader', () => {
		const snapshot = scenario(states => {
			const server = states.haproxy.data!.servers.find(s => s.proxy === 'primary' && s.server === 'node2')!;
			server.status = 'UP';
		});
		assert.ok(alertIds(snapshot).includes('leader-disagreement'));
		assert.ok(alertIds(snapshot).includes('haproxy-two-primaries'));
		assert.equal(snapshot.state, 'degraded');
	});

	it('split brain: two members out of recovery', () => {
		const snapshot = scenario(states => {
			states.postgres.data!.members['node2']!.isInRecovery = false;
		});
		assert.equal(snapshot.alerts[0]?.id, 'split-brain');
		assert.equal(snapshot.alerts[0]?.severity, 'critical');
	});

	it('no leader when the leader key is gone', () => {
		const snapshot = scenario(states => {
			states.dcs.data!.keys = states.dcs.data!.keys.filter(key => key.key !== 'leader');
			delete states.dcs.data!.leader;
		});
		assert.equal(snapshot.state, 'no leader');
		assert.ok(alertIds(snapshot).includes('no-leader'));
	});

	it('a member HAProxy and Docker know but the DCS does not', () => {
		const snapshot = scenario(states => {
			states.dcs.data!.keys = states.dcs.data!.keys.filter(key => key.key !== 'members/node3');
		});
		assert.ok(alertIds(snapshot).includes('not-in-dcs:node3'));
	});

	it('a replica that is not streaming, and one that lags', () => {
		const snapshot = scenario(states => {
			const leader = states.postgres.data!.members['node1']!;
			leader.replication = leader.replication!.filter(row => row.applicationName !== 'node3');
			leader.replication[0]!.replayLagBytes = 5 * 1_048_576;
		});
		assert.ok(alertIds(snapshot).includes('not-streaming:node3'));
		assert.ok(alertIds(snapshot).includes('lag:node2'));
	});

	it('timeline mismatch, pending restart with its reason, a scheduled restart', () => {
		const snapshot = scenario(states => {
			const members = states.rest.data!.cluster!.members;
			members[2]!.timeline = 2;
			members[1]!.pending_restart = true;
			members[1]!.pending_restart_reason = {max_connections: {old_value: '100', new_value: '120'}};
			members[1]!.scheduled_restart = {schedule: '2026-11-26T05:00:00+00:00'};
		});
		assert.ok(alertIds(snapshot).includes('timeline:node3'));
		const pending = snapshot.alerts.find(alert => alert.id === 'pending-restart:node2');
		assert.match(pending?.message ?? '', /max_connections: 100 → 120/);
		assert.ok(alertIds(snapshot).includes('scheduled-restart:node2'));
	});

	it('paused cluster and scheduled switchover', () => {
		const snapshot = scenario(states => {
			states.rest.data!.cluster!.pause = true;
			states.rest.data!.cluster!.scheduled_switchover = {at: '2026-11-26T06:00:00+00:00', from: 'node1', to: 'node2'};
		});
		assert.equal(snapshot.state, 'paused');
		assert.ok(alertIds(snapshot).includes('paused'));
		assert.ok(alertIds(snapshot).includes('scheduled-switchover'));
	});

	it('a failing source keeps its last data, says why, and shows its age', () => {
		const snapshot = scenario(states => {
			states.dcs.error = 'etcd unreachable: deadline exceeded';
			states.dcs.updatedAt = NOW - 12_000;
		});
		assert.equal(snapshot.leader, 'node1', 'the last DCS data still names the leader');
		assert.equal(snapshot.sources.dcs.ageMs, 12_000);
		assert.equal(snapshot.sources.dcs.isStale, true);
		assert.match(snapshot.alerts.find(alert => alert.id === 'source:dcs')?.message ?? '', /deadline exceeded/);
	});
});

describe('Patroni 4.x shapes', () => {
	it('reads role "primary", streaming state and receive/replay lag fields', () => {
		const snapshot = scenario(states => {
			states.dcs.data = undefined;
			states.dcs.isEnabled = false;
			states.postgres.data = undefined;
			states.postgres.isEnabled = false;
			for (const member of states.rest.data!.cluster!.members) {
				if (member.role === 'leader') member.role = 'primary';
				else Object.assign(member, {state: 'streaming', receive_lag: 1024, replay_lag: 4096, lag: 4096});
			}
		});
		assert.equal(snapshot.leader, 'node1');
		const node2 = snapshot.members.find(member => member.name === 'node2')!;
		assert.equal(node2.receiveLagBytes, 1024);
		assert.equal(node2.replayLagBytes, 4096);
		assert.equal(node2.state, 'streaming');
		assert.ok(!alertIds(snapshot).some(id => id.startsWith('not-streaming')));
	});
});

describe('event log', () => {
	it('says the leader changed and which alerts were raised and cleared', () => {
		const before = scenario();
		const after = scenario(states => {
			states.dcs.data!.leader = 'node2';
			states.haproxy.data!.servers.find(s => s.proxy === 'primary' && s.server === 'node2')!.status = 'UP';
		});
		const texts = diffSnapshots(before, after).map(event => event.text);
		assert.ok(texts.includes('leader changed: node1 → node2'), texts.join('\n'));
		assert.ok(texts.some(text => text.startsWith('backend primary/node2 DOWN → UP')));
		assert.ok(texts.some(text => text.startsWith('alert raised: Sources disagree on the leader')));
		const cleared = diffSnapshots(after, before).map(event => event.text);
		assert.ok(cleared.some(text => text.startsWith('alert cleared: Sources disagree')));
	});
});
