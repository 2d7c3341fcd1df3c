import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {Etcd2Node} from '../../source/clients/etcd2.js';
import {diffSnapshots} from '../../source/model/events.js';
import {EMPTY_MEMBER_MEMORY, forgetMember, type MemberMemory} from '../../source/model/member-memory.js';
import {buildRememberedSnapshot, buildSnapshot} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, MemberRow} from '../../source/model/snapshot-types.js';
import {DISABLED, type SourceStates} from '../../source/model/source-state.js';
import {applyEtcd2Event, dcsViewFromEtcd2, stateFromRead} from '../../source/sources/etcd2-view.js';
import type {Mutable} from '../helpers/source-states.js';

// Every source's view of the real test lab (Patroni 3.0.2, etcd 3.4, HAProxy 2.6, Docker), recorded by
// scripts/record-fixtures.ts; each step below edits a copy the way the cluster changed.
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const T0 = recorded.states.rest.updatedAt! + 500;

/** Runs snapshots through the memory as the monitor does: each build learns from the last one's memory. */
function timeline() {
	let memory: MemberMemory = EMPTY_MEMBER_MEMORY;
	const snapshots: ClusterSnapshot[] = [];
	return {
		at(now: number, states: SourceStates): ClusterSnapshot {
			const built = buildRememberedSnapshot(states, {scope: 'labtest', now}, memory);
			memory = built.memory;
			snapshots.push(built.snapshot);
			return built.snapshot;
		},
		dismiss(name: string) {
			memory = forgetMember(memory, name);
		},
		events: () => snapshots.slice(1).flatMap((snapshot, index) => diffSnapshots(snapshots[index], snapshot).map(event => event.text)),
	};
}

function edited(edit: (states: Mutable<SourceStates>) => void): SourceStates {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	edit(states);
	return states as SourceStates;
}

/** node3's container killed and its key expired: what the lab's sources then say of it. */
function node3Killed(states: Mutable<SourceStates>, now: number): void {
	const dcs = states.dcs.data!;
	dcs.keys = dcs.keys.filter(key => key.key !== 'members/node3');
	const cluster = states.rest.data!.cluster!;
	cluster.members = cluster.members.filter(member => member.name !== 'node3');
	states.rest.data!.members['node3'] = {error: 'connect ECONNREFUSED 127.0.0.1:18110', at: now};
	states.postgres.data!.members['node3'] = {error: 'connect ECONNREFUSED 127.0.0.1:15535', at: now};
	const leader = states.postgres.data!.members['node1']!;
	leader.replication = leader.replication!.filter(row => row.applicationName !== 'node3');
	for (const server of states.haproxy.data!.servers) if (server.server === 'node3') server.status = 'DOWN';
	for (const container of states.docker.data!.containers) if (container.name === 'patroni-tui-labtest-node3') container.state = 'exited';
}

/** …and no other source knows it either: a cluster without HAProxy, Docker or REST seeds (the foreign one). */
function node3Forgotten(states: Mutable<SourceStates>, now: number): void {
	node3Killed(states, now);
	delete states.rest.data!.members['node3'];
	delete states.postgres.data!.members['node3'];
	states.haproxy = DISABLED;
	states.docker = DISABLED;
}

const member = (snapshot: ClusterSnapshot, name: string): MemberRow => snapshot.members.find(row => row.name === name) ?? assert.fail(`no ${name}`);

describe('member memory', () => {
	it('leaves a healthy picture exactly as it is', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const second = run.at(T0 + 1000, recorded.states);
		assert.deepEqual(second, buildSnapshot(recorded.states, {scope: 'labtest', now: T0 + 1000}));
		assert.ok(second.members.every(row => row.lost === undefined && row.remembered === undefined));
	});

	it('keeps a member whose key left the DCS as lost, with its last known role, timeline and lag', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const lost = run.at(T0 + 20_000, edited(states => node3Killed(states, T0 + 20_000)));
		const node3 = member(lost, 'node3');
		assert.deepEqual(node3.lost, {at: T0, ageMs: 20_000});
		assert.deepEqual(node3.remembered, {
			role: 'replica',
			state: 'running',
			host: '127.0.0.1',
			port: 15535,
			apiUrl: 'http://127.0.0.1:18110/patroni',
			timeline: 1,
			receiveLagBytes: 0,
			replayLagBytes: 0,
			replicationState: 'streaming',
			syncState: 'async',
		});
		// What the sources say now is kept as they say it: nothing remembered passes for current.
		assert.equal(node3.timeline, undefined);
		assert.equal(node3.isInDcs, false);
		// Its stopped container is still proven by its labels, against the api_url the DCS last gave: it can be started.
		assert.equal(node3.container?.proof.text, "the lab's labels (scope labtest, member node3, REST 127.0.0.1:18110)");
		const ids = lost.alerts.map(alert => alert.id);
		assert.ok(ids.includes('lost:node3'), ids.join(','));
		assert.ok(!ids.includes('not-in-dcs:node3'), 'lost, not "seen by HAProxy only"');
		assert.equal(lost.state, 'degraded');
		assert.deepEqual(run.events().filter(text => text.startsWith('member') || text.startsWith('node3')), [
			`member lost: node3 left the DCS (last seen ${new Date(T0).toTimeString().slice(0, 8)})`,
		]);
	});

	it('adds a lost member back to the table when no source lists it any more, in name order', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const later = run.at(T0 + 3000, edited(states => node3Forgotten(states, T0 + 3000)));
		assert.deepEqual(later.members.map(row => row.name), ['node1', 'node2', 'node3']);
		const node3 = member(later, 'node3');
		assert.deepEqual(node3.lost, {at: T0, ageMs: 3000});
		assert.equal(node3.remembered?.role, 'replica');
		assert.equal(node3.remembered?.timeline, 1);
		assert.equal(node3.host, undefined, 'no address of its own: the SQL source does not poll a remembered one');
		// Still lost a minute on, and last seen at the same moment.
		const minute = run.at(T0 + 63_000, edited(states => node3Forgotten(states, T0 + 63_000)));
		assert.deepEqual(member(minute, 'node3').lost, {at: T0, ageMs: 63_000});
	});

	it('logs the return once its key is back, and forgets it was lost', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		run.at(T0 + 20_000, edited(states => node3Forgotten(states, T0 + 20_000)));
		const back = run.at(T0 + 45_000, recorded.states);
		assert.equal(member(back, 'node3').lost, undefined);
		assert.equal(member(back, 'node3').remembered, undefined);
		// (Its container, the one the docker source of the recording lists, is logged as running again besides.)
		const node3Events = run.events().filter(text => text.includes('node3') && !text.startsWith('alert') && !text.startsWith('container'));
		assert.equal(node3Events.length, 2, node3Events.join('\n'));
		assert.match(node3Events[0]!, /^member lost: node3 left the DCS/);
		assert.equal(node3Events[1], 'member back: node3 (lost for 45s)');
		assert.ok(!run.events().some(text => /node3 role/.test(text)), 'no role change while lost');
	});

	it('drops a dismissed member with no source listing it, and keeps one other sources list, no longer lost', () => {
		const forgotten = timeline();
		forgotten.at(T0, recorded.states);
		forgotten.at(T0 + 20_000, edited(states => node3Forgotten(states, T0 + 20_000)));
		forgotten.dismiss('node3');
		const gone = forgotten.at(T0 + 21_000, edited(states => node3Forgotten(states, T0 + 21_000)));
		assert.deepEqual(gone.members.map(row => row.name), ['node1', 'node2']);
		assert.ok(!forgotten.events().some(text => text.startsWith('member left')), 'the monitor logs the dismissal itself');

		const seen = timeline();
		seen.at(T0, recorded.states);
		seen.at(T0 + 20_000, edited(states => node3Killed(states, T0 + 20_000)));
		seen.dismiss('node3');
		const kept = seen.at(T0 + 21_000, edited(states => node3Killed(states, T0 + 21_000)));
		assert.equal(member(kept, 'node3').lost, undefined);
		assert.ok(kept.alerts.some(alert => alert.id === 'not-in-dcs:node3'), 'HAProxy and its container still name it');
		assert.ok(!seen.events().some(text => text.startsWith('member back')));
		// Back in the DCS after a dismissal: registered, as any member that appears.
		seen.at(T0 + 40_000, recorded.states);
		assert.ok(seen.events().includes('member registered in the DCS: node3'));
	});

	it("fills in a member's last good values, with their age, while its REST API and SQL fail", () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const failing = run.at(T0 + 12_000, edited(states => {
			states.rest.data!.members['node2'] = {error: 'timeout of 1500ms exceeded', at: T0 + 12_000};
			states.postgres.data!.members['node2'] = {error: 'connect ECONNREFUSED 127.0.0.1:15534', at: T0 + 12_000};
			const leader = states.postgres.data!.members['node1']!;
			leader.replication = leader.replication!.filter(row => row.applicationName !== 'node2');
			delete states.rest.data!.cluster!.members.find(row => row.name === 'node2')!.lag;
		}));
		const node2 = member(failing, 'node2');
		assert.equal(node2.lost, undefined, 'its key is still there');
		// When the monitor last found them answering: the answers' own `at` only says since when they read the same.
		assert.deepEqual(node2.restAnswered, {at: T0, ageMs: 12_000});
		assert.deepEqual(node2.sqlAnswered, {at: T0, ageMs: 12_000});
		assert.deepEqual(node2.remembered, {receiveLagBytes: 0, replayLagBytes: 0, replicationState: 'streaming', syncState: 'async'});
		assert.equal(node2.timeline, 1, 'what /cluster still says is current, not remembered');
	});

	it('fills in no lag for a failing leader, even one that was a replica before', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const promoted = edited(states => {
			states.dcs.data!.leader = 'node2';
			for (const row of states.rest.data!.cluster!.members) row.role = row.name === 'node2' ? 'leader' : 'replica';
			states.rest.data!.members['node2'] = {error: 'timeout of 1500ms exceeded', at: T0 + 5000};
			const old = states.postgres.data!.members['node1']!;
			old.replication = old.replication!.filter(row => row.applicationName !== 'node2');
			delete states.rest.data!.cluster!.members.find(row => row.name === 'node2')!.lag;
		});
		const node2 = member(run.at(T0 + 5000, promoted), 'node2');
		assert.equal(node2.role, 'leader');
		assert.equal(node2.replayLagBytes, undefined);
		assert.equal(node2.remembered?.replayLagBytes, undefined, 'a leader has no lag to remember');
	});

	it('calls nobody lost before the DCS has answered', () => {
		const run = timeline();
		run.at(T0, recorded.states);
		const unknown = run.at(T0 + 1000, edited(states => {
			states.dcs = {isEnabled: true, error: 'connect ECONNREFUSED 127.0.0.1:12479', errorAt: T0 + 1000};
		}));
		assert.ok(unknown.members.every(row => row.lost === undefined));
	});
});

describe('member memory on etcd v2 (recorded keys of a v2 lab)', () => {
	type Fixture = {prefix: string; read: {xEtcdIndex: string; body: {node: Etcd2Node}}};
	const fixture = JSON.parse(fs.readFileSync('test/fixtures/etcd2-keys-patroni-3.0.2.json', 'utf8')) as Fixture;
	const read = stateFromRead(fixture.read.body.node, Number(fixture.read.xEtcdIndex));
	const only = (view: ReturnType<typeof dcsViewFromEtcd2>, at: number): SourceStates => ({
		dcs: {isEnabled: true, data: view, updatedAt: at},
		rest: DISABLED,
		postgres: DISABLED,
		haproxy: DISABLED,
		docker: DISABLED,
	});

	it('keeps node3 once its key expires (the v2 watch answers action "expire"), with what its key said', () => {
		const now = Date.parse('2026-11-26T04:42:24.618Z');
		const run = timeline();
		const before = run.at(now, only(dcsViewFromEtcd2(fixture.prefix, read), now));
		assert.equal(member(before, 'node3').isInDcs, true);
		const key = read.keys.get(`${fixture.prefix}members/node3`)!;
		const expired = applyEtcd2Event(read, {action: 'expire', node: {...key, modifiedIndex: read.index + 1}});
		const after = run.at(now + 15_000, only(dcsViewFromEtcd2(fixture.prefix, expired), now + 15_000));
		const node3 = member(after, 'node3');
		assert.deepEqual(node3.lost, {at: now, ageMs: 15_000});
		assert.equal(node3.remembered?.role, 'replica');
		assert.equal(node3.remembered?.host, '127.0.0.1');
		assert.ok(run.events().some(text => text.startsWith('member lost: node3 left the DCS')));
	});
});
