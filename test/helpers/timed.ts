/** Resolves with how long `work` took to settle, and how it settled (a rejection is returned, not thrown). */
export async function timed(work: () => Promise<unknown>): Promise<{ms: number; error?: Error}> {
	const startedAt = performance.now();
	try {
		await work();
		return {ms: performance.now() - startedAt};
	} catch (error) {
		return {ms: performance.now() - startedAt, error: error as Error};
	}
}
