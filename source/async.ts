/**
 * The one async toolbox: sleeping, waiting for a bell or a timer or an abort, and deadlines. Every wait takes an
 * AbortSignal and none rejects on abort unless it says so, so a stopping monitor never leaves a timer or a
 * listener behind.
 */
import {setTimeout as delay} from 'node:timers/promises';

/** Resolves after `ms`, or at once when the signal aborts (never rejects). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	await delay(ms, undefined, {signal}).catch(() => undefined);
}

/**
 * Something to wait on that can be rung: a watch's new changes, Docker's events, a cadence quickening. A wait
 * ends when the bell rings (true), or after its own time or when the signal aborts (false); it never rejects.
 */
export class Bell {
	readonly #waiters = new Set<() => void>();

	ring(): void {
		for (const wake of [...this.#waiters]) wake();
	}

	wait(ms: number, signal?: AbortSignal): Promise<boolean> {
		if (signal?.aborted) return Promise.resolve(false);
		return new Promise(resolve => {
			const finish = (isRung: boolean) => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
				this.#waiters.delete(onRing);
				resolve(isRung);
			};
			const onRing = () => finish(true);
			const onAbort = () => finish(false);
			const timer = setTimeout(onAbort, ms);
			signal?.addEventListener('abort', onAbort, {once: true});
			this.#waiters.add(onRing);
		});
	}
}

/**
 * Settles as `work` does, or rejects as soon as `signal` aborts (with the signal's reason). The late outcome of
 * `work` is still observed, so it can never become an unhandled rejection.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) {
		work.catch(() => undefined);
		return Promise.reject(abortReason(signal));
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortReason(signal));
		signal.addEventListener('abort', onAbort, {once: true});
		work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/**
 * Runs `work` with a signal that aborts after `ms` or when `signal` does, and gives up at that moment even if
 * `work` ignores its signal: one frozen member must not hold up a whole poll.
 */
export async function withDeadline<T>(ms: number, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const deadline = deadlineSignal(ms, signal);
	try {
		return await untilAborted(work(deadline.signal), deadline.signal);
	} finally {
		deadline.done();
	}
}

/** A signal that never aborts, for a call whose caller gave none: its deadline still applies. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** The deadline's own error: the call was given `ms` and did not finish. */
export class DeadlineExceeded extends Error {
	override name = 'DeadlineExceeded';

	constructor(readonly ms: number) {
		super(`no answer within ${ms} ms`);
	}
}

/**
 * A signal that aborts `ms` from now (with a DeadlineExceeded) or when `signal` does, for clients that take a
 * signal; `done()` frees its timer and listener. A deadline, unlike a socket's inactivity timeout: a server that
 * trickles a byte a second still runs into it.
 */
export function deadlineSignal(ms: number, signal: AbortSignal = NEVER_ABORTED): {readonly signal: AbortSignal; done(): void} {
	const controller = new AbortController();
	const onAbort = () => controller.abort(abortReason(signal));
	signal.addEventListener('abort', onAbort, {once: true});
	if (signal.aborted) onAbort();
	const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
	return {
		signal: controller.signal,
		done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
		},
	};
}

function abortReason(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
