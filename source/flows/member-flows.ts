/** Restart, reload, reinitialize, pause/resume and cancelling what is scheduled: each names its target. */
import type {DialogStep} from '../dialog.js';
import type {FlowContext} from '../flows.js';
import {cancelScheduledSwitchover, pauseOperation, resumeOperation} from '../operations/cluster-operations.js';
import type {OperationContext} from '../operations/context.js';
import {cancelScheduledRestart, reinitializeOperation, reloadOperation, restartOperation} from '../operations/member-operations.js';
import {choose, close, confirm, optionsOf, run, typed} from './dialogs.js';
import {selectedMember} from './leader-flows.js';

/** The member the action is for: the one under the cursor, or a list to pick from. */
function pickMember(context: FlowContext, title: string, then: (member: string) => DialogStep) {
	const names = context.snapshot.members.map(member => member.name);
	if (names.length === 0) return close('No member is known yet.');
	return choose(title, [], optionsOf(names.map(name => [name, name, name === context.snapshot.leader ? 'leader' : ''] as const)), then, selectedMember(context));
}

/** The leader's restart stops writes: its name typed out. Either way the member must still be what the dialog said. */
export function restartFlow(ops: () => OperationContext) {
	return (context: FlowContext) =>
		pickMember(context, 'Restart PostgreSQL on which member?', member => {
			const expectedLeader = context.snapshot.leader;
			if (member !== expectedLeader) {
				return confirm(`Restart PostgreSQL on ${member}?`, [`${member} is a replica.`], () => run(restartOperation(ops(), {member, expectedLeader})));
			}
			return typed(`Restart PostgreSQL on ${member}, the leader`, [`${member} is the leader: writes stop until it is back.`], member, name =>
				run(restartOperation(ops(), {member, expectedLeader, confirmedName: name})),
			);
		});
}

export function reloadFlow(ops: () => OperationContext) {
	return (context: FlowContext) => {
		const names = context.snapshot.members.map(member => member.name);
		const options = optionsOf([['*', 'every member'], ...names.map(name => [name, name] as const)]);
		return choose('Reload the configuration of…', [], options, target =>
			confirm(`Reload ${target === '*' ? 'every member' : target}?`, ['Patroni rewrites postgresql.conf and signals PostgreSQL (SIGHUP).'], () =>
				run(reloadOperation(ops(), target === '*' ? undefined : target)),
			),
		);
	};
}

export function reinitializeFlow(ops: () => OperationContext) {
	return (context: FlowContext) =>
		pickMember(context, 'Reinitialize which replica?', member => {
			if (member === context.snapshot.leader) return close(`${member} is the leader: only a replica can be reinitialized.`);
			return typed(`Reinitialize ${member}`, [`${member}'s data directory is removed and copied again from the leader.`], member, name =>
				run(reinitializeOperation(ops(), {member, confirmedName: name})),
			);
		});
}

export function pauseResumeFlow(ops: () => OperationContext) {
	return (context: FlowContext) =>
		context.snapshot.isPaused
			? confirm(`Resume ${context.snapshot.scope}?`, ['Patroni manages the cluster again: automatic failover is back on.'], () => run(resumeOperation(ops())))
			: confirm(`Pause ${context.snapshot.scope}?`, ['Maintenance mode: Patroni stops managing PostgreSQL; no automatic failover.'], () => run(pauseOperation(ops())));
}

export function cancelScheduledFlow(ops: () => OperationContext) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		const options: Array<readonly [string, string, string?]> = [];
		if (snapshot.scheduledSwitchover) options.push(['switchover', `switchover at ${snapshot.scheduledSwitchover.at}`, `→ ${snapshot.scheduledSwitchover.to ?? 'any'}`]);
		for (const member of snapshot.members) if (member.scheduledRestart) options.push([`restart:${member.name}`, `restart of ${member.name}`, member.scheduledRestart]);
		if (options.length === 0) return close('Nothing is scheduled.');
		return choose('Cancel which scheduled action?', [], optionsOf(options), choice =>
			confirm(`Cancel the scheduled ${choice === 'switchover' ? 'switchover' : `restart of ${choice.slice('restart:'.length)}`}?`, [], () =>
				run(choice === 'switchover' ? cancelScheduledSwitchover(ops()) : cancelScheduledRestart(ops(), choice.slice('restart:'.length))),
			),
		);
	};
}
