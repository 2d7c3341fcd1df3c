import {adminFor, anyApiMember, seconds, type OperationContext} from './context.js';
import {waitForSnapshot} from './follow.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';
import {isSuccess, patroniSays} from '../clients/patroni.js';

/**
 * Maintenance mode through the DCS config key (PATCH /config {pause}), as patronictl pause/resume do. Done when
 * the cluster is seen paused (or not), since Patroni's answer only says the key was written.
 */
function pauseFlagOperation(context: OperationContext, pause: boolean): Operation {
	const scope = context.observe().scope;
	const title = pause ? `pause ${scope} (maintenance mode)` : `resume ${scope}`;
	return mutation(context.isReadOnly, title, scope, async function* (signal) {
		const snapshot = context.observe();
		if (snapshot.isPaused === pause) throw new OperationRefused(`${scope} is already ${pause ? 'paused' : 'running under Patroni (not paused)'}.`);
		const member = anyApiMember(snapshot);
		yield step(`asking ${member.name}'s Patroni to set pause: ${pause} in the DCS config`, 'running');
		const answer = await adminFor(context, member).patchConfig({pause}, signal);
		if (!isSuccess(answer)) return yield done(false, patroniSays(answer));
		yield step('Patroni wrote the config key');
		const tookMs = await waitForSnapshot(context, signal, seen => seen.isPaused === pause);
		const state = pause ? 'paused: Patroni will not fail over or restart anything' : 'resumed: Patroni manages it again';
		yield tookMs === undefined ? done(false, `the config was written, but ${scope} is not seen ${pause ? 'paused' : 'resumed'} yet`) : done(true, `${scope} is ${state} (${seconds(tookMs)})`);
	});
}

export const pauseOperation = (context: OperationContext): Operation => pauseFlagOperation(context, true);
export const resumeOperation = (context: OperationContext): Operation => pauseFlagOperation(context, false);

export function cancelScheduledSwitchover(context: OperationContext): Operation {
	const scope = context.observe().scope;
	const title = `cancel the scheduled switchover of ${scope}`;
	return mutation(context.isReadOnly, title, scope, async function* (signal) {
		const snapshot = context.observe();
		const scheduled = snapshot.scheduledSwitchover;
		if (!scheduled) throw new OperationRefused(`${scope} has no scheduled switchover.`);
		const member = anyApiMember(snapshot);
		yield step(`asking ${member.name}'s Patroni to drop the switchover scheduled for ${scheduled.at}`, 'running');
		const answer = await adminFor(context, member).cancelSwitchover(signal);
		yield isSuccess(answer) ? done(true, `Patroni: ${answer.text}`) : done(false, patroniSays(answer));
	});
}
