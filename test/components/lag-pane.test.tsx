/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {LagPane} from '../../components/lag-pane.js';
import {health, healthySnapshot, LAG_HISTORY} from '../fixtures/snapshot-healthy.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import {lines, renderIn, widest} from './render-text.js';

const postgres = healthySnapshot.sources.postgres;

describe('LagPane', () => {
	it('draws a sparkline per replica, newest on the right, with the current lag', () => {
		const frame = renderIn(
			<LagPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} lagHistory={LAG_HISTORY} health={postgres} width={60} height={2} selectedIndex={1} isFocused />,
			60,
			2,
		);
		const [node1, node3] = lines(frame);
		assert.match(node1!, /^ {2}node1 +▁▁▅▁▁▁█▁▁▁ +0 B 0\.0s$/);
		assert.match(node3!, /^› node3 +▁▁▂▃▅▆▇█ +48 MiB 7\.4s$/);
		assert.doesNotMatch(frame, /node2/, 'the leader has no lag');
	});

	it('adds the numbers behind each line when there is room', () => {
		const frame = renderIn(
			<LagPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} lagHistory={LAG_HISTORY} health={postgres} width={60} height={6} selectedIndex={0} isFocused />,
			60,
			6,
		);
		assert.match(frame, /receive 1\.5 MiB · peak 48 MiB over 8 samples/);
	});

	it('says so for a replica with no samples yet, and when there are no replicas', () => {
		const frame = renderIn(<LagPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} lagHistory={{}} health={postgres} width={60} height={2} selectedIndex={0} isFocused />, 60, 2);
		assert.match(frame, /node1 +no samples yet/);
		const leaderOnly = renderIn(<LagPane thresholds={DEFAULT_THRESHOLDS} members={[healthySnapshot.members[1]!]} lagHistory={{}} health={postgres} width={60} height={2} selectedIndex={0} isFocused />, 60, 2);
		assert.match(leaderOnly, /no replicas/);
	});

	it('shows the SQL error over the old lines, and fits a narrow pane', () => {
		const failing = health('postgres', 9_000, {error: 'password authentication failed for user "monitor"', isStale: true});
		const frame = renderIn(<LagPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} lagHistory={LAG_HISTORY} health={failing} width={30} height={3} selectedIndex={0} isFocused />, 30, 3);
		assert.match(lines(frame)[0]!, /^✗ SQL: password/);
		assert.match(frame, /node3 +[▁▂▃▄▅▆▇█]+/);
		assert.ok(widest(frame) <= 30);
	});
});
