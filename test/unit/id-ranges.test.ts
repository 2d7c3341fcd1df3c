import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {IdRanges, rangeSize, tallyLoss} from '../../source/operations/id-ranges.js';

describe('the write probe\'s acknowledged ids (IdRanges)', () => {
	it('keeps a million acknowledgements with a thousand outages in a thousand ranges, every id accounted for', () => {
		const ranges = new IdRanges();
		let acknowledged = 0;
		// 1e6 writes; every 1000th fails, so 1000 holes: memory is the ranges, not the writes.
		for (let id = 1; id <= 1_000_000; id++) {
			if (id % 1000 === 0) continue;
			ranges.add(id);
			acknowledged += 1;
		}
		assert.equal(ranges.count, acknowledged);
		assert.equal(ranges.rangeCount, 1000);
		const all = [...ranges.ranges()];
		assert.equal(all.reduce((sum, range) => sum + rangeSize(range), 0), acknowledged);
		assert.deepEqual(all[0], {first: 1, last: 999});
		assert.deepEqual(all.at(-1), {first: 999_001, last: 999_999});
	});

	it('is one range for a run without failures, however long', () => {
		const ranges = new IdRanges();
		for (let id = 1; id <= 1_000_000; id++) ranges.add(id);
		assert.equal(ranges.rangeCount, 1);
		assert.equal(ranges.count, 1_000_000);
	});

	it('refuses an id out of order (a defect, not a write)', () => {
		const ranges = new IdRanges();
		ranges.add(5);
		assert.throws(() => ranges.add(5), /sequence number 5 after 5/);
		assert.throws(() => ranges.add(3), /after 5/);
		assert.throws(() => ranges.add(0), /not a sequence number/);
		assert.throws(() => ranges.add(1.5), /not a sequence number/);
	});
});

describe('counting lost writes from per-range counts (tallyLoss)', () => {
	/** A stand-in for the table: the ids it holds, counted per range as the probe's SELECT does. */
	const countIn = (held: ReadonlySet<number>, ranges: IdRanges) =>
		[...ranges.ranges()].map(range => {
			let count = 0;
			for (let id = range.first; id <= range.last; id++) if (held.has(id)) count += 1;
			return count;
		});

	it('counts exactly the acknowledged ids the table lacks, and not the rows failed writes left', () => {
		const ranges = new IdRanges();
		const held = new Set<number>();
		for (let id = 1; id <= 100_000; id++) {
			const isFailed = id % 97 === 0;
			// A failed INSERT whose commit went through still leaves a row: it is in a hole, so it is no loss and no gain.
			if (isFailed) {
				if (id % 2 === 0) held.add(id);
				continue;
			}
			ranges.add(id);
			held.add(id);
		}
		// Lost: the last 37 acknowledged before a failover, and a few scattered.
		const lost = [...Array.from({length: 37}, (_, index) => 60_000 + index).filter(id => id % 97 !== 0), 5, 12_345, 99_999];
		for (const id of lost) held.delete(id);
		const tally = tallyLoss(ranges.ranges(), countIn(held, ranges));
		assert.equal(tally.missing, lost.length);
		for (const id of lost) assert.ok(tally.short.some(range => range.first <= id && id <= range.last), `the range holding ${id} is short`);
		assert.ok(tally.short.length <= 4);
	});

	it('is zero when everything is there, and everything when the table is gone', () => {
		const ranges = new IdRanges();
		for (const id of [1, 2, 3, 7, 8, 20]) ranges.add(id);
		assert.equal(tallyLoss(ranges.ranges(), [3, 2, 1]).missing, 0);
		assert.equal(tallyLoss(ranges.ranges(), [0, 0, 0]).missing, 6);
	});

	it('refuses counts that do not fit the ranges (a wrong query, not a result)', () => {
		const ranges = new IdRanges();
		for (const id of [1, 2, 5]) ranges.add(id);
		assert.throws(() => tallyLoss(ranges.ranges(), [2]), /no count/);
		assert.throws(() => tallyLoss(ranges.ranges(), [2, 1, 0]), /3 counts for 2 ranges/);
		assert.throws(() => tallyLoss(ranges.ranges(), [3, 1]), /3 rows in range 1–2/);
	});
});
