/**
 * The write probe's acknowledged writes, kept as ranges of sequence numbers. The probe numbers its INSERTs 1, 2,
 * 3 … and only failed ones (their outcome unknown) leave holes, so a run of hours is a handful of ranges: memory
 * grows with the number of outages, not with the number of writes, and every acknowledged id is still known.
 */
export type IdRange = {readonly first: number; readonly last: number};

export class IdRanges {
	/** [first0, last0, first1, last1, …], ascending and never touching (a touching id extends the last range). */
	readonly #bounds: number[] = [];
	#count = 0;

	/** Ids come in increasing order, as the probe hands them out; one out of order is a defect, not a write. */
	add(id: number): void {
		if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`not a sequence number: ${id}`);
		const last = this.#bounds.at(-1);
		if (last !== undefined && id <= last) throw new RangeError(`sequence number ${id} after ${last}`);
		if (last !== undefined && id === last + 1) this.#bounds[this.#bounds.length - 1] = id;
		else this.#bounds.push(id, id);
		this.#count += 1;
	}

	/** How many ids were added. */
	get count(): number {
		return this.#count;
	}

	/** How many ranges hold them: one more than the holes between them. */
	get rangeCount(): number {
		return this.#bounds.length / 2;
	}

	*ranges(): IterableIterator<IdRange> {
		for (let index = 0; index < this.#bounds.length; index += 2) yield {first: this.#bounds[index]!, last: this.#bounds[index + 1]!};
	}
}

export const rangeSize = (range: IdRange): number => range.last - range.first + 1;

export type LossTally = {
	/** Acknowledged ids the table does not hold. */
	readonly missing: number;
	/** The ranges some of whose ids are missing, for naming a few of them. */
	readonly short: readonly IdRange[];
};

/**
 * What was lost, from how many rows the table holds in each acknowledged range (one count per range, in order).
 * Ids are the table's primary key and each range holds only acknowledged ids, so a shortfall is exactly the
 * number of acknowledged writes that are gone; rows a failed INSERT may still have committed fall in the holes.
 */
export function tallyLoss(ranges: Iterable<IdRange>, found: readonly number[]): LossTally {
	let missing = 0;
	const short: IdRange[] = [];
	let index = 0;
	for (const range of ranges) {
		const held = found[index++];
		if (held === undefined) throw new RangeError(`no count for range ${range.first}–${range.last}`);
		if (held > rangeSize(range)) throw new RangeError(`${held} rows in range ${range.first}–${range.last} of ${rangeSize(range)} ids`);
		if (held < rangeSize(range)) {
			missing += rangeSize(range) - held;
			short.push(range);
		}
	}
	if (index !== found.length) throw new RangeError(`${found.length} counts for ${index} ranges`);
	return {missing, short};
}
