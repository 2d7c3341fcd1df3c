import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';
import {adminFor, requireMember, requireTypedName, seconds, type OperationContext} from './context.js';
import {waitForSnapshot} from './follow.js';
import {requireLeaderStill, requireNotLeader} from './leader-check.js';
import {done, mutation, type Operation, type OperationEvent, OperationRefused, step} from './operation.js';
import {isSuccess, patroniSays, type PatroniAnswer} from '../clients/patroni.js';

/** A member whose Patroni answers; a request to one that does not would only time out. */
export function reachableMember(snapshot: ClusterSnapshot, name: string): MemberRow {
	const member = requireMember(snapshot, name);
	if (member.restError) throw new OperationRefused(`${name}'s Patroni REST API does not answer (${member.restError}).`);
	return member;
}

const isBack = (name: string, isReplica: boolean) => (snapshot: ClusterSnapshot) => {
	const member = snapshot.members.find(candidate => candidate.name === name);
	if (!member || member.restError || member.state !== 'running') return false;
	return !isReplica || member.replicationState === 'streaming';
};

/** Reports Patroni's answer; on success, optionally follows until the member runs (and streams) again. */
async function* answered(
	context: OperationContext,
	signal: AbortSignal,
	answer: PatroniAnswer,
	follow?: {readonly member: MemberRow; readonly isReplica: boolean; readonly goesDown?: boolean},
): AsyncGenerator<OperationEvent> {
	if (!isSuccess(answer)) return yield done(false, patroniSays(answer));
	yield step(`Patroni: ${answer.text}`);
	if (!follow) return yield done(true, answer.text);
	const name = follow.member.name;
	// Patroni answers a reinitialize at once, while the member still looks fine: see it go down before calling it back.
	if (follow.goesDown) {
		const downMs = await waitForSnapshot(context, signal, snapshot => !isBack(name, follow.isReplica)(snapshot), 15_000);
		yield downMs === undefined ? step(`${name} was not seen going down`, 'info') : step(`${name} is being rebuilt (${seconds(downMs)})`);
	}
	const tookMs = await waitForSnapshot(context, signal, isBack(name, follow.isReplica));
	const back = follow.isReplica ? 'running and streaming' : 'running';
	yield tookMs === undefined ? done(false, `${name} is not ${back} again yet`) : done(true, `${name} is ${back} again (${seconds(tookMs)})`);
}

export type RestartInput = {
	readonly member: string;
	/** Restart at this time instead of now (Patroni keeps it until then). */
	readonly schedule?: Date;
	/** Only if PostgreSQL says a restart is pending (Patroni's restart_pending filter). */
	readonly onlyIfPending?: boolean;
	/** The leader when the restart was confirmed: the leader's restart needs its name typed out, and either way the
	 * member must still be what the confirmation called it (the leader, or a replica), from a fresh read. */
	readonly expectedLeader?: string;
	readonly confirmedName?: string;
};

export function restartOperation(context: OperationContext, input: RestartInput): Operation {
	const title = `restart ${input.member}${input.schedule ? ` at ${input.schedule.toISOString()}` : ''}`;
	return mutation(context.isReadOnly, title, input.member, async function* (signal) {
		const snapshot = context.observe();
		const member = reachableMember(snapshot, input.member);
		if (input.schedule) {
			if (Number.isNaN(input.schedule.getTime()) || input.schedule.getTime() <= Date.now()) {
				throw new OperationRefused('The scheduled restart time must be a valid time in the future.');
			}
			if (snapshot.isPaused) throw new OperationRefused('A restart cannot be scheduled while the cluster is paused (Patroni refuses it).');
		}
		if (input.onlyIfPending && !member.pendingRestart) throw new OperationRefused(`${member.name} has no pending restart.`);
		if (input.expectedLeader !== undefined) {
			if (input.expectedLeader === member.name) {
				requireTypedName(input.confirmedName, member.name, `${member.name} is the leader: writes stop until it is back`);
				await requireLeaderStill(context, member.name, signal);
			} else await requireNotLeader(context, member.name, signal);
		}
		yield step(`asking ${member.name}'s Patroni to restart PostgreSQL`, 'running');
		const answer = await adminFor(context, member).restart(
			{...(input.schedule ? {schedule: input.schedule.toISOString()} : {}), ...(input.onlyIfPending ? {restart_pending: true} : {})},
			signal,
		);
		const isReplica = member.name !== snapshot.leader;
		yield* answered(context, signal, answer, input.schedule ? undefined : {member, isReplica});
	});
}

/** POST /reload to one member, or to every member when none is named (Patroni reloads only the one asked). */
export function reloadOperation(context: OperationContext, member?: string): Operation {
	const title = member ? `reload ${member}` : 'reload every member';
	return mutation(context.isReadOnly, title, member ?? context.observe().scope, async function* (signal) {
		const snapshot = context.observe();
		const members = member ? [reachableMember(snapshot, member)] : snapshot.members.filter(row => row.apiUrl && !row.restError);
		if (members.length === 0) throw new OperationRefused('No member\'s Patroni REST API answers: there is nobody to reload.');
		const failed: string[] = [];
		for (const row of members) {
			const answer = await adminFor(context, row).reload(signal);
			yield step(`${row.name}: ${isSuccess(answer) ? answer.text : patroniSays(answer)}`, isSuccess(answer) ? 'done' : 'failed');
			if (!isSuccess(answer)) failed.push(row.name);
		}
		yield done(failed.length === 0, failed.length === 0 ? `reload scheduled on ${members.map(row => row.name).join(', ')}` : `reload refused on ${failed.join(', ')}`);
	});
}

export type ReinitializeInput = {
	readonly member: string;
	/** The member's name typed out: its data directory is wiped and copied again from the leader. */
	readonly confirmedName?: string;
	/** Patroni's `force`: go ahead even while another action is in progress on that member. */
	readonly force?: boolean;
};

export function reinitializeOperation(context: OperationContext, input: ReinitializeInput): Operation {
	const title = `reinitialize ${input.member}`;
	return mutation(context.isReadOnly, title, input.member, async function* (signal) {
		const snapshot = context.observe();
		const member = reachableMember(snapshot, input.member);
		if (!snapshot.leader) throw new OperationRefused(`${snapshot.scope} has no leader to copy ${member.name} from.`);
		if (member.name === snapshot.leader) throw new OperationRefused(`${member.name} is the leader: only a replica can be reinitialized (switch over first).`);
		requireTypedName(input.confirmedName, member.name, `Reinitializing ${member.name} wipes its data directory`);
		yield step(`asking ${member.name}'s Patroni to reinitialize it from ${snapshot.leader}`, 'running');
		const answer = await adminFor(context, member).reinitialize(input.force ? {force: true} : {}, signal);
		yield* answered(context, signal, answer, {member, isReplica: true, goesDown: true});
	});
}

export function cancelScheduledRestart(context: OperationContext, member: string): Operation {
	const title = `cancel the scheduled restart of ${member}`;
	return mutation(context.isReadOnly, title, member, async function* (signal) {
		const row = reachableMember(context.observe(), member);
		if (!row.scheduledRestart) throw new OperationRefused(`${member} has no scheduled restart.`);
		yield step(`asking ${member}'s Patroni to drop the restart scheduled for ${row.scheduledRestart}`, 'running');
		yield* answered(context, signal, await adminFor(context, row).cancelRestart(signal));
	});
}
