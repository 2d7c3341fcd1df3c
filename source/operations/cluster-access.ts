import {httpRequest, jsonOrText} from '../clients/http.js';
import type {MonitorConfig} from '../config.js';
import {isLeaderRole, type PatroniCluster, type PatroniClusterMember} from '../clients/patroni-types.js';
import type {PostgresTarget} from '../clients/postgres.js';
import {restBaseUrl, restUrl} from '../clients/patroni.js';

/**
 * What the parameter, restart and replication operations need to look at and act on the cluster. The monitor's
 * config carries all of it, so the UI passes its MonitorConfig as `observe`.
 */
export type ClusterAccess = Pick<MonitorConfig, 'restSeeds' | 'restCredentials' | 'postgres' | 'isReadOnly'>;

export type RequestOptions = {
	readonly body?: unknown;
	/** POST /restart answers only once PostgreSQL is back up: callers waiting on it pass a long timeout. */
	readonly timeoutMs?: number;
	readonly signal?: AbortSignal;
};

/**
 * One request to one member's Patroni REST API, with basic auth for the unsafe endpoints. A status of 400 or more
 * throws with Patroni's own text as it wrote it ("restart conditions are not satisfied"), never a paraphrase.
 */
export async function patroniRequest<T>(access: ClusterAccess, baseUrl: string, method: 'GET' | 'PATCH' | 'POST', path: string, options: RequestOptions = {}): Promise<T> {
	const answer = await httpRequest({
		url: restUrl(baseUrl, path),
		method,
		body: options.body,
		timeoutMs: options.timeoutMs ?? 5000,
		signal: options.signal,
		credentials: access.restCredentials,
	});
	if (answer.status >= 400) throw new Error(`${method} ${path} on ${restBaseUrl(baseUrl)} answered ${answer.status}: ${answer.text.trim()}`);
	return jsonOrText(answer.text) as T;
}

/** GET /cluster from the first seed that answers: a member being restarted must not blind us. */
export async function readCluster(access: ClusterAccess, signal?: AbortSignal): Promise<PatroniCluster> {
	const errors: string[] = [];
	for (const seed of access.restSeeds) {
		try {
			return await patroniRequest<PatroniCluster>(access, seed, 'GET', '/cluster', {timeoutMs: 2000, signal});
		} catch (error) {
			errors.push((error as Error).message);
		}
	}
	throw new Error(`No Patroni REST API answered GET /cluster: ${errors.join('; ') || 'no REST seeds configured'}`);
}

/** GET /config (the dynamic configuration in the DCS) from the first seed that answers. */
export async function readDcsConfig(access: ClusterAccess, signal?: AbortSignal): Promise<Record<string, unknown>> {
	const errors: string[] = [];
	for (const seed of access.restSeeds) {
		try {
			return await patroniRequest<Record<string, unknown>>(access, seed, 'GET', '/config', {timeoutMs: 2000, signal});
		} catch (error) {
			errors.push((error as Error).message);
		}
	}
	throw new Error(`No Patroni REST API answered GET /config: ${errors.join('; ')}`);
}

export function leaderOf(cluster: PatroniCluster): PatroniClusterMember | undefined {
	return cluster.members.find(member => isLeaderRole(member.role));
}

export function memberApi(member: PatroniClusterMember): string {
	if (!member.api_url) throw new Error(`${member.name} publishes no REST API address in the DCS.`);
	return restBaseUrl(member.api_url);
}

/** The member's own PostgreSQL, straight to its address from the DCS: never through HAProxy. */
export function memberPostgres(access: ClusterAccess, member: PatroniClusterMember, database = 'postgres'): PostgresTarget {
	if (!member.host || !member.port) throw new Error(`${member.name} publishes no PostgreSQL address in the DCS.`);
	return {host: member.host, port: member.port, user: access.postgres.user, password: access.postgres.password, database};
}

/** "16/B374D848" → a number of bytes; LSNs pass 2^53, so BigInt. */
export function parseLsn(lsn: string): bigint {
	const [high, low] = lsn.split('/');
	return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}
