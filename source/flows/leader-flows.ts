/** Switchover and failover: pick a candidate among the eligible (the others shown with their reason), then confirm. */
import type {ChoiceOption} from '../dialog.js';
import type {FlowContext} from '../flows.js';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import type {OperationContext} from '../operations/context.js';
import type {Operation} from '../operations/operation.js';
import {failoverCandidates, healthyLeader, switchoverCandidates, type Candidates} from '../operations/eligibility.js';
import {failoverOperation} from '../operations/failover.js';
import {switchoverOperation} from '../operations/switchover.js';
import {choose, close, confirm, input, optionsOf, run, typed} from './dialogs.js';

function candidateOptions(candidates: Candidates): ChoiceOption[] {
	return [
		...candidates.eligible.map(name => ({value: name, label: name, isEnabled: true})),
		...candidates.ineligible.map(({member, reason}) => ({value: member, label: member, detail: reason, isEnabled: false})),
	];
}

/** The member under the cursor in the Members pane, offered first when it is a candidate. */
export function selectedMember(context: FlowContext): string | undefined {
	return context.snapshot.members[context.selection.members]?.name;
}

/** "14:30" (today, or tomorrow if already past) or an ISO 8601 time. */
export function parseScheduleTime(text: string, now = new Date()): Date | undefined {
	const clock = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
	if (clock) {
		const at = new Date(now);
		at.setHours(Number(clock[1]), Number(clock[2]), 0, 0);
		if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
		return Number(clock[1]) < 24 && Number(clock[2]) < 60 ? at : undefined;
	}
	const parsed = new Date(text.trim());
	return Number.isNaN(parsed.getTime()) || parsed.getTime() <= now.getTime() ? undefined : parsed;
}

export function switchoverFlow(ops: () => OperationContext, decorate: (operation: Operation) => Operation = operation => operation) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		if (!snapshot.leader) return close('No leader to switch over from: use f (failover) instead.');
		const candidates = switchoverCandidates(snapshot);
		const lines = [`Leader now: ${snapshot.leader}. Members that cannot take over are listed with the reason.`];
		return choose('Switchover: choose the new leader', lines, candidateOptions(candidates), candidate =>
			choose(`Switchover ${snapshot.leader} → ${candidate}: when?`, [], optionsOf([['now', 'now'], ['later', 'at a time…']]), when => {
				if (when === 'now') return confirmSwitchover(ops, snapshot, candidate, undefined, decorate);
				return input(`Switchover ${snapshot.leader} → ${candidate}: at what time?`, ['HH:MM today (or tomorrow), or an ISO 8601 time'], 'time:', text => {
					const at = parseScheduleTime(text);
					return at ? confirmSwitchover(ops, snapshot, candidate, at, decorate) : close(`"${text}" is not a future time: nothing was sent.`);
				});
			}),
		selectedMember(context));
	};
}

function confirmSwitchover(ops: () => OperationContext, snapshot: ClusterSnapshot, candidate: string, at: Date | undefined, decorate: (operation: Operation) => Operation) {
	const when = at ? ` at ${at.toISOString()}` : '';
	return confirm(`Switchover ${snapshot.leader} → ${candidate}${when}?`, [`Patroni demotes ${snapshot.leader} and promotes ${candidate}; clients reconnect through HAProxy.`], () =>
		// A scheduled switchover happens later, without us: the probe only runs beside one made now.
		run(at ? switchoverOperation(ops(), {candidate, scheduledAt: at}) : decorate(switchoverOperation(ops(), {candidate}))),
	);
}

export function failoverFlow(ops: () => OperationContext, decorate: (operation: Operation) => Operation = operation => operation) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		const candidates = failoverCandidates(snapshot);
		return choose('Failover: choose the new leader', [], candidateOptions(candidates), candidate => {
			const leader = healthyLeader(snapshot);
			if (!leader) {
				return confirm(`Failover to ${candidate}?`, [`There is no healthy leader; Patroni promotes ${candidate}.`], () =>
					run(decorate(failoverOperation(ops(), {candidate}))),
				);
			}
			const lines = [`${leader.name} is a healthy leader: a switchover (s) is the safe way.`, 'A failover does not wait for the leader to shut down cleanly.'];
			return typed(`Failover to ${candidate} while ${leader.name} is healthy`, lines, candidate, name =>
				run(decorate(failoverOperation(ops(), {candidate, confirmedName: name}))),
			);
		}, selectedMember(context));
	};
}
