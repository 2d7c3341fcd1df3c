/** Operations made of operations: one after another, or wrapped in a write probe. */
import {formatDuration} from '../model/format.js';
import {errorMessage} from '../errors.js';
import {done, step, type Operation, type OperationEvent} from './operation.js';
import {startWriteProbe, type WriteProbeOptions} from './write-probe.js';

/** Runs the parts in order, reporting each one's steps; stops at the first that does not end well. */
export function sequence(title: string, target: string, parts: readonly Operation[]): Operation {
	return {
		title,
		target,
		isMutating: parts.some(part => part.isMutating),
		async *run(signal) {
			for (const part of parts) {
				let last: OperationEvent | undefined;
				yield step(part.title, 'running');
				for await (const event of part.run(signal)) {
					last = event;
					yield event.kind === 'done' ? step(`${part.title}: ${event.summary}`, event.isOk ? 'done' : 'failed') : event;
				}
				if (last?.kind !== 'done' || !last.isOk) {
					yield done(false, `stopped after "${part.title}"`);
					return;
				}
			}
			yield done(true, `${parts.length} step${parts.length === 1 ? '' : 's'} done`);
		},
	};
}

/**
 * Runs the operation with a write probe through HAProxy's primary listener alongside it, and reports what a
 * client saw: writes acknowledged and failed, the longest outage, and acknowledged writes that went missing.
 */
export function withWriteProbe(operation: Operation, probe: WriteProbeOptions | undefined): Operation {
	if (!probe) return operation;
	return {
		...operation,
		async *run(signal) {
			let writer;
			try {
				writer = startWriteProbe(probe);
			} catch (error) {
				yield step(`write probe not started: ${errorMessage(error)}`, 'skipped');
				yield* operation.run(signal);
				return;
			}
			yield step(`write probe started: small writes to ${probe.targetName ?? 'the primary'} every 50 ms`, 'info');
			let outcome: OperationEvent | undefined;
			try {
				for await (const event of operation.run(signal)) {
					if (event.kind === 'done') outcome = event;
					else yield event;
				}
			} catch (error) {
				// The probe must be stopped and counted whatever happened to the operation.
				outcome = done(false, errorMessage(error));
			}
			try {
				const result = await writer.finish();
				const text = `write probe: ${result.acknowledged} acknowledged, ${result.failed} failed, longest outage ${formatDuration(result.longestOutageMs)}, ${result.missing} acknowledged writes missing`;
				yield step(text, result.missing === 0 ? 'done' : 'failed');
			} catch (error) {
				yield step(`write probe could not read back: ${errorMessage(error)}`, 'failed');
			}
			if (outcome) yield outcome;
		},
	};
}
