import crypto from 'node:crypto';
import {closePostgres, connectPostgres, withPostgres, type PostgresConnection, type PostgresTarget} from '../clients/postgres.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import type {HostPort} from './context.js';
import {IdRanges} from './id-ranges.js';
import {OperationRefused} from './operation.js';
import {ProbeTable} from './probe-table.js';

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
	/** Writes PostgreSQL acknowledged (COMMIT answered) that are not in the table afterwards: lost writes (exact). */
	readonly missing: number;
	/** At most LOST_SAMPLE of them, as "<run id>-<sequence number>". */
	readonly missingTokens: readonly string[];
	/** The run's own table: "public.patroni_tui_probe_<run id>". */
	readonly table: string;
	/** True when the table could not be dropped and is still in the cluster (`cleanup` says where and why). */
	readonly isTableLeft: boolean;
	/** What became of the table, as a step says it: "dropped public.patroni_tui_probe_…", or why it was left. */
	readonly cleanup: string;
};

export type FinishOptions = {
	/** How long to keep trying to reach a leader for the read-back and the drop (default 60 s). */
	readonly timeoutMs?: number;
	/** Connect and statement timeouts of each try (default 2 s and 10 s); short when the operation was cancelled. */
	readonly connectMs?: number;
	readonly statementMs?: number;
};

/** How a cancelled operation's probe finishes: one quick try, inside the 2 s a quit is given. */
export const QUICK_FINISH: FinishOptions = {timeoutMs: 700, connectMs: 300, statementMs: 300};

/** The result line as steps and the Operations pane say it; the last words are what fault tests look for. */
export const describeProbeResult = (result: WriteProbeResult, duration: (ms: number) => string): string =>
	`write probe: ${result.acknowledged} acknowledged, ${result.failed} failed, longest outage ${duration(result.longestOutageMs)}, ${result.missing} acknowledged writes missing`;

/**
 * A steady stream of small INSERTs into a table of the run's own, each acknowledged or counted failed, over one
 * connection that is reopened after any error. Rows are numbered 1, 2, 3 … (the primary key), and the numbers
 * acknowledged are kept as ranges (IdRanges), so finish() counts exactly which acknowledged writes the cluster
 * kept, in memory that grows with the outages, not the writes.
 */
export class WriteProbe {
	readonly #options: WriteProbeOptions;
	readonly #intervalMs: number;
	readonly #runId = crypto.randomBytes(6).toString('hex');
	readonly #table = new ProbeTable(this.#runId);
	readonly #controller = new AbortController();
	readonly #acknowledged = new IdRanges();
	#sequence = 0;
	#failed = 0;
	#lastAckAt: number | undefined;
	#longestOutageMs = 0;
	#lastError: string | undefined;
	#isFailing = false;
	#firstOutcome: (() => void) | undefined;
	readonly #settled: Promise<void>;
	readonly #loop: Promise<void>;

	constructor(options: WriteProbeOptions) {
		if (options.isReadOnly) throw new OperationRefused('Read-only mode: the write probe writes to the cluster and was not started.');
		this.#options = options;
		this.#intervalMs = options.intervalMs ?? 50;
		this.#settled = new Promise(resolve => (this.#firstOutcome = resolve));
		this.#loop = this.#run();
	}

	/** "public.patroni_tui_probe_3f9a0c2b71de" */
	get table(): string {
		return this.#table.name;
	}

	get stats(): WriteProbeStats {
		const openGap = this.#isFailing && this.#lastAckAt !== undefined ? Date.now() - this.#lastAckAt : 0;
		return {
			acknowledged: this.#acknowledged.count,
			failed: this.#failed,
			longestOutageMs: Math.max(this.#longestOutageMs, openGap),
			isFailing: this.#isFailing,
			...(this.#lastError ? {lastError: this.#lastError} : {}),
		};
	}

	/** How many ranges the acknowledged ids take: one more than the outages (what the memory is). */
	get rangeCount(): number {
		return this.#acknowledged.rangeCount;
	}

	/** Resolves once the first write has been acknowledged or has failed (at most `timeoutMs`), never rejects. */
	async started(timeoutMs = 2000, signal?: AbortSignal): Promise<void> {
		const timer = new AbortController();
		await Promise.race([this.#settled, sleep(timeoutMs, signal ? AbortSignal.any([signal, timer.signal]) : timer.signal)]);
		timer.abort();
	}

	async #run(): Promise<void> {
		const signal = this.#controller.signal;
		let client: PostgresConnection | undefined;
		while (!signal.aborted) {
			try {
				if (!client) client = await this.#connect(signal);
				// A number is never used twice: a failed INSERT may still have committed, and its row is no loss.
				const id = ++this.#sequence;
				await this.#table.insert(client, id);
				this.#acknowledge(id);
			} catch (error) {
				if (client) await closePostgres(client);
				client = undefined;
				// Cut short by finish(): the write in flight was not refused by the cluster, so it is not counted.
				if (signal.aborted) break;
				this.#failed += 1;
				this.#isFailing = true;
				this.#lastError = errorMessage(error);
			}
			this.#firstOutcome?.();
			await sleep(this.#intervalMs, signal);
		}
		this.#firstOutcome?.();
		if (client) await closePostgres(client);
	}

	async #connect(signal: AbortSignal): Promise<PostgresConnection> {
		const client = await connectPostgres(this.#target(), {applicationName: 'patroni-tui-probe'}, signal);
		try {
			await this.#table.ensure(client);
			return client;
		} catch (error) {
			await closePostgres(client);
			throw error;
		}
	}

	#acknowledge(id: number): void {
		const now = Date.now();
		if (this.#lastAckAt !== undefined) this.#longestOutageMs = Math.max(this.#longestOutageMs, now - this.#lastAckAt);
		this.#lastAckAt = now;
		this.#acknowledged.add(id);
		this.#isFailing = false;
	}

	/** Where to write now; throws (a failed write, retried) while there is nowhere. */
	#target(): PostgresTarget {
		const {primary, postgres, database = 'postgres'} = this.#options;
		const where = typeof primary === 'function' ? primary() : primary;
		if (!where) throw new Error('no leader to write to');
		return {...where, ...postgres, database};
	}

	#where(): string {
		const {targetName, database = 'postgres'} = this.#options;
		return `database ${database}${targetName ? ` through ${targetName}` : ''}`;
	}

	/**
	 * Stops writing, then counts this run's rows through the same route (retrying until a leader answers, at most
	 * `timeoutMs`) and drops the table. Throws when the rows could not be counted; the message names the table
	 * left behind. A table that could be counted but not dropped is said in `cleanup`.
	 */
	async finish({timeoutMs = 60_000, connectMs = 2000, statementMs = 10_000}: FinishOptions = {}): Promise<WriteProbeResult> {
		this.#controller.abort();
		await this.#loop;
		const stats = {...this.stats, isFailing: false};
		const table = this.#table.name;
		if (!this.#table.isCreateSent) {
			return {...stats, missing: 0, missingTokens: [], table, isTableLeft: false, cleanup: `no table was created (${this.#lastError ?? 'nothing was written'})`};
		}
		const deadline = Date.now() + timeoutMs;
		const leftBehind = (why: string) => `${table} is left in ${this.#where()} (${why}): drop it with "drop table ${table}"`;
		let loss;
		let lastError = '';
		for (;;) {
			try {
				loss ??= await withPostgres(this.#target(), client => this.#table.loss(client, this.#acknowledged), {connectMs, statementMs});
				const dropped = await withPostgres(this.#target(), client => this.#table.drop(client), {connectMs, statementMs});
				const cleanup = dropped ? `dropped ${table}` : `${table} was not on the leader: nothing to drop`;
				return {...stats, ...this.#missing(loss), table, isTableLeft: false, cleanup};
			} catch (error) {
				lastError = errorMessage(error);
			}
			if (Date.now() + 500 >= deadline) break;
			await sleep(500);
		}
		if (!loss) throw new Error(`The probe's rows could not be read back within ${timeoutMs / 1000} s: ${lastError}; ${leftBehind('the cluster did not answer')}`);
		return {...stats, ...this.#missing(loss), table, isTableLeft: true, cleanup: leftBehind(`the drop failed: ${lastError}`)};
	}

	#missing(loss: {missing: number; sample: readonly number[]}): {missing: number; missingTokens: string[]} {
		return {missing: loss.missing, missingTokens: loss.sample.map(id => `${this.#runId}-${id}`)};
	}
}

export function startWriteProbe(options: WriteProbeOptions): WriteProbe {
	return new WriteProbe(options);
}
