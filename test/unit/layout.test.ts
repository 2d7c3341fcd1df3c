import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {PANE_NAMES, type PaneName} from '../../source/panes.js';
import {layout, MIN_FRAME_HEIGHT, type Layout, type Rect} from '../../source/layout.js';

/** The invariants every size must keep: fits in rows - 1, nothing overlaps, nothing leaves the screen. */
function assertFits(result: Layout, columns: number, rows: number): void {
	assert.ok(result.height <= Math.max(0, rows - 1), `height ${result.height} > ${rows - 1}`);
	assert.equal(result.header.height + result.body.height + result.statusBar.height, result.height);
	const rects: Rect[] = [result.header, result.statusBar, ...result.panes, ...(result.tabs ? [result.tabs] : [])];
	for (const rect of rects) {
		assert.ok(rect.left >= 0 && rect.top >= 0 && rect.width >= 0 && rect.height >= 0, JSON.stringify(rect));
		assert.ok(rect.left + rect.width <= columns, `too wide: ${JSON.stringify(rect)}`);
		assert.ok(rect.top + rect.height <= result.height, `too low: ${JSON.stringify(rect)}`);
	}
	for (const [index, a] of rects.entries()) {
		for (const b of rects.slice(index + 1)) assert.ok(!overlaps(a, b), `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
	}
	for (const slot of result.panes) assert.ok(slot.height >= MIN_FRAME_HEIGHT, `${slot.pane} is ${slot.height} tall`);
}

function overlaps(a: Rect, b: Rect): boolean {
	if (a.width === 0 || a.height === 0 || b.width === 0 || b.height === 0) return false;
	return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

function shown(result: Layout): PaneName[] {
	return result.panes.map(slot => slot.pane);
}

describe('layout', () => {
	it('stacks Members over the focused pane at 80x24, the others as tabs', () => {
		const result = layout({columns: 80, rows: 24}, 'haproxy');
		assertFits(result, 80, 24);
		assert.equal(result.mode, 'focus');
		assert.deepEqual(shown(result), ['members', 'haproxy']);
		assert.equal(result.main?.width, 80);
		assert.deepEqual(result.tabs?.panes, ['lag', 'timeline', 'etcd', 'containers', 'events', 'operations']);
		assert.equal(result.height, 23);
	});

	it('shows Lag under Members when Members has the focus at 80x24', () => {
		const result = layout({columns: 80, rows: 24}, 'members');
		assertFits(result, 80, 24);
		assert.deepEqual(shown(result), ['members', 'lag']);
	});

	it('shows every pane in two columns at 120x40', () => {
		const result = layout({columns: 120, rows: 40}, 'etcd');
		assertFits(result, 120, 40);
		assert.equal(result.mode, 'all');
		assert.equal(result.columns.length, 2);
		assert.deepEqual([...shown(result)].sort(), [...PANE_NAMES].sort());
		assert.equal(result.tabs, undefined);
		assert.equal(result.height, 39);
	});

	it('shows every pane in three columns at 200x50', () => {
		const result = layout({columns: 200, rows: 50}, 'members', {memberCount: 3, alertCount: 2});
		assertFits(result, 200, 50);
		assert.equal(result.columns.length, 3);
		assert.equal(result.header.alertLines, 2);
		assert.deepEqual([...shown(result)].sort(), [...PANE_NAMES].sort());
		const widths = result.columns.map(column => column.width);
		assert.equal(widths.reduce((sum, value) => sum + value, 0), 200);
	});

	it('gives the remainder of a column to the focused pane', () => {
		const result = layout({columns: 200, rows: 51}, 'events');
		const column = result.columns.find(candidate => candidate.panes.some(slot => slot.pane === 'events'))!;
		const [first, second] = column.panes;
		assert.ok(second!.height >= first!.height);
	});

	it('still fits at 40x10 and keeps the focused pane', () => {
		for (const pane of PANE_NAMES) {
			const result = layout({columns: 40, rows: 10}, pane);
			assertFits(result, 40, 10);
			assert.ok(shown(result).includes(pane), pane);
			assert.ok(result.tabs, 'the hidden panes are listed');
		}
	});

	it('keeps a tab row when there is no room for any frame', () => {
		const result = layout({columns: 20, rows: 4}, 'members');
		assertFits(result, 20, 4);
		assert.deepEqual(result.panes, []);
		assert.deepEqual(result.tabs?.panes, [...PANE_NAMES]);
	});

	it('never throws and never overflows, however small or odd the terminal', () => {
		for (const [columns, rows] of [[0, 0], [1, 1], [10, 2], [20, 4], [3, 30], [80, 5], [500, 200], [79.5, 23.7]] as const) {
			for (const pane of PANE_NAMES) assertFits(layout({columns, rows}, pane, {memberCount: 9}), Math.floor(columns), Math.floor(rows));
		}
	});

	it('makes room for more members', () => {
		const few = layout({columns: 200, rows: 50}, 'members', {memberCount: 3});
		const many = layout({columns: 200, rows: 50}, 'members', {memberCount: 7});
		assert.equal(many.main!.height - few.main!.height, 4);
	});
});
