/**
 * The order of a rolling restart, as pure data. Two facts decide it:
 *
 * 1. A hot standby keeps shared memory sized for its primary's max_connections, max_worker_processes,
 *    max_wal_senders, max_prepared_transactions and max_locks_per_transaction. Started with a lower value than the
 *    primary's (as recorded in WAL and pg_control), it refuses to start: "recovery aborted because of insufficient
 *    parameter settings". Patroni works around that by starting such a replica with the primary's value and
 *    leaving it pending a restart — so a replica can't take a lowered value until its primary has.
 * 2. Only one member may be down at a time, and the cluster must keep a leader.
 *
 * Raised (or any other postmaster setting): replicas first, one by one — they may run higher than the primary —
 * then the leader, by a switchover to a restarted replica (the old leader comes back as a replica with the new
 * value) or in place.
 *
 * Lowered: the leader first, restarted in place. A switchover would be wrong: it hands the leadership to a
 * replica still running the higher value, and every replica restarted after it would be started at that higher
 * value again. Restarted in place, the leader comes up with the lower value and logs it in WAL; each replica,
 * once it has replayed that record (we wait for it to catch up), can then restart with the lower value too.
 * Lowering one and raising another in the same restart also goes leader first; replicas whose value is now
 * below the leader's pause replay until their own restart, which comes right after.
 */

export const HOT_STANDBY_MINIMUMS = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'] as const;

export type SettingChange = {readonly name: string; readonly running: number; readonly target: number};

/** Those settings whose DCS value differs from what the leader runs, with the direction in the numbers. */
export function hotStandbyChanges(dcsParameters: Readonly<Record<string, unknown>>, leaderRunning: Readonly<Record<string, number>>): SettingChange[] {
	const changes: SettingChange[] = [];
	for (const name of HOT_STANDBY_MINIMUMS) {
		const key = Object.keys(dcsParameters).find(candidate => candidate.toLowerCase() === name);
		const target = key === undefined ? Number.NaN : Number(dcsParameters[key]);
		const running = leaderRunning[name];
		if (Number.isFinite(target) && running !== undefined && target !== running) changes.push({name, running, target});
	}
	return changes;
}

export type RestartMember = {readonly name: string; readonly isLeader: boolean; readonly pendingRestart: boolean};

export type RestartStep =
	| {readonly kind: 'restart'; readonly member: string; readonly role: 'replica' | 'leader'; readonly onlyIfPending?: boolean}
	| {readonly kind: 'switchover'; readonly from: string};

export type RestartPlan = {readonly steps: readonly RestartStep[]; readonly isLeaderFirst: boolean; readonly notes: readonly string[]};

const describeChange = (change: SettingChange) => `${change.name} ${change.running} → ${change.target}`;

export function planRollingRestart(members: readonly RestartMember[], mode: 'switchover' | 'in-place', changes: readonly SettingChange[]): RestartPlan {
	const leader = members.find(member => member.isLeader);
	const replicas = members
		.filter(member => !member.isLeader && member.pendingRestart)
		.map(member => member.name)
		.sort((a, b) => a.localeCompare(b, 'en', {numeric: true}));
	const replicaSteps: RestartStep[] = replicas.map(member => ({kind: 'restart', member, role: 'replica'}));
	const lowered = changes.filter(change => change.target < change.running);
	const raised = changes.filter(change => change.target > change.running);
	if (!leader?.pendingRestart) return {steps: replicaSteps, isLeaderFirst: false, notes: []};

	if (lowered.length > 0) {
		const notes = [
			`${lowered.map(describeChange).join(', ')}: lowered, so the leader restarts first, in place — a replica can't run below its primary.`,
			...(mode === 'switchover' ? ['No switchover: it would hand the leadership to a member still running the higher value.'] : []),
			...(raised.length > 0 ? [`${raised.map(describeChange).join(', ')}: raised at the same time; replicas pause replay until their restart.`] : []),
		];
		return {steps: [{kind: 'restart', member: leader.name, role: 'leader'}, ...replicaSteps], isLeaderFirst: true, notes};
	}

	const hasOtherMember = members.some(member => !member.isLeader);
	const notes = raised.length > 0 ? [`${raised.map(describeChange).join(', ')}: raised, so replicas restart first.`] : [];
	if (mode === 'switchover' && hasOtherMember) {
		const leaderSteps: RestartStep[] = [{kind: 'switchover', from: leader.name}, {kind: 'restart', member: leader.name, role: 'replica', onlyIfPending: true}];
		return {steps: [...replicaSteps, ...leaderSteps], isLeaderFirst: false, notes};
	}
	const alone = mode === 'switchover' ? ['No other member to switch over to: the leader restarts in place.'] : [];
	return {steps: [...replicaSteps, {kind: 'restart', member: leader.name, role: 'leader'}], isLeaderFirst: false, notes: [...notes, ...alone]};
}

export function describeStep(step: RestartStep): string {
	if (step.kind === 'switchover') return `switchover from ${step.from}`;
	return `restart ${step.member}${step.role === 'leader' ? ' (leader, in place)' : step.onlyIfPending ? ' (if still pending)' : ''}`;
}
