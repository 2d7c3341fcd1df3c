import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {describeStep, hotStandbyChanges, planRollingRestart, type RestartMember} from '../../source/operations/rolling-order.js';

const all: RestartMember[] = [
	{name: 'node3', isLeader: false, pendingRestart: true},
	{name: 'node1', isLeader: true, pendingRestart: true},
	{name: 'node2', isLeader: false, pendingRestart: true},
];
const order = (members: readonly RestartMember[], mode: 'switchover' | 'in-place', changes = hotStandbyChanges({}, {})) =>
	planRollingRestart(members, mode, changes).steps.map(describeStep);

describe('hotStandbyChanges', () => {
	it('compares the DCS value with what the leader runs, for the five hot-standby settings only', () => {
		const changes = hotStandbyChanges({max_connections: 120, Max_Wal_Senders: '8', shared_buffers: '64MB', max_prepared_transactions: 0}, {max_connections: 100, max_wal_senders: 10, max_prepared_transactions: 0});
		assert.deepEqual(changes, [
			{name: 'max_connections', running: 100, target: 120},
			{name: 'max_wal_senders', running: 10, target: 8},
		]);
	});
});

describe('planRollingRestart', () => {
	it('raised: replicas first in name order, then a switchover and the old leader if still pending', () => {
		const raised = hotStandbyChanges({max_connections: 120}, {max_connections: 100});
		const plan = planRollingRestart(all, 'switchover', raised);
		assert.deepEqual(plan.steps.map(describeStep), ['restart node2', 'restart node3', 'switchover from node1', 'restart node1 (if still pending)']);
		assert.equal(plan.isLeaderFirst, false);
		assert.match(plan.notes.join(' '), /max_connections 100 → 120: raised, so replicas restart first/);
	});

	it('raised, in place: replicas first, then the leader in place', () => {
		assert.deepEqual(order(all, 'in-place', hotStandbyChanges({max_connections: 120}, {max_connections: 100})), ['restart node2', 'restart node3', 'restart node1 (leader, in place)']);
	});

	it('lowered: the leader first, in place even when a switchover was asked for, then the replicas', () => {
		const lowered = hotStandbyChanges({max_connections: 100}, {max_connections: 120});
		for (const mode of ['switchover', 'in-place'] as const) {
			const plan = planRollingRestart(all, mode, lowered);
			assert.deepEqual(plan.steps.map(describeStep), ['restart node1 (leader, in place)', 'restart node2', 'restart node3'], mode);
			assert.equal(plan.isLeaderFirst, true);
			assert.match(plan.notes[0]!, /max_connections 120 → 100: lowered, so the leader restarts first/);
		}
		assert.match(planRollingRestart(all, 'switchover', lowered).notes.join(' '), /No switchover/);
	});

	it('one lowered and one raised: leader first, and says that replicas pause replay meanwhile', () => {
		const mixed = hotStandbyChanges({max_connections: 100, max_locks_per_transaction: 128}, {max_connections: 120, max_locks_per_transaction: 64});
		const plan = planRollingRestart(all, 'switchover', mixed);
		assert.equal(plan.steps[0]?.kind, 'restart');
		assert.equal(plan.isLeaderFirst, true);
		assert.match(plan.notes.join(' '), /max_locks_per_transaction 64 → 128: raised at the same time/);
	});

	it('a setting outside the five (shared_buffers): replicas first, then the leader as asked', () => {
		assert.deepEqual(order(all, 'switchover'), ['restart node2', 'restart node3', 'switchover from node1', 'restart node1 (if still pending)']);
	});

	it('restarts only members pending a restart', () => {
		const someDone = all.map(member => (member.name === 'node2' ? {...member, pendingRestart: false} : member));
		assert.deepEqual(order(someDone, 'in-place'), ['restart node3', 'restart node1 (leader, in place)']);
		const leaderDone = all.map(member => (member.isLeader ? {...member, pendingRestart: false} : member));
		assert.deepEqual(order(leaderDone, 'switchover', hotStandbyChanges({max_connections: 100}, {max_connections: 120})), ['restart node2', 'restart node3']);
		assert.deepEqual(order(all.map(member => ({...member, pendingRestart: false})), 'switchover'), []);
	});

	it('a lone leader restarts in place, saying why there is no switchover', () => {
		const plan = planRollingRestart([{name: 'node1', isLeader: true, pendingRestart: true}], 'switchover', []);
		assert.deepEqual(plan.steps.map(describeStep), ['restart node1 (leader, in place)']);
		assert.match(plan.notes.join(' '), /No other member to switch over to/);
	});

	it('restarts each member once: replicas in numeric name order, the leader last', () => {
		const members: RestartMember[] = Array.from({length: 12}, (_, index) => ({name: `node${index + 1}`, isLeader: index === 4, pendingRestart: true}));
		const steps = planRollingRestart(members, 'in-place', []).steps;
		const names = steps.flatMap(planned => (planned.kind === 'restart' ? [planned.member] : []));
		assert.equal(new Set(names).size, names.length);
		assert.deepEqual(names.slice(0, 3), ['node1', 'node2', 'node3'], 'numeric name order: node10 after node9');
		assert.equal(names.at(-1), 'node5', 'the leader last');
	});
});
