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
	const controller = new AbortController();
	const onAbort = () => controller.abort(abortReason(signal));
	signal.addEventListener('abort', onAbort, {once: true});
	if (signal.aborted) onAbort();
	const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms);
	try {
		return await untilAborted(work(controller.signal), controller.signal);
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', onAbort);
	}
}

function abortReason(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
