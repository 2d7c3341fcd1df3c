import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fit, formatBytes, formatDuration, formatLsn, formatTimestamp, oneLine, sparkline, wrapWords} from '../../source/model/format.js';

describe('sparkline', () => {
	it('scales from zero to the largest value shown', () => {
		assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
		assert.equal(sparkline([0, 0, 0], 8), '▁▁▁', 'no lag is a flat line at the bottom');
		assert.equal(sparkline([5, 5], 8), '██', 'steady lag is a flat line at the top');
	});

	it('keeps the newest values that fit the width', () => {
		assert.equal(sparkline([100, 0, 1, 2], 3), '▁▅█');
		assert.equal(sparkline([1, 2], 0), '');
		assert.equal(sparkline([], 5), '');
	});

	it('reads missing or negative samples as zero', () => {
		assert.equal(sparkline([Number.NaN, -4, 8], 3), '▁▁█');
	});
});

describe('format', () => {
	it('writes bytes in binary units with three digits at most', () => {
		assert.equal(formatBytes(0), '0 B');
		assert.equal(formatBytes(1023), '1023 B');
		assert.equal(formatBytes(1_572_864), '1.5 MiB');
		assert.equal(formatBytes(50_331_648), '48 MiB');
		assert.equal(formatBytes(undefined), '–');
	});

	it('writes durations short', () => {
		assert.equal(formatDuration(300), '0.3s');
		assert.equal(formatDuration(12_000), '12s');
		assert.equal(formatDuration(245_000), '4m05s');
		assert.equal(formatDuration(7_800_000), '2h10m');
		assert.equal(formatDuration(-5), '0.0s', 'clock skew never shows a negative age');
	});

	it('writes LSNs the way PostgreSQL does', () => {
		assert.equal(formatLsn(50_331_808), '0/30000A0');
		assert.equal(formatLsn(2 ** 32 + 255), '1/FF');
	});

	it('shows Patroni timestamps as written, to the second', () => {
		assert.equal(formatTimestamp('2025-03-14T09:12:03.512345+00:00'), '2025-03-14 09:12:03');
		assert.equal(formatTimestamp(undefined), '–');
	});

	it('pads or cuts cells to their width, and flattens outside text to one line', () => {
		assert.equal(fit('node1', 7), 'node1  ');
		assert.equal(fit('2', 3, 'right'), '  2');
		assert.equal(fit('streaming', 5), 'stre…');
		assert.equal(fit('x', 0), '');
		assert.equal(oneLine('FATAL:  no pg_hba.conf entry\nDETAIL:\tfoo\r\n'), 'FATAL:  no pg_hba.conf entry DETAIL: foo');
	});
});

describe('wrapWords', () => {
	it('lays words into lines no wider than asked, cutting only a word longer than a line, dropping nothing', () => {
		assert.deepEqual(wrapWords('restart conditions are not satisfied', 12), ['restart', 'conditions', 'are not', 'satisfied']);
		assert.deepEqual(wrapWords('http://127.0.0.1:18108/restart', 10), ['http://127', '.0.0.1:181', '08/restart']);
		assert.deepEqual(wrapWords('a\nb\tc', 80), ['a b c']);
		assert.deepEqual(wrapWords('', 10), ['']);
	});
});
