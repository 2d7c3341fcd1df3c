import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';
import {adminFor, requireApi, type OperationContext} from './context.js';
import {switchoverCandidates, whyNot} from './eligibility.js';
import {followLeaderChange} from './follow.js';
import {requireLeaderStill} from './leader-check.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';
import {isSuccess, patroniSays} from '../clients/patroni.js';

export type SwitchoverInput = {
	readonly candidate: string;
	/** When set, Patroni holds the switchover until then (it must be in the future). */
	readonly scheduledAt?: Date;
	/** The leader the confirmation named: refused, from a fresh read, if another leads by the time it is sent. */
	readonly expectedLeader?: string;
};

/** Everything checked before a switchover is sent; returns the leader and candidate rows, or throws a refusal. */
export function validateSwitchover(snapshot: ClusterSnapshot, input: SwitchoverInput, now = Date.now()): {leader: MemberRow; candidate: MemberRow} {
	const leader = snapshot.members.find(member => member.name === snapshot.leader);
	if (!leader) throw new OperationRefused(`${snapshot.scope} has no leader to switch over from: a failover is what picks a new one.`);
	if (input.candidate === leader.name) throw new OperationRefused(`${leader.name} is already the leader: choose a replica.`);
	const reason = whyNot(switchoverCandidates(snapshot), snapshot, input.candidate);
	if (reason) throw new OperationRefused(`Cannot switch over: ${reason}.`);
	if (input.scheduledAt !== undefined) {
		const at = input.scheduledAt.getTime();
		if (Number.isNaN(at)) throw new OperationRefused('The scheduled time is not a valid date.');
		if (at <= now) throw new OperationRefused(`The scheduled time ${input.scheduledAt.toISOString()} is in the past.`);
		if (snapshot.isPaused) throw new OperationRefused('A switchover cannot be scheduled while the cluster is paused (Patroni refuses it).');
	}
	requireApi(leader);
	return {leader, candidate: snapshot.members.find(member => member.name === input.candidate)!};
}

/**
 * A planned switchover, sent to the leader's Patroni as patronictl does. Done when the candidate holds the
 * leader key and HAProxy routes writes to it alone; a scheduled one is done when Patroni has accepted it.
 */
export function switchoverOperation(context: OperationContext, input: SwitchoverInput): Operation {
	// The leader the engineer confirmed: the title must say what was agreed to, even if another leads by now.
	const from = input.expectedLeader ?? context.observe().leader;
	const when = input.scheduledAt ? ` at ${input.scheduledAt.toISOString()}` : '';
	const title = `switchover ${from ?? '?'} → ${input.candidate}${when}`;
	return mutation(context.isReadOnly, title, input.candidate, async function* (signal) {
		if (input.expectedLeader !== undefined) await requireLeaderStill(context, input.expectedLeader, signal);
		const {leader, candidate} = validateSwitchover(context.observe(), input);
		const admin = adminFor(context, leader);
		const scheduled_at = input.scheduledAt?.toISOString();
		yield step(`asking ${leader.name}'s Patroni to hand over to ${candidate.name}${when}`, 'running');
		const sentAt = Date.now();
		const request = admin.switchover({leader: leader.name, candidate: candidate.name, ...(scheduled_at ? {scheduled_at} : {})}, signal);
		if (scheduled_at) {
			const answer = await request;
			yield done(isSuccess(answer), isSuccess(answer) ? `Patroni: ${answer.text} for ${scheduled_at}` : patroniSays(answer));
			return;
		}
		yield* followLeaderChange(context, {action: 'switchover', from: leader.name, to: candidate.name, request, sentAt}, signal);
	});
}
