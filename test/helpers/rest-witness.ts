/**
 * Patroni's REST API read through Node's own fetch: an outside witness that shares no code with source/, so a
 * bug in our client cannot hide behind itself. An https endpoint registered in witness-tls.ts is read with
 * node:https and that lab's CA and client certificate (fetch takes no CA of its own without undici's API).
 */
import https from 'node:https';
import {tlsOptionsFor} from './witness-tls.js';

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
	readonly scheduled_restart?: Record<string, unknown>;
	readonly lag?: number | string;
};
export type WitnessCluster = {
	readonly members: readonly ClusterMember[];
	readonly pause?: boolean;
	readonly scheduled_switchover?: {readonly at: string; readonly from?: string; readonly to?: string};
};
/** A member's own word about itself (GET /patroni). */
export type WitnessStatus = {
	readonly state: string;
	readonly role: string;
	readonly postmaster_start_time?: string;
	readonly timeline?: number;
	readonly pending_restart?: boolean;
	readonly replication?: ReadonlyArray<{readonly application_name: string; readonly state: string; readonly sync_state?: string}>;
};

type Answer = {readonly status: number; readonly json: () => Promise<unknown>};

/** One GET over https with the registered files, the certificate checked against the CA and the address. */
function httpsGet(url: string, tls: NonNullable<ReturnType<typeof tlsOptionsFor>>, timeoutMs: number): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = https.get(url, {...tls, signal: AbortSignal.timeout(timeoutMs)}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', chunk => (body += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, json: async () => JSON.parse(body) as unknown}));
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}

async function get(url: string, timeoutMs: number): Promise<Answer> {
	const tls = url.startsWith('https:') ? tlsOptionsFor(url) : undefined;
	return tls ? httpsGet(url, tls, timeoutMs) : fetch(url, {signal: AbortSignal.timeout(timeoutMs)});
}

/** GET `path` from the first of `urls` that answers 200 with JSON. */
export async function restGet<T>(urls: readonly string[], path: string, timeoutMs = 2000): Promise<T> {
	const errors: string[] = [];
	for (const url of urls) {
		try {
			const response = await get(`${url.replace(/\/+$/, '')}${path}`, timeoutMs);
			if (response.status === 200) return (await response.json()) as T;
			errors.push(`${url}: ${response.status}`);
		} catch (error) {
			errors.push(`${url}: ${(error as Error).message}`);
		}
	}
	throw new Error(`no REST API answered GET ${path}: ${errors.join('; ')}`);
}

export const restCluster = (urls: readonly string[]) => restGet<WitnessCluster>(urls, '/cluster');

/** GET /patroni of one member: its state, role, postmaster start time and (on a leader) its replication rows. */
export const restStatus = (url: string, timeoutMs = 2000) => restGet<WitnessStatus>([url], '/patroni', timeoutMs);

const isLeader = (member: ClusterMember) => member.role === 'leader' || member.role === 'master';

/** The member /cluster names leader (Patroni 3 says "leader", older ones "master"). */
export async function restLeader(urls: readonly string[]): Promise<string | undefined> {
	return (await restCluster(urls)).members.find(isLeader)?.name;
}

/** The leader's name and PostgreSQL address as /cluster gives them, or undefined while there is none. */
export async function restLeaderMember(urls: readonly string[]): Promise<{readonly name: string; readonly host: string; readonly port: number} | undefined> {
	const leader = (await restCluster(urls)).members.find(isLeader);
	return leader?.host && leader.port ? {name: leader.name, host: leader.host, port: leader.port} : undefined;
}
