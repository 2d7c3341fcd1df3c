/** The write probe on its own (`w`): runs until stopped, reporting what a client sees every few seconds. */
import {sleep} from '../async.js';
import {errorMessage} from '../errors.js';
import {formatDuration} from '../model/format.js';
import {leaderAddress, type OperationContext} from './context.js';
import {done, refuseWhenReadOnly, step, type Operation, type OperationEvent} from './operation.js';
import {describeProbeResult, QUICK_FINISH, startWriteProbe, type WriteProbe, type WriteProbeOptions, type WriteProbeResult} from './write-probe.js';

/**
 * The probe writes through HAProxy's primary listener when one is configured, as a client would; without one,
 * to the leader the DCS names at each reconnect, so it follows a switchover by itself.
 */
export function probeOptions(context: OperationContext): WriteProbeOptions {
	const base = {postgres: context.clients.postgres, isReadOnly: context.isReadOnly};
	const {primary} = context.clients.haproxy;
	if (primary) return {...base, primary, targetName: `${primary.host}:${primary.port}`};
	return {...base, primary: () => leaderAddress(context.observe()), targetName: 'the leader'};
}

/** "write probe started: a small write every 50 ms into public.patroni_tui_probe_… through 127.0.0.1:15000" */
export const describeProbeStart = (probe: WriteProbe, options: WriteProbeOptions): string =>
	`write probe started: a small write every ${options.intervalMs ?? 50} ms into ${probe.table} (its own, dropped at the end) through ${options.targetName ?? 'the primary'}`;

/**
 * Stops the probe and says what it saw, then what became of its table (dropped, or left and where). A cancelled
 * operation's probe gets one quick try. Returns the result, or undefined when the rows could not be read back.
 */
export async function* finishProbe(probe: WriteProbe, signal: AbortSignal): AsyncGenerator<OperationEvent, WriteProbeResult | undefined> {
	try {
		const result = await probe.finish(signal.aborted ? QUICK_FINISH : {});
		yield step(describeProbeResult(result, formatDuration), result.missing === 0 ? 'done' : 'failed');
		if (result.missing > 0) yield step(`write probe: lost writes include ${result.missingTokens.join(', ')}`, 'failed');
		yield step(`write probe table: ${result.cleanup}`, result.isTableLeft ? 'failed' : 'info');
		return result;
	} catch (error) {
		yield step(`write probe could not read back: ${errorMessage(error)}`, 'failed');
		return undefined;
	}
}

/** Runs until `stopSignal` (or the runner's signal) aborts; `onEnd` is called however it ends. */
export function writeProbeOperation(options: WriteProbeOptions, stopSignal: AbortSignal, onEnd: () => void): Operation {
	const target = options.targetName ?? 'the primary';
	const title = `write probe to ${target}`;
	return {
		title,
		target,
		isMutating: true,
		isExclusive: false,
		async *run(signal) {
			let probe: WriteProbe | undefined;
			try {
				refuseWhenReadOnly(Boolean(options.isReadOnly), title);
				probe = startWriteProbe(options);
				const either = AbortSignal.any([signal, stopSignal]);
				await probe.started(2000, either);
				yield step(describeProbeStart(probe, options), 'info');
				while (!either.aborted) {
					await sleep(5000, either);
					const {acknowledged, failed, longestOutageMs} = probe.stats;
					yield step(`${acknowledged} acknowledged, ${failed} failed, longest outage ${formatDuration(longestOutageMs)}`, 'info');
				}
				const running = probe;
				probe = undefined;
				const result = yield* finishProbe(running, signal);
				yield result
					? done(result.missing === 0 && !result.isTableLeft, `${result.acknowledged} acknowledged, ${result.missing} missing, longest outage ${formatDuration(result.longestOutageMs)}`)
					: done(false, 'the probe\'s rows could not be read back');
			} finally {
				// Left early (the consumer stopped reading): the probe still stops and its table is still dropped.
				if (probe) await probe.finish(QUICK_FINISH).catch(() => undefined);
				onEnd();
			}
		},
	};
}
