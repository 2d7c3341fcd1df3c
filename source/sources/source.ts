import {isDeepStrictEqual} from 'node:util';
import {errorMessage} from '../errors.js';
import {fixedPace, type Pace} from './cadence.js';

/** What a source yields: fresh data, or the reason it has none right now. Never thrown, always yielded. */
export type SourceEvent<T> =
	| {readonly kind: 'data'; readonly data: T; readonly at: number}
	| {readonly kind: 'error'; readonly error: string; readonly at: number};

/** A source is started with an AbortSignal and stops (cleaning up in `finally`) when it is aborted. */
export type Source<T> = (signal: AbortSignal) => AsyncIterable<SourceEvent<T>>;

/**
 * Adapts a read function into a source: read, yield only when the result (or the error) changed, wait (a fixed
 * interval, or a Cadence's), repeat.
 * Reads never overlap; a read gets the signal so an abort cancels it. `heartbeatMs` re-yields unchanged data
 * that often, so a consumer can tell "unchanged" from "stale".
 */
export function pollSource<T>(read: (signal: AbortSignal) => Promise<T>, interval: number | Pace, heartbeatMs = 5000): Source<T> {
	const pace = typeof interval === 'number' ? fixedPace(interval) : interval;
	return async function* poll(signal) {
		let last: SourceEvent<T> | undefined;
		let lastYieldAt = 0;
		while (!signal.aborted) {
			let event: SourceEvent<T>;
			try {
				event = {kind: 'data', data: await read(signal), at: Date.now()};
			} catch (error) {
				event = {kind: 'error', error: errorMessage(error), at: Date.now()};
			}
			if (signal.aborted) return;
			const same = last !== undefined && sameContent(last, event);
			if (!same || event.at - lastYieldAt >= heartbeatMs) {
				last = event;
				lastYieldAt = event.at;
				yield event;
			}
			await pace.wait(signal);
		}
	};
}

function sameContent<T>(a: SourceEvent<T>, b: SourceEvent<T>): boolean {
	if (a.kind !== b.kind) return false;
	return a.kind === 'data' ? isDeepStrictEqual(a.data, (b as {data: T}).data) : a.error === (b as {error: string}).error;
}
