/** Switchover and failover: pick a candidate among the eligible (the others shown with their reason), then confirm. */
import type {ChoiceOption} from '../dialog.js';
import type {FlowContext} from '../flows.js';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import type {OperationContext} from '../operations/context.js';
import {failoverCandidates, healthyLeader, switchoverCandidates, type Candidates} from '../operations/eligibility.js';
import {failoverOperation} from '../operations/failover.js';
import {switchoverOperation} from '../operations/switchover.js';
import {choose, close, confirm, confirmWithProbe, input, invalid, optionsOf, run, typedWithProbe} from './dialogs.js';
import {besideProbe, type ProbeBeside} from './probe.js';

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

export function switchoverFlow(ops: () => OperationContext, probe: ProbeBeside) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		if (!snapshot.leader) return close('No leader to switch over from: use f (failover) instead.');
		const candidates = switchoverCandidates(snapshot);
		const lines = [`Leader now: ${snapshot.leader}. Members that cannot take over are listed with the reason.`];
		return choose('Switchover: choose the new leader', lines, candidateOptions(candidates), candidate =>
			choose(`Switchover ${snapshot.leader} → ${candidate}: when?`, [], optionsOf([['now', 'now'], ['later', 'at a time…']]), when => {
				if (when === 'now') return confirmSwitchover(ops, snapshot, candidate, undefined, probe);
				return input(`Switchover ${snapshot.leader} → ${candidate}: at what time?`, ['HH:MM today (or tomorrow), or an ISO 8601 time'], 'time:', text => {
					const at = parseScheduleTime(text);
					return at ? confirmSwitchover(ops, snapshot, candidate, at, probe) : invalid(`"${text}" is not a future time.`);
				});
			}),
		selectedMember(context));
	};
}

/** The leader the dialog names goes with the operation: if another leads when it is sent, nothing is sent. */
function confirmSwitchover(ops: () => OperationContext, snapshot: ClusterSnapshot, candidate: string, at: Date | undefined, probe: ProbeBeside) {
	const expectedLeader = snapshot.leader!;
	const title = `Switchover ${expectedLeader} → ${candidate}${at ? ` at ${at.toISOString()}` : ''}?`;
	const lines = [`Patroni demotes ${expectedLeader} and promotes ${candidate}; clients reconnect through HAProxy.`];
	// A scheduled switchover happens later, without us: the probe only runs beside one made now.
	if (at) return confirm(title, lines, () => run(switchoverOperation(ops(), {candidate, scheduledAt: at, expectedLeader})));
	return confirmWithProbe(title, lines, probe.target(), withProbe => run(besideProbe(probe, switchoverOperation(ops(), {candidate, expectedLeader}), withProbe)));
}

export function failoverFlow(ops: () => OperationContext, probe: ProbeBeside) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		const candidates = failoverCandidates(snapshot);
		return choose('Failover: choose the new leader', [], candidateOptions(candidates), candidate => {
			const leader = healthyLeader(snapshot);
			if (!leader) {
				return confirmWithProbe(`Failover to ${candidate}?`, [`There is no healthy leader; Patroni promotes ${candidate}.`], probe.target(), withProbe =>
					run(besideProbe(probe, failoverOperation(ops(), {candidate}), withProbe)),
				);
			}
			const lines = [`${leader.name} is a healthy leader: a switchover (s) is the safe way.`, 'A failover does not wait for the leader to shut down cleanly.'];
			return typedWithProbe(`Failover to ${candidate} while ${leader.name} is healthy`, lines, candidate, probe.target(), (name, withProbe) =>
				run(besideProbe(probe, failoverOperation(ops(), {candidate, confirmedName: name, expectedLeader: leader.name}), withProbe)),
			);
		}, selectedMember(context));
	};
}
