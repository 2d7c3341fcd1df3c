/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {renderToString} from 'ink';
import {Dashboard, type DashboardProps} from '../../components/dashboard.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import {PANE_NAMES, paneLabel} from '../../source/panes.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {EVENTS, healthySnapshot, LAG_HISTORY} from '../fixtures/snapshot-healthy.js';
import {lines, NO_SELECTION, renderText, widest} from './render-text.js';

const base: DashboardProps = {
	snapshot: healthySnapshot,
	lagHistory: LAG_HISTORY,
	events: EVENTS,
	focusedPane: 'members',
	selection: NO_SELECTION,
	columns: 80,
	rows: 24,
	isReadOnly: false,
	thresholds: DEFAULT_THRESHOLDS,
	isHelpOpen: false,
};

/** ink-testing-library's terminal is 100 columns wide, so wider screens are rendered at their own width. */
function wide(props: DashboardProps): string {
	return stripVTControlCharacters(renderToString(<Dashboard {...props} />, {columns: props.columns}));
}

function assertFits(frame: string, columns: number, rows: number): void {
	assert.ok(lines(frame).length <= rows - 1, `${lines(frame).length} lines for ${rows} rows:\n${frame}`);
	assert.ok(widest(frame) <= columns, `a line is ${widest(frame)} wide for ${columns} columns:\n${frame}`);
}

describe('Dashboard', () => {
	it('fits 80x24 with every pane focused, healthy or degraded', () => {
		for (const snapshot of [healthySnapshot, degradedSnapshot]) {
			for (const focusedPane of PANE_NAMES) {
				const frame = renderText(<Dashboard {...base} snapshot={snapshot} focusedPane={focusedPane} />);
				assertFits(frame, 80, 24);
				assert.equal(lines(frame).length, 23);
				assert.match(frame, /1 Members/);
				assert.match(frame, new RegExp(`[╔═] ${paneLabel(focusedPane)} ═`), focusedPane);
				assert.match(lines(frame).at(-1)!, /q quit {2}\? help/);
			}
		}
	});

	it('at 80x24 stacks Members over the focused pane and lists the rest', () => {
		const rows = lines(renderText(<Dashboard {...base} snapshot={degradedSnapshot} focusedPane="haproxy" />));
		assert.match(rows[0]!, /^lab │ ● degraded │ leader node2 │ TL 2 │ 4 alerts/);
		assert.match(rows[1]!, /^etcd ✗ 12s/);
		assert.match(rows[2]!, /HAProxy routes writes to node1/);
		assert.match(rows[3]!, /^╭─ 1 Members ─/);
		assert.ok(rows.some(row => /≠ leader is node2/.test(row)));
		assert.match(rows.at(-2)!, /^also: 2 Lag · 3 Timeline · 4 etcd ✗ · 6 Containers · 7 Events · 8 Operations$/);
	});

	it('shows a failing source on its pane: badge, error and the age of what it still shows', () => {
		const frame = renderText(<Dashboard {...base} snapshot={degradedSnapshot} focusedPane="etcd" />);
		assert.match(frame, /╔═ 4 etcd ═+ ✗ 12s old ═╗/);
		assert.match(frame, /✗ etcd: etcdserver: request timed out · showing data 12s old/);
		assert.match(frame, /leader lease 15s left/);
	});

	it('passes each pane its own selection', () => {
		const frame = renderText(<Dashboard {...base} snapshot={degradedSnapshot} selection={{...NO_SELECTION, members: 2}} />);
		assert.match(frame, /›✗ node3 .*stopped/);
		assert.match(frame, /node3: ✗ REST: connect ECONNREFUSED/);
	});

	it('puts the help over the panes, and a message in the status bar', () => {
		const frame = renderText(<Dashboard {...base} isHelpOpen message="press ? again to close the help" />);
		assertFits(frame, 80, 24);
		assert.match(frame, /╔═ \? Help ═/);
		assert.match(frame, /PgDn +page down/);
		assert.doesNotMatch(frame, /1 Members/);
		assert.match(lines(frame).at(-1)!, /^press \? again to close the help {2}│ q quit/);
	});

	it('shows every pane at 120x40 and at 200x50', () => {
		for (const [columns, rows] of [[120, 40], [200, 50]] as const) {
			const frame = wide({...base, snapshot: degradedSnapshot, columns, rows, focusedPane: 'timeline'});
			assertFits(frame, columns, rows);
			for (const pane of PANE_NAMES) assert.match(frame, new RegExp(`${paneLabel(pane)} `), `${pane} at ${columns}x${rows}`);
			assert.doesNotMatch(frame, /^also:/m);
		}
	});

	it('uses three columns at 200x50', () => {
		const frame = wide({...base, columns: 200, rows: 50});
		assert.match(frame, /╭─ 2 Lag ─+╮╭─ 5 HAProxy ─+╮╭─ 8 Operations ─+╮/);
		assert.match(frame, /╭─ 3 Timeline ─+╮╭─ 6 Containers ─+╮│/);
		assert.match(frame, /╭─ 4 etcd ─+╮╭─ 7 Events ─+╮│/);
	});

	it('still fits a 40x10 terminal, and a 20x4 one', () => {
		for (const [columns, rows] of [[40, 10], [20, 4]] as const) {
			for (const focusedPane of PANE_NAMES) {
				const frame = wide({...base, snapshot: degradedSnapshot, columns, rows, focusedPane});
				assertFits(frame, columns, rows);
			}
		}
		assert.match(wide({...base, columns: 40, rows: 10}), /1 Members/);
	});

	it('--read-only: the header says so on its first line, as well as the status bar', () => {
		const frame = renderText(<Dashboard {...base} isReadOnly />);
		assert.match(lines(frame)[0]!, /│ read-only │/);
		assert.doesNotMatch(lines(renderText(<Dashboard {...base} />))[0]!, /read-only/);
	});
});
