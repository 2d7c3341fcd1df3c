import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import {
	DEFAULT_MAXIMUM_LAG_ON_FAILOVER,
	failoverCandidates,
	healthyLeader,
	maximumLagOnFailover,
	switchoverCandidates,
	whyNot,
} from '../../source/operations/eligibility.js';
import {editMemberKey, type Mutable} from '../helpers/source-states.js';

// The real test lab as every source saw it (Patroni 3.0.2): node1 leads, node2 and node3 stream with no lag.
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;


function scenario(edit: (states: Mutable<SourceStates>) => void = () => undefined) {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	edit(states);
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW});
}

const replicationRow = (states: Mutable<SourceStates>, name: string) =>
	states.postgres.data!.members['node1']!.replication!.find(row => row.applicationName === name)!;

function setDcsConfig(states: Mutable<SourceStates>, change: Record<string, unknown>) {
	const key = states.dcs.data!.keys.find(candidate => candidate.key === 'config')!;
	key.parsed = {...(key.parsed as object), ...change};
	key.value = JSON.stringify(key.parsed);
}

describe('switchover candidates', () => {
	it('are the streaming replicas of the recorded lab; the leader is listed with its reason', () => {
		const candidates = switchoverCandidates(scenario());
		assert.deepEqual(candidates.eligible, ['node2', 'node3']);
		assert.deepEqual(candidates.ineligible, [{member: 'node1', reason: 'is the leader'}]);
	});

	it('leave out a member tagged nofailover', () => {
		const snapshot = scenario(states => {
			states.rest.data!.cluster!.members.find(member => member.name === 'node2')!.tags = {nofailover: true};
		});
		assert.deepEqual(switchoverCandidates(snapshot).eligible, ['node3']);
		assert.equal(whyNot(switchoverCandidates(snapshot), snapshot, 'node2'), 'node2 is tagged nofailover');
	});

	it('leave out a replica replaying more than maximum_lag_on_failover behind, and take it back when the limit is raised', () => {
		const lagging = (states: Mutable<SourceStates>) => (replicationRow(states, 'node3').replayLagBytes = 2 * 1024 * 1024);
		const snapshot = scenario(lagging);
		assert.equal(maximumLagOnFailover(snapshot), 1_048_576);
		assert.deepEqual(switchoverCandidates(snapshot).eligible, ['node2']);
		assert.match(whyNot(switchoverCandidates(snapshot), snapshot, 'node3')!, /replays 2\.0 MiB behind, more than maximum_lag_on_failover \(1\.0 MiB\)/);
		const raised = scenario(states => {
			lagging(states);
			setDcsConfig(states, {maximum_lag_on_failover: 4 * 1024 * 1024});
		});
		assert.deepEqual(switchoverCandidates(raised).eligible, ['node2', 'node3']);
	});

	it("use Patroni's default limit when the DCS config does not set one", () => {
		const snapshot = scenario(states => setDcsConfig(states, {maximum_lag_on_failover: undefined}));
		assert.equal(maximumLagOnFailover(snapshot), DEFAULT_MAXIMUM_LAG_ON_FAILOVER);
	});

	it('leave out a replica that is not streaming, or not running', () => {
		const snapshot = scenario(states => {
			replicationRow(states, 'node2').state = 'catchup';
			editMemberKey(states, 'node3', {state: 'stopped'});
		});
		const candidates = switchoverCandidates(snapshot);
		assert.deepEqual(candidates.eligible, []);
		assert.equal(whyNot(candidates, snapshot, 'node2'), 'node2 is not streaming from the leader (catchup)');
		assert.equal(whyNot(candidates, snapshot, 'node3'), 'node3 is stopped');
	});

	it('in synchronous mode, only the synchronous standby', () => {
		const snapshot = scenario(states => {
			setDcsConfig(states, {synchronous_mode: true});
			states.rest.data!.cluster!.members.find(member => member.name === 'node3')!.role = 'sync_standby';
		});
		assert.deepEqual(switchoverCandidates(snapshot).eligible, ['node3']);
		assert.match(whyNot(switchoverCandidates(snapshot), snapshot, 'node2')!, /not the synchronous standby/);
		// A failover too: Patroni drops one to an async replica, or (leader gone) promotes it without its commits.
		assert.deepEqual(failoverCandidates(snapshot).eligible, ['node3']);
		assert.match(whyNot(failoverCandidates(snapshot), snapshot, 'node2')!, /not the synchronous standby/);
	});

	it('say so for a name that is no member', () => {
		const snapshot = scenario();
		assert.equal(whyNot(switchoverCandidates(snapshot), snapshot, 'node9'), 'node9 is not a member of labtest (members: node1, node2, node3)');
	});
});

describe('failover candidates', () => {
	it('with the leader gone, are the running replicas even though nothing streams any more', () => {
		const snapshot = scenario(states => {
			states.rest.data!.members['node1'] = {error: 'connect ECONNREFUSED 127.0.0.1:18108', at: NOW};
			states.postgres.data!.members['node1'] = {error: 'connect ECONNREFUSED 127.0.0.1:15533', at: NOW};
		});
		assert.equal(snapshot.leader, 'node1', 'the DCS still holds the dead leader key');
		assert.equal(healthyLeader(snapshot), undefined);
		assert.deepEqual(failoverCandidates(snapshot).eligible, ['node2', 'node3']);
		assert.deepEqual(switchoverCandidates(snapshot).eligible, [], 'no replica streams from a dead leader');
		assert.equal(whyNot(failoverCandidates(snapshot), snapshot, 'node1'), 'node1 is the leader that failed');
	});

	it('with a healthy leader, leave the leader out', () => {
		const snapshot = scenario();
		assert.equal(healthyLeader(snapshot)?.name, 'node1');
		assert.deepEqual(failoverCandidates(snapshot).ineligible, [{member: 'node1', reason: 'is the leader'}]);
	});
});
