import crypto from 'node:crypto';
import {connectPostgres, withPostgres, type PostgresConnection, type PostgresTarget} from '../clients/postgres.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import type {HostPort} from './context.js';
import {OperationRefused} from './operation.js';

export type WriteProbeOptions = {
	/**
	 * Where to write, asked at every (re)connect: HAProxy's primary listener (the probe writes where a client
	 * would and follows the leader through it), or, without HAProxy, the leader's own address from the DCS.
	 */
	readonly primary: HostPort | (() => HostPort | undefined);
	/** How the target is named in titles and steps: "127.0.0.1:5000", "the leader". */
	readonly targetName?: string;
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
	readonly #options: WriteProbeOptions;
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
		this.#options = options;
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
		let client: PostgresConnection | undefined;
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

	async #connect(): Promise<PostgresConnection> {
		const client = await connectPostgres(this.#target(), {applicationName: 'patroni-tui-probe'});
		try {
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

	/** Where to write now; throws (a failed write, retried) while there is nowhere. */
	#target(): PostgresTarget {
		const {primary, postgres, database = 'postgres'} = this.#options;
		const where = typeof primary === 'function' ? primary() : primary;
		if (!where) throw new Error('no leader to write to');
		return {...where, ...postgres, database};
	}

	/** Stops writing, then reads this run's rows back through HAProxy (retrying until a leader answers). */
	async finish(timeoutMs = 60_000): Promise<WriteProbeResult> {
		this.#controller.abort();
		await this.#loop;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				const found = await withPostgres(this.#target(), async client => {
					const result = await client.query<{token: string}>('select token from patroni_tui_probe where token like $1', [`${this.#runId}-%`]);
					return new Set(result.rows.map(row => row.token));
				}, {statementMs: 10_000});
				const missingTokens = this.#acknowledged.filter(token => !found.has(token));
				return {...this.stats, isFailing: false, missing: missingTokens.length, missingTokens};
			} catch (error) {
				if (Date.now() >= deadline) throw new Error(`The probe's rows could not be read back within ${timeoutMs / 1000} s: ${errorMessage(error)}`);
				await sleep(500);
			}
		}
	}
}

export function startWriteProbe(options: WriteProbeOptions): WriteProbe {
	return new WriteProbe(options);
}
