import type {PostgresMemberView, PostgresView} from '../model/views.js';
import {untilAborted} from '../async.js';
import {PersistentClient} from '../clients/postgres-persistent.js';
import type {PostgresSsl} from '../clients/postgres-ssl.js';
import {MEMBER_STATEMENT, memberView, type MemberRow} from './postgres-query.js';
import {pollSource, type Source} from './source.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import type {Pace} from './cadence.js';
import {keepAt} from './stable-at.js';

/** One member's own PostgreSQL: its host and port as Patroni advertises them, never HAProxy's listeners. */
export type PostgresEndpoint = {readonly name: string; readonly host: string; readonly port: number};

/** How long a poll waits for the first members to be known before it answers with none. */
const MEMBERS_WAIT_MS = 1000;

export type PostgresSourceOptions = {
	/** Asked every poll, so members that come and go (a new /cluster) are followed. */
	readonly endpoints: () => readonly PostgresEndpoint[];
	readonly user: string;
	readonly password?: string | undefined;
	readonly database?: string | undefined;
	/** libpq's sslmode and files, as the config resolved them; none: libpq's default. */
	readonly ssl?: PostgresSsl | undefined;
	/** Milliseconds between polls, or a pace: fast while anything happens, slower when calm. */
	readonly interval: number | Pace;
	readonly connectTimeoutMs: number;
	readonly statementTimeoutMs: number;
	readonly heartbeatMs?: number;
};

/**
 * Each member's PostgreSQL, asked directly over one persistent connection per member, all members at once.
 * A member that cannot be asked is an entry with an error; the others keep their data.
 */
export function postgresSource(options: PostgresSourceOptions): Source<PostgresView> {
	return async function* postgres(signal) {
		const clients = new Map<string, PersistentClient>();
		let members: PostgresView['members'] = {};
		const read = async (readSignal: AbortSignal): Promise<PostgresView> => {
			// Members are learnt from the DCS and REST a few hundred ms after start: wait for them in short steps,
			// or the first complete picture would be a whole interval late.
			let endpoints = options.endpoints();
			for (const deadline = Date.now() + MEMBERS_WAIT_MS; endpoints.length === 0 && Date.now() < deadline && !readSignal.aborted; ) {
				await sleep(25, readSignal);
				endpoints = options.endpoints();
			}
			const names = followEndpoints(clients, endpoints, options);
			const entries = await Promise.all(names.map(async name => [name, await askMember(clients.get(name)!, readSignal)] as const));
			const next: Record<string, PostgresMemberView> = {};
			for (const [name, entry] of entries) next[name] = keepAt(members[name], entry);
			members = next;
			return {members};
		};
		try {
			yield* pollSource(read, options.interval, options.heartbeatMs)(signal);
		} finally {
			await Promise.all([...clients.values()].map(async client => client.close()));
		}
	};
}

async function askMember(client: PersistentClient, signal: AbortSignal): Promise<PostgresMemberView> {
	try {
		const [row] = await untilAborted(client.query<MemberRow>(MEMBER_STATEMENT), signal);
		if (!row) throw new Error('no row');
		const {ssl} = client;
		return {...memberView(row, Date.now()), ...(ssl ? {ssl} : {})};
	} catch (error) {
		return {error: errorMessage(error), at: Date.now()};
	}
}

/** One client per member name; a member that moved gets a new one, a member that left has its client closed. */
function followEndpoints(clients: Map<string, PersistentClient>, endpoints: readonly PostgresEndpoint[], options: PostgresSourceOptions): string[] {
	const wanted = new Map(endpoints.map(endpoint => [endpoint.name, endpoint]));
	for (const [name, client] of clients) {
		const endpoint = wanted.get(name);
		if (endpoint && endpoint.host === client.target.host && endpoint.port === client.target.port) continue;
		clients.delete(name);
		void client.close();
	}
	for (const [name, endpoint] of wanted) {
		if (clients.has(name)) continue;
		clients.set(
			name,
			new PersistentClient({
				host: endpoint.host,
				port: endpoint.port,
				user: options.user,
				password: options.password,
				database: options.database,
				ssl: options.ssl,
				connectTimeoutMs: options.connectTimeoutMs,
				statementTimeoutMs: options.statementTimeoutMs,
			}),
		);
	}
	return [...wanted.keys()];
}
