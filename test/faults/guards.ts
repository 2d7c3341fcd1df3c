/** What a fault must never cause: an unhandled rejection or uncaught exception, or a handle left open after stop. */

const rejections: string[] = [];

/** Installed once per test file: a rejection nobody handled is a finding, whichever test was running. */
export function watchUnhandled(): void {
	process.on('unhandledRejection', reason => rejections.push(`unhandledRejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
	process.on('uncaughtExceptionMonitor', error => rejections.push(`uncaughtException: ${error.stack ?? String(error)}`));
}

export function unhandled(): readonly string[] {
	return rejections;
}

/** What keeps the event loop alive, by kind ("TCPSocketWrap", "Timeout", ...). */
function activeResources(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
	return counts;
}

export type ResourceBaseline = ReadonlyMap<string, number>;

export function resourceBaseline(): ResourceBaseline {
	return activeResources();
}

/**
 * Sockets, pipes and timers still open beyond the baseline, waited for up to `graceMs` (a socket being closed
 * takes a turn of the loop or two). An empty list means the process would exit by itself.
 */
export async function leftoverResources(baseline: ResourceBaseline, graceMs = 3000): Promise<string[]> {
	const deadline = Date.now() + graceMs;
	for (;;) {
		// Counted before our own wait timer is set, so it never counts itself.
		const extra = [...activeResources()]
			.map(([kind, count]) => [kind, count - (baseline.get(kind) ?? 0)] as const)
			.filter(([kind, count]) => count > 0 && kind !== 'FSReqCallback')
			.map(([kind, count]) => `${count} × ${kind}`);
		if (extra.length === 0 || Date.now() > deadline) return extra;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
