/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {EventsPane, type EventLine} from '../../components/events-pane.js';
import {AT, EVENTS} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn} from './render-text.js';

const many: EventLine[] = Array.from({length: 20}, (_, index) => ({at: AT + index * 1000, text: `event ${index + 1}`}));

describe('EventsPane', () => {
	it('shows timestamped lines, newest first, with a mark per severity', () => {
		const rows = lines(renderIn(<EventsPane events={EVENTS} height={4} selectedIndex={0} isFocused />, 78, 4));
		assert.equal(rows.length, 4);
		assert.match(rows[0]!, /^\d\d:\d\d:\d\d · alert cleared: node3 replay lag over 16 MiB$/);
		assert.match(rows[1]!, /^\d\d:\d\d:\d\d {3}node3 state: running → streaming$/);
		assert.match(rows[3]!, /^\d\d:\d\d:\d\d ! leader changed: node1 → node2$/);
	});

	it('shows only the newest that fit', () => {
		const rows = lines(renderIn(<EventsPane events={many} height={3} selectedIndex={0} isFocused />, 78, 3));
		assert.deepEqual(rows.map(row => row.slice(11)), ['event 20', 'event 19', 'event 18']);
	});

	it('walks back in time with the selection', () => {
		const rows = lines(renderIn(<EventsPane events={many} height={3} selectedIndex={10} isFocused />, 78, 3));
		assert.deepEqual(rows.map(row => row.slice(11)), ['event 11', 'event 10', 'event 9']);
	});

	it('keeps a many-line event on one line, and says when there is nothing yet', () => {
		const rows = lines(renderIn(<EventsPane events={[{at: AT, text: 'one\ntwo', severity: 'critical'}]} height={2} selectedIndex={0} isFocused />, 40, 2));
		assert.match(rows[0]!, /✗ one two$/);
		assert.match(renderIn(<EventsPane events={[]} height={2} selectedIndex={0} isFocused />, 40, 2), /no events yet/);
	});
});
