/**
 * How operations reach the cluster's members when they need fresh answers rather than the monitor's picture:
 * each member's REST API where the DCS says it is (the snapshot's api_url, leader first), then the configured
 * seeds. A member that does not answer is skipped, and a failure names every endpoint that was tried.
 */
import {PatroniRefusal, PatroniUnreachable, restBaseUrl, type PatroniAnswer, type PatroniApi} from '../clients/patroni.js';
import type {PatroniCluster, PatroniClusterMember} from '../clients/patroni-types.js';
import {isLeaderRole} from '../model/roles.js';
import type {PostgresTarget} from '../clients/postgres.js';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import type {OperationContext} from './context.js';

export type RestEndpoint = {readonly label: string; readonly url: string};

/** Where to ask, best first: the leader, members whose REST answered last, the rest, then seeds not yet listed. */
export function restEndpoints(snapshot: ClusterSnapshot, seeds: readonly string[]): RestEndpoint[] {
	const rank = (member: ClusterSnapshot['members'][number]) => (member.name === snapshot.leader ? 0 : member.restError ? 2 : 1);
	const members = snapshot.members.filter(member => member.apiUrl).sort((a, b) => rank(a) - rank(b));
	const endpoints = new Map<string, RestEndpoint>();
	for (const member of members) {
		const url = restBaseUrl(member.apiUrl!);
		if (!endpoints.has(url)) endpoints.set(url, {label: member.name, url});
	}
	for (const seed of seeds.map(restBaseUrl)) if (!endpoints.has(seed)) endpoints.set(seed, {label: seed, url: seed});
	return [...endpoints.values()];
}

/**
 * `call` on the first member whose REST API answers it; a member that is down or refuses is skipped. When none
 * answers, the error lists each endpoint tried and what it said.
 */
export async function fromAnyMember<T>(context: OperationContext, what: string, call: (api: PatroniApi) => Promise<T>): Promise<T> {
	const endpoints = restEndpoints(context.observe(), context.restSeeds);
	if (endpoints.length === 0) {
		throw new Error(`No Patroni REST API to ask for ${what}: no member of ${context.observe().scope} has an api_url in the DCS, and no --rest address was given.`);
	}
	const tried: string[] = [];
	for (const endpoint of endpoints) {
		try {
			return await call(context.clients.patroni(endpoint.url));
		} catch (error) {
			if (!(error instanceof PatroniUnreachable || error instanceof PatroniRefusal)) throw error;
			tried.push(`${endpoint.label === endpoint.url ? endpoint.url : `${endpoint.label} (${endpoint.url})`}: ${error.message}`);
		}
	}
	throw new Error(`No Patroni REST API answered ${what}; tried ${tried.join('; ')}`);
}

/** GET /cluster from the first member that answers: a member being restarted must not blind us. */
export function readCluster(context: OperationContext, signal?: AbortSignal): Promise<PatroniCluster> {
	return fromAnyMember(context, 'GET /cluster', api => api.cluster(signal));
}

/** GET /config (the dynamic configuration in the DCS) from the first member that answers. */
export function readDcsConfig(context: OperationContext, signal?: AbortSignal): Promise<Record<string, unknown>> {
	return fromAnyMember(context, 'GET /config', api => api.config(signal));
}

export function leaderOf(cluster: PatroniCluster): PatroniClusterMember | undefined {
	return cluster.members.find(member => isLeaderRole(member.role));
}

/** The member's own REST API, where /cluster says it is. */
export function memberApi(context: OperationContext, member: PatroniClusterMember): PatroniApi {
	if (!member.api_url) throw new Error(`${member.name} publishes no REST API address in the DCS.`);
	return context.clients.patroni(restBaseUrl(member.api_url));
}

/** A request's answer when Patroni accepted it; otherwise Patroni's own words in an error, as it wrote them. */
export function accepted(what: string, answer: PatroniAnswer): PatroniAnswer {
	if (answer.status >= 400) throw new PatroniRefusal(what, answer);
	return answer;
}

/** The member's own PostgreSQL, straight to its address from the DCS: never through HAProxy. */
export function memberPostgres(context: OperationContext, member: PatroniClusterMember, database = 'postgres'): PostgresTarget {
	if (!member.host || !member.port) throw new Error(`${member.name} publishes no PostgreSQL address in the DCS.`);
	const {user, password, ssl} = context.clients.postgres;
	return {host: member.host, port: member.port, user, password, database, ...(ssl ? {ssl} : {})};
}

/** "16/B374D848" → a number of bytes; LSNs pass 2^53, so BigInt. */
export function parseLsn(lsn: string): bigint {
	const [high, low] = lsn.split('/');
	return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
