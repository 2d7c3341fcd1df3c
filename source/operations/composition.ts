/** Operations made of operations: one after another, or wrapped in a write probe. */
import {errorMessage} from '../errors.js';
import {done, step, type Operation, type OperationEvent} from './operation.js';
import {QUICK_FINISH, startWriteProbe, type WriteProbe, type WriteProbeOptions} from './write-probe.js';
import {describeProbeStart, finishProbe} from './write-probe-operation.js';

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
 *
 * The probe starts only once the operation has validated. Every operation checks everything before its first
 * event (a refusal is thrown, or a done says there is nothing to do) and yields its first step just before it
 * acts, suspended there until read; so the probe starts between that step and the action, a refused operation
 * writes nothing, and the probe has its first write answered before the cluster is touched.
 */
export function withWriteProbe(operation: Operation, probe: WriteProbeOptions | undefined): Operation {
	if (!probe) return operation;
	return {
		...operation,
		async *run(signal) {
			const events = operation.run(signal)[Symbol.asyncIterator]();
			const first = await events.next();
			if (first.done) return;
			if (first.value.kind === 'done') return yield first.value;
			let writer: WriteProbe;
			try {
				writer = startWriteProbe(probe);
			} catch (error) {
				yield step(`write probe not started: ${errorMessage(error)}`, 'skipped');
				yield first.value;
				return yield* rest(events);
			}
			let isFinished = false;
			try {
				await writer.started(2000, signal);
				yield step(describeProbeStart(writer, probe), 'info');
				let outcome: OperationEvent | undefined;
				try {
					for (let next: IteratorResult<OperationEvent> = first; !next.done; next = await events.next()) {
						if (next.value.kind === 'done') outcome = next.value;
						else yield next.value;
					}
				} catch (error) {
					// The probe must be stopped, counted and its table dropped whatever happened to the operation.
					outcome = done(false, errorMessage(error));
				}
				isFinished = true;
				yield* finishProbe(writer, signal);
				if (outcome) yield outcome;
			} finally {
				if (!isFinished) await writer.finish(QUICK_FINISH).catch(() => undefined);
			}
		},
	};
}

async function* rest(events: AsyncIterator<OperationEvent>): AsyncGenerator<OperationEvent> {
	for (let next = await events.next(); !next.done; next = await events.next()) yield next.value;
}
