import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';
import {adminFor, requireApi, requireTypedName, type OperationContext} from './context.js';
import {failoverCandidates, healthyLeader, whyNot} from './eligibility.js';
import {followLeaderChange} from './follow.js';
import {requireLeaderStill} from './leader-check.js';
import {mutation, type Operation, OperationRefused, step} from './operation.js';

export type FailoverInput = {
	readonly candidate: string;
	/** The candidate's name as the person typed it: required while a healthy leader is running. */
	readonly confirmedName?: string;
	/** The healthy leader the confirmation named: refused, from a fresh read, if another leads by the time it is sent. */
	readonly expectedLeader?: string;
};

/**
 * A failover is for a cluster whose leader is gone. With a healthy leader it still works (Patroni demotes it
 * without the switchover's checks), so it must be confirmed by typing the candidate's name.
 */
export function validateFailover(snapshot: ClusterSnapshot, input: FailoverInput): {candidate: MemberRow; leader: MemberRow | undefined} {
	const leader = healthyLeader(snapshot);
	const reason = whyNot(failoverCandidates(snapshot), snapshot, input.candidate);
	if (reason) throw new OperationRefused(`Cannot fail over: ${reason}.`);
	if (leader) {
		requireTypedName(
			input.confirmedName,
			input.candidate,
			`${leader.name} is a healthy leader: a failover demotes it without a switchover's checks (a switchover is the planned way)`,
		);
	}
	const candidate = requireApi(snapshot.members.find(member => member.name === input.candidate)!);
	return {candidate, leader: leader && requireApi(leader)};
}

/** Sent to the healthy leader when there is one, else to the candidate itself (the leader's API is gone). */
export function failoverOperation(context: OperationContext, input: FailoverInput): Operation {
	const title = `failover → ${input.candidate}`;
	return mutation(context.isReadOnly, title, input.candidate, async function* (signal) {
		if (input.expectedLeader !== undefined) await requireLeaderStill(context, input.expectedLeader, signal);
		const snapshot = context.observe();
		const {candidate, leader} = validateFailover(snapshot, input);
		const asking = leader
			? `asking ${leader.name}'s Patroni to fail over to ${candidate.name}, demoting itself`
			: `asking ${candidate.name}'s Patroni to take over (${snapshot.leader ? `${snapshot.leader} is gone` : 'there is no leader'})`;
		yield step(asking, 'running');
		const sentAt = Date.now();
		const request = adminFor(context, leader ?? candidate).failover({candidate: candidate.name, ...(leader ? {leader: leader.name} : {})}, signal);
		yield* followLeaderChange(context, {action: 'failover', from: snapshot.leader, to: candidate.name, request, sentAt}, signal);
	});
}
