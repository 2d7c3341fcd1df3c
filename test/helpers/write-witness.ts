/**
 * The test's own write witness, sharing no code with source/ (the product's write probe is under test): a loop
 * that inserts a token every `intervalMs` through HAProxy's primary listener with the pg package, remembers
 * each token PostgreSQL acknowledged (the INSERT's commit answered), and afterwards looks every one of them up
 * on the leader Patroni's REST API names. An acknowledged token that is not there is a lost write.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import {restLeaderMember} from './rest-witness.js';
import {tlsOptionsFor} from './witness-tls.js';

export type WitnessLogin = {readonly user: string; readonly password: string};

export type WriteWitnessOptions = WitnessLogin & {
	/** HAProxy's primary listener: where a client writes. */
	readonly primary: {readonly host: string; readonly port: number};
	readonly intervalMs?: number;
};

export type WriteWitnessReport = {
	readonly acknowledged: number;
	readonly failed: number;
	/** The longest time without an acknowledgment while writing (ms): the outage a client saw. */
	readonly longestOutageMs: number;
	/** The leader, per REST, on which the tokens were looked up. */
	readonly leader: string;
	/** Acknowledged tokens the leader does not hold. */
	readonly missing: number;
	readonly missingTokens: readonly string[];
};

const TABLE = 'patroni_tui_write_witness';
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function connect(where: {host: string; port: number}, login: WitnessLogin): Promise<pg.Client> {
	// Through a TLS lab's HAProxy the member takes hostssl only: its certificate is checked by the lab's CA.
	const tls = tlsOptionsFor(`${where.host}:${where.port}`);
	const ssl = tls ? {ssl: {ca: tls.ca}} : {};
	const client = new pg.Client({...where, ...login, ...ssl, database: 'postgres', connectionTimeoutMillis: 3000, query_timeout: 5000, application_name: 'patroni-tui-test-witness'});
	client.on('error', () => undefined); // a dropped connection also fails the next query, which is what we count
	try {
		await client.connect();
		return client;
	} catch (error) {
		await client.end().catch(() => undefined);
		throw error;
	}
}

export type WriteWitness = {
	/** Stops writing, then looks every acknowledged token up on the leader REST names (retrying until one answers). */
	readonly finish: (restUrls: readonly string[], timeoutMs?: number) => Promise<WriteWitnessReport>;
};

export function startWriteWitness(options: WriteWitnessOptions): WriteWitness {
	const run = crypto.randomBytes(6).toString('hex');
	const acknowledged: string[] = [];
	let failed = 0;
	let isWriting = true;
	let lastAckAt = performance.now();
	let longestOutageMs = 0;

	const loop = (async () => {
		let client: pg.Client | undefined;
		for (let sequence = 1; isWriting; sequence++) {
			const token = `${run}-${sequence}`;
			try {
				if (!client) {
					client = await connect(options.primary, options);
					await client.query(`create table if not exists ${TABLE} (token text primary key, at timestamptz not null default now())`);
				}
				await client.query(`insert into ${TABLE} (token) values ($1)`, [token]);
				const now = performance.now();
				longestOutageMs = Math.max(longestOutageMs, now - lastAckAt);
				lastAckAt = now;
				acknowledged.push(token);
			} catch {
				failed += 1;
				await client?.end().catch(() => undefined);
				client = undefined;
			}
			await sleep(options.intervalMs ?? 20);
		}
		await client?.end().catch(() => undefined);
		longestOutageMs = Math.max(longestOutageMs, performance.now() - lastAckAt);
	})();

	async function lookUp(restUrls: readonly string[]): Promise<{leader: string; found: Set<string>}> {
		const leader = await restLeaderMember(restUrls);
		if (!leader) throw new Error('REST names no leader');
		const client = await connect(leader, options);
		try {
			const recovery = await client.query<{recovery: boolean}>('select pg_is_in_recovery() as recovery');
			if (recovery.rows[0]?.recovery !== false) throw new Error(`${leader.name} is still in recovery`);
			const rows = await client.query<{token: string}>(`select token from ${TABLE} where token like $1`, [`${run}-%`]);
			return {leader: leader.name, found: new Set(rows.rows.map(row => row.token))};
		} finally {
			await client.end().catch(() => undefined);
		}
	}

	return {
		async finish(restUrls, timeoutMs = 120_000) {
			isWriting = false;
			await loop;
			const deadline = performance.now() + timeoutMs;
			for (;;) {
				try {
					const {leader, found} = await lookUp(restUrls);
					const missingTokens = acknowledged.filter(token => !found.has(token));
					return {acknowledged: acknowledged.length, failed, longestOutageMs: Math.round(longestOutageMs), leader, missing: missingTokens.length, missingTokens};
				} catch (error) {
					if (performance.now() > deadline) throw new Error(`the witness's tokens could not be looked up within ${timeoutMs / 1000} s: ${(error as Error).message}`);
					await sleep(500);
				}
			}
		},
	};
}
