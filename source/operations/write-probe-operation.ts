/** The write probe on its own (`w`): runs until stopped, reporting what a client sees every few seconds. */
import {sleep} from '../async.js';
import {formatDuration} from '../model/format.js';
import {leaderAddress, type OperationContext} from './context.js';
import {done, refuseWhenReadOnly, step, type Operation} from './operation.js';
import {startWriteProbe, type WriteProbeOptions} from './write-probe.js';

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
			refuseWhenReadOnly(Boolean(options.isReadOnly), title);
			const probe = startWriteProbe(options);
			const either = AbortSignal.any([signal, stopSignal]);
			try {
				while (!either.aborted) {
					await sleep(5000, either);
					const {acknowledged, failed, longestOutageMs} = probe.stats;
					yield step(`${acknowledged} acknowledged, ${failed} failed, longest outage ${formatDuration(longestOutageMs)}`, 'info');
				}
				const result = await probe.finish();
				yield done(result.missing === 0, `${result.acknowledged} acknowledged, ${result.missing} missing, longest outage ${formatDuration(result.longestOutageMs)}`);
			} finally {
				onEnd();
			}
		},
	};
}
