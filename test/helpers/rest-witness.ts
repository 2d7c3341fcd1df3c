/**
 * Patroni's REST API read through Node's own fetch: an outside witness that shares no code with source/, so a
 * bug in our client cannot hide behind itself.
 */
type ClusterMember = {
	readonly name: string;
	readonly role: string;
	readonly state?: string;
	readonly timeline?: number;
	readonly host?: string;
	readonly port?: number;
	readonly api_url?: string;
	readonly tags?: Record<string, unknown>;
	readonly pending_restart?: boolean;
	readonly lag?: number | string;
};
export type WitnessCluster = {
	readonly members: readonly ClusterMember[];
	readonly pause?: boolean;
	readonly scheduled_switchover?: {readonly at: string; readonly from?: string; readonly to?: string};
};

/** GET `path` from the first of `urls` that answers 200 with JSON. */
export async function restGet<T>(urls: readonly string[], path: string, timeoutMs = 2000): Promise<T> {
	const errors: string[] = [];
	for (const url of urls) {
		try {
			const response = await fetch(`${url.replace(/\/+$/, '')}${path}`, {signal: AbortSignal.timeout(timeoutMs)});
			if (response.status === 200) return (await response.json()) as T;
			errors.push(`${url}: ${response.status}`);
		} catch (error) {
			errors.push(`${url}: ${(error as Error).message}`);
		}
	}
	throw new Error(`no REST API answered GET ${path}: ${errors.join('; ')}`);
}

export const restCluster = (urls: readonly string[]) => restGet<WitnessCluster>(urls, '/cluster');

/** The member /cluster names leader (Patroni 3 says "leader", older ones "master"). */
export async function restLeader(urls: readonly string[]): Promise<string | undefined> {
	return (await restCluster(urls)).members.find(member => member.role === 'leader' || member.role === 'master')?.name;
}
