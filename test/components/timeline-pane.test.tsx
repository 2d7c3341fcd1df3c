/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {TimelinePane} from '../../components/timeline-pane.js';
import type {HistoryRow} from '../../source/model/snapshot-types.js';
import {health, healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn} from './render-text.js';

const rest = healthySnapshot.sources.rest;

describe('TimelinePane', () => {
	it('shows the current timeline and each switch: TL, LSN, time, new leader, reason', () => {
		const frame = renderIn(<TimelinePane timeline={2} history={healthySnapshot.history} health={rest} width={78} height={4} selectedIndex={0} isFocused={false} />, 78, 4);
		const [current, heading, row] = lines(frame);
		assert.equal(current, 'current timeline 2 · 1 switch');
		assert.match(heading!, /TL LSN +Time +Leader Reason/);
		assert.match(row!, /^› +1 0\/30000A0 +2025-03-14 09:12:03 node2 +no recovery target specified$/);
	});

	it('shows the newest switches that fit, newest first', () => {
		const history: HistoryRow[] = Array.from({length: 9}, (_, index) => ({timeline: index + 1, lsn: (index + 1) * 16_777_216, reason: `switch ${index + 1}`}));
		const frame = renderIn(<TimelinePane timeline={10} history={history} health={rest} width={78} height={5} selectedIndex={0} isFocused />, 78, 5);
		const rows = lines(frame).slice(2);
		assert.equal(rows.length, 3);
		assert.match(rows[0]!, /^› +9 0\/9000000 .* switch 9$/);
		assert.match(rows[2]!, /switch 7$/);
	});

	it('keeps only the time of day in a narrow pane', () => {
		const frame = renderIn(<TimelinePane timeline={2} history={healthySnapshot.history} health={rest} width={50} height={4} selectedIndex={0} isFocused />, 50, 4);
		assert.match(frame, /0\/30000A0 +09:12:03 node2/);
	});

	it('draws the empty and the failing states', () => {
		const empty = renderIn(<TimelinePane timeline={1} history={[]} health={rest} width={78} height={3} selectedIndex={0} isFocused />, 78, 3);
		assert.match(empty, /no promotions yet: still on the first timeline/);
		const failing = health('rest', 12_000, {error: 'timeout of 2000ms exceeded', isStale: true});
		const stale = renderIn(<TimelinePane timeline={2} history={healthySnapshot.history} health={failing} width={78} height={4} selectedIndex={0} isFocused />, 78, 4);
		assert.match(lines(stale)[0]!, /^✗ REST: timeout of 2000ms exceeded · showing data 12s old/);
		assert.match(stale, /current timeline 2/);
	});
});
