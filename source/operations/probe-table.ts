/**
 * The write probe's own table: one per run, `public.patroni_tui_probe_<run id>`, created by that run and dropped
 * by it. Not a schema of patroni-tui's own: a schema shared by every run could never be dropped safely (another
 * monitor's probe may be writing into it), so it would always be left behind; one table per run leaves nothing.
 * The table carries a comment naming the run, and nothing is dropped unless that comment says this run made it.
 */
import type {PostgresConnection} from '../clients/postgres.js';
import {IdRanges, tallyLoss, type LossTally} from './id-ranges.js';

export const PROBE_TABLE_PREFIX = 'patroni_tui_probe_';
/** How many lost ids a result names (the count is always exact). */
export const LOST_SAMPLE = 20;

const codeOf = (error: unknown): unknown => (error as {code?: unknown} | undefined)?.code;
const UNDEFINED_TABLE = '42P01';
const DUPLICATE_TABLE = '42P07';

export type ProbeLoss = LossTally & {readonly sample: readonly number[]; readonly isTableGone: boolean};

export class ProbeTable {
	/** "public.patroni_tui_probe_3f9a0c2b71de" */
	readonly name: string;
	readonly #mark: string;
	#isCreated = false;
	#isCreateSent = false;

	constructor(runId: string) {
		// The name goes into SQL text (DDL takes no parameters): only what we generate is accepted.
		if (!/^[0-9a-f]{8,32}$/.test(runId)) throw new Error(`not a run id: ${runId}`);
		this.name = `public.${PROBE_TABLE_PREFIX}${runId}`;
		this.#mark = `patroni-tui write probe, run ${runId}`;
	}

	/** Whether a CREATE was ever sent: if not, there is nothing of ours to drop anywhere. */
	get isCreateSent(): boolean {
		return this.#isCreateSent;
	}

	/** Creates the table on first use (and again if a failover lost it); an existing table must carry our mark. */
	async ensure(client: PostgresConnection): Promise<void> {
		if (this.#isCreated) return;
		this.#isCreateSent = true;
		try {
			// One simple query, one implicit transaction: the table never exists without its mark.
			await client.query(`create table ${this.name} (id bigint primary key, at timestamptz not null default now()); comment on table ${this.name} is '${this.#mark}'`);
		} catch (error) {
			if (codeOf(error) !== DUPLICATE_TABLE) throw error;
			// An earlier CREATE of ours committed but its answer was lost; anything else is not ours to write to.
			if (!(await this.#isOurs(client))) throw new Error(`${this.name} exists and this run did not make it: the probe neither writes to it nor drops it`);
		}
		this.#isCreated = true;
	}

	async insert(client: PostgresConnection, id: number): Promise<void> {
		try {
			await client.query(`insert into ${this.name} (id) values ($1)`, [id]);
		} catch (error) {
			// Gone with a failover that lost its creation: made again at the next connect, its old rows counted lost.
			if (codeOf(error) === UNDEFINED_TABLE) this.#isCreated = false;
			throw error;
		}
	}

	/** One count per acknowledged range (one statement whatever the number of ranges), then a few lost ids by name. */
	async loss(client: PostgresConnection, acknowledged: IdRanges): Promise<ProbeLoss> {
		const ranges = [...acknowledged.ranges()];
		if (ranges.length === 0) return {missing: 0, short: [], sample: [], isTableGone: false};
		let found: number[];
		try {
			const result = await client.query<{found: string}>(
				`select (select count(*) from ${this.name} t where t.id between r.first and r.last) as found
				 from unnest($1::bigint[], $2::bigint[]) with ordinality as r(first, last, n) order by r.n`,
				[ranges.map(range => range.first), ranges.map(range => range.last)],
			);
			found = result.rows.map(row => Number(row.found));
		} catch (error) {
			if (codeOf(error) !== UNDEFINED_TABLE) throw error;
			// The table itself is not on this leader: every acknowledged write is lost.
			found = ranges.map(() => 0);
			const tally = tallyLoss(ranges, found);
			return {...tally, sample: firstIds(ranges, LOST_SAMPLE), isTableGone: true};
		}
		const tally = tallyLoss(ranges, found);
		const sample: number[] = [];
		for (const range of tally.short) {
			if (sample.length >= LOST_SAMPLE) break;
			const rows = await client.query<{id: string}>(
				`select g.id from generate_series($1::bigint, $2::bigint) as g(id) where not exists (select 1 from ${this.name} t where t.id = g.id) order by g.id limit $3`,
				[range.first, range.last, LOST_SAMPLE - sample.length],
			);
			sample.push(...rows.rows.map(row => Number(row.id)));
		}
		return {...tally, sample, isTableGone: false};
	}

	/** Drops the table if it is here and carries this run's mark; says whether it dropped one. */
	async drop(client: PostgresConnection): Promise<boolean> {
		if (!this.#isCreateSent || !(await this.#isOurs(client))) return false;
		await client.query(`drop table ${this.name}`);
		this.#isCreated = false;
		return true;
	}

	async #isOurs(client: PostgresConnection): Promise<boolean> {
		const result = await client.query<{mark: string | null}>(`select obj_description(to_regclass($1), 'pg_class') as mark`, [this.name]);
		return result.rows[0]?.mark === this.#mark;
	}
}

function firstIds(ranges: readonly {first: number; last: number}[], limit: number): number[] {
	const ids: number[] = [];
	for (const range of ranges) {
		for (let id = range.first; id <= range.last && ids.length < limit; id++) ids.push(id);
	}
	return ids;
}
