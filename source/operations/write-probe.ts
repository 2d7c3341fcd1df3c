import crypto from 'node:crypto';
import pg from 'pg';
import {withPostgres, type PostgresTarget} from '../clients/postgres.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {OperationRefused} from './operation.js';

export type WriteProbeOptions = {
	/** HAProxy's primary listener: the probe writes where a client would, and follows the leader through it. */
	readonly primary: {readonly host: string; readonly port: number};
	readonly postgres: {readonly user: string; readonly password?: string | undefined};
	readonly database?: string;
	/** Pause between two INSERTs (default 50 ms). */
	readonly intervalMs?: number;
	/** The probe writes: refused in read-only mode like any operation. */
	readonly isReadOnly?: boolean;
};

export type WriteProbeStats = {
	readonly acknowledged: number;
	readonly failed: number;
	/** The longest time between two acknowledged writes (ms): what a client saw as the outage. */
	readonly longestOutageMs: number;
	readonly isFailing: boolean;
	readonly lastError?: string;
};

export type WriteProbeResult = WriteProbeStats & {
	/** Writes PostgreSQL acknowledged (COMMIT answered) that are not in the table afterwards: lost writes. */
	readonly missing: number;
	readonly missingTokens: readonly string[];
};

const CREATE_TABLE = 'create table if not exists patroni_tui_probe (id bigserial primary key, at timestamptz not null default now(), token text not null)';

/**
 * A steady stream of small INSERTs, each acknowledged or counted failed, over one connection that is reopened
 * after any error. Each row carries a token (run id + sequence), so finish() can tell which acknowledged writes
 * the cluster kept.
 */
export class WriteProbe {
	readonly #target: PostgresTarget;
	readonly #intervalMs: number;
	readonly #runId = crypto.randomBytes(6).toString('hex');
	readonly #controller = new AbortController();
	readonly #acknowledged: string[] = [];
	#failed = 0;
	#lastAckAt: number | undefined;
	#longestOutageMs = 0;
	#lastError: string | undefined;
	#isFailing = false;
	readonly #loop: Promise<void>;

	constructor(options: WriteProbeOptions) {
		if (options.isReadOnly) throw new OperationRefused('Read-only mode: the write probe writes to the cluster and was not started.');
		this.#target = {...options.primary, ...options.postgres, database: options.database ?? 'postgres'};
		this.#intervalMs = options.intervalMs ?? 50;
		this.#loop = this.#run();
	}

	get stats(): WriteProbeStats {
		const openGap = this.#isFailing && this.#lastAckAt !== undefined ? Date.now() - this.#lastAckAt : 0;
		return {
			acknowledged: this.#acknowledged.length,
			failed: this.#failed,
			longestOutageMs: Math.max(this.#longestOutageMs, openGap),
			isFailing: this.#isFailing,
			...(this.#lastError ? {lastError: this.#lastError} : {}),
		};
	}

	async #run(): Promise<void> {
		const signal = this.#controller.signal;
		let client: pg.Client | undefined;
		let sequence = 0;
		while (!signal.aborted) {
			try {
				if (!client) client = await this.#connect();
				const token = `${this.#runId}-${++sequence}`;
				await client.query('insert into patroni_tui_probe (token) values ($1)', [token]);
				this.#acknowledge(token);
			} catch (error) {
				this.#failed += 1;
				this.#isFailing = true;
				this.#lastError = errorMessage(error);
				await client?.end().catch(() => undefined);
				client = undefined;
			}
			await sleep(this.#intervalMs, signal);
		}
		await client?.end().catch(() => undefined);
	}

	async #connect(): Promise<pg.Client> {
		const client = new pg.Client({
			...this.#target,
			connectionTimeoutMillis: 2000,
			statement_timeout: 2000,
			query_timeout: 2500,
			application_name: 'patroni-tui-probe',
		});
		client.on('error', () => undefined);
		try {
			await client.connect();
			await client.query(CREATE_TABLE);
			return client;
		} catch (error) {
			await client.end().catch(() => undefined);
			throw error;
		}
	}

	#acknowledge(token: string): void {
		const now = Date.now();
		if (this.#lastAckAt !== undefined) this.#longestOutageMs = Math.max(this.#longestOutageMs, now - this.#lastAckAt);
		this.#lastAckAt = now;
		this.#acknowledged.push(token);
		this.#isFailing = false;
	}

	/** Stops writing, then reads this run's rows back through HAProxy (retrying until a leader answers). */
	async finish(timeoutMs = 60_000): Promise<WriteProbeResult> {
		this.#controller.abort();
		await this.#loop;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				const found = await withPostgres(this.#target, async client => {
					const result = await client.query<{token: string}>('select token from patroni_tui_probe where token like $1', [`${this.#runId}-%`]);
					return new Set(result.rows.map(row => row.token));
				}, {statementMs: 10_000});
				const missingTokens = this.#acknowledged.filter(token => !found.has(token));
				return {...this.stats, isFailing: false, missing: missingTokens.length, missingTokens};
			} catch (error) {
				if (Date.now() >= deadline) throw new Error(`The probe's rows could not be read back within ${timeoutMs / 1000} s: ${errorMessage(error)}`);
				await new Promise(resolve => setTimeout(resolve, 500));
			}
		}
	}
}

export function startWriteProbe(options: WriteProbeOptions): WriteProbe {
	return new WriteProbe(options);
}
