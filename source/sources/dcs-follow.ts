import type {DcsView} from '../model/views.js';
import {type SourceEvent} from './source.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';

/** Pause between attempts while etcd is unreachable. */
const RETRY_MS = 1000;

export type DcsStep = {readonly view: DcsView; readonly isFullRead: boolean};

export type DcsFollowOptions = {
	/** Reads or waits for the next view; undefined when a wait ended with nothing new. Errors are thrown. */
	readonly step: () => Promise<DcsStep | undefined>;
	/** Drops whatever state the failed step left (a client, an index) so the next step starts afresh. */
	readonly reset: () => void;
	readonly isSame: (a: DcsView, b: DcsView) => boolean;
	readonly heartbeatMs: number;
};

/**
 * The loop both etcd APIs share: yield a view when it changed or after a full (heartbeat) read, yield an error
 * when it is new or a heartbeat has passed, retry after a pause, and stop as soon as the signal aborts.
 */
export async function* followDcs(signal: AbortSignal, options: DcsFollowOptions): AsyncGenerator<SourceEvent<DcsView>> {
	let lastView: DcsView | undefined;
	let lastError: string | undefined;
	let lastYieldAt = 0;
	while (!signal.aborted) {
		let event: SourceEvent<DcsView>;
		let isDue: boolean;
		try {
			const next = await options.step();
			if (next === undefined) continue;
			event = {kind: 'data', data: next.view, at: Date.now()};
			isDue = next.isFullRead || lastView === undefined || !options.isSame(lastView, next.view);
			lastView = next.view;
			lastError = undefined;
		} catch (error) {
			options.reset();
			event = {kind: 'error', error: errorMessage(error), at: Date.now()};
			isDue = event.error !== lastError || event.at - lastYieldAt >= options.heartbeatMs;
			lastView = undefined;
			lastError = event.error;
		}
		if (signal.aborted) return;
		if (isDue) {
			lastYieldAt = event.at;
			yield event;
		}
		if (event.kind === 'error') await sleep(RETRY_MS, signal);
	}
}
