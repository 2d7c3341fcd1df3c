import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {KEYMAP} from '../../source/keymap.js';
import {layout, pageRows} from '../../source/layout.js';
import {PANE_KEYS, PANE_NAMES, PANES, paneForKey, paneItemCounts, paneLabel} from '../../source/panes.js';
import {INITIAL_UI_STATE, uiReducer, type UiState} from '../../source/ui-state.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {EVENTS} from '../fixtures/snapshot-healthy.js';

describe('the pane table', () => {
	it('numbers the panes 1, 2, 3... in Tab order, and the keymap focuses them by those keys', () => {
		assert.deepEqual(PANE_KEYS, PANES.map((_, index) => String(index + 1)));
		assert.equal(new Set(PANE_NAMES).size, PANE_NAMES.length);
		const focus = KEYMAP.find(binding => binding.command === 'focus-pane');
		assert.deepEqual(focus?.keys, PANE_KEYS);
		assert.equal(paneForKey('5'), 'haproxy');
		assert.equal(paneForKey('9'), undefined);
		assert.equal(paneLabel('haproxy'), '5 HAProxy');
	});

	it('counts each pane the way it draws it, for the app to clamp selections', () => {
		assert.deepEqual(paneItemCounts({snapshot: degradedSnapshot, eventCount: EVENTS.length, operationCount: 0}), {
			members: 3,
			lag: 2,
			timeline: 1,
			etcd: 8,
			haproxy: 6,
			containers: 5,
			events: 4,
			operations: 0,
		});
	});
});

describe('a page', () => {
	it('is the rows the focused pane shows in the frame the layout gave it', () => {
		// 80x24 with HAProxy focused: Members over HAProxy, whose frame has every line left (borders aside).
		const frame = layout({columns: 80, rows: 24}, 'haproxy');
		const haproxy = frame.panes.find(slot => slot.pane === 'haproxy')!;
		assert.equal(pageRows(frame, 'haproxy'), haproxy.height - 2);
		const taller = layout({columns: 80, rows: 50}, 'haproxy');
		assert.ok(pageRows(taller, 'haproxy') > pageRows(frame, 'haproxy'), 'a taller terminal, a longer page');
		// Members spends a line on its headings and one on the selected member's details.
		const members = frame.panes.find(slot => slot.pane === 'members')!;
		assert.equal(pageRows(frame, 'members'), members.height - 4);
		// Timeline: the current timeline and the column headings.
		const timeline = layout({columns: 80, rows: 24}, 'timeline');
		assert.equal(pageRows(timeline, 'timeline'), timeline.panes.find(slot => slot.pane === 'timeline')!.height - 4);
	});

	it('is half the etcd pane when the tree goes over the value, and a row for a pane without a frame', () => {
		const wide = layout({columns: 80, rows: 30}, 'etcd');
		const narrow = layout({columns: 40, rows: 30}, 'etcd');
		const height = (result: typeof wide) => result.panes.find(slot => slot.pane === 'etcd')!.height - 2;
		assert.equal(pageRows(wide, 'etcd'), height(wide) - 1);
		assert.equal(pageRows(narrow, 'etcd'), Math.floor((height(narrow) - 1) / 2));
		const focusOnHaproxy = layout({columns: 80, rows: 24}, 'haproxy');
		assert.ok(!focusOnHaproxy.panes.some(slot => slot.pane === 'events'));
		assert.equal(pageRows(focusOnHaproxy, 'events'), 1);
	});

	it('moves the cursor by that many rows, clamped to the list', () => {
		const onEvents: UiState = {...INITIAL_UI_STATE, focusedPane: 'events'};
		const page = (state: UiState, command: 'page-up' | 'page-down', rows: number) =>
			uiReducer(state, {type: 'command', command, key: command === 'page-up' ? 'pageup' : 'pagedown', itemCounts: {events: 40}, pageRows: rows});
		const down = page(onEvents, 'page-down', 17);
		assert.equal(down.selection.events, 17);
		assert.equal(page(down, 'page-down', 30).selection.events, 39);
		assert.equal(page(down, 'page-up', 5).selection.events, 12);
		assert.equal(page(onEvents, 'page-down', 0).selection.events, 1, 'a page is at least a row');
	});
});
