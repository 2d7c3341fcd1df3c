/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {HaproxyPane} from '../../components/haproxy-pane.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {AT, health, HEALTHY_BACKENDS, healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn, widest} from './render-text.js';

const haproxy = healthySnapshot.sources.haproxy;

describe('HaproxyPane', () => {
	it('lists each listener with its servers, their status, check and sessions', () => {
		const frame = renderIn(<HaproxyPane backends={HEALTHY_BACKENDS} leader="node2" at={AT} health={haproxy} width={78} height={8} selectedIndex={1} isFocused />, 78, 8);
		const rows = lines(frame);
		assert.equal(rows[0], 'primary 1/3 up · 1 session');
		assert.match(rows[1]!, /^ {2}node1 +DOWN +L7STS\/503 2ms +sess 0\/0 · 17m57s ago$/);
		assert.match(rows[2]!, /^› node2 +UP +L7OK\/200 2ms +sess 1\/57/);
		assert.equal(rows[4], 'replicas 2/3 up · 2 sessions');
		assert.doesNotMatch(frame, /FRONTEND|BACKEND|stats/);
	});

	it('flags a write listener sending to a member that is not the leader', () => {
		const frame = renderIn(<HaproxyPane backends={degradedSnapshot.backends} leader="node2" at={AT} health={haproxy} width={78} height={8} selectedIndex={0} isFocused />, 78, 8);
		assert.match(frame, /^primary 2\/3 up ✗/m);
		assert.match(frame, /› node1 +UP +≠ leader is node2 L7OK\/200/);
		assert.match(frame, /node3 +DOWN +L4CON/);
		assert.match(frame, /^ {2}node2 +UP +L7OK\/200/m, 'the leader itself is not flagged');
	});

	it('keeps the alarm when the pane is narrow', () => {
		const frame = renderIn(<HaproxyPane backends={degradedSnapshot.backends} leader="node2" at={AT} health={haproxy} width={40} height={8} selectedIndex={0} isFocused />, 40, 8);
		assert.ok(widest(frame) <= 40);
		assert.match(frame, /node1 +UP +≠ leader is node2/);
	});

	it('draws the error and the age of the listeners it still shows', () => {
		const failing = health('haproxy', 31_000, {error: 'connect ECONNREFUSED 127.0.0.1:17000', isStale: true});
		const frame = renderIn(<HaproxyPane backends={HEALTHY_BACKENDS} leader="node2" at={AT} health={failing} width={78} height={5} selectedIndex={0} isFocused={false} />, 78, 5);
		assert.match(lines(frame)[0]!, /^✗ HAProxy: connect ECONNREFUSED 127\.0\.0\.1:17000 · showing data 31s old$/);
		assert.match(frame, /primary 1\/3 up/);
	});

	it('says when HAProxy is off or has nothing behind it', () => {
		const off = renderIn(<HaproxyPane backends={[]} at={AT} health={{...haproxy, isEnabled: false}} width={78} height={3} selectedIndex={0} isFocused />, 78, 3);
		assert.match(off, /HAProxy is switched off/);
		const empty = renderIn(<HaproxyPane backends={HEALTHY_BACKENDS.slice(0, 2)} at={AT} health={haproxy} width={78} height={3} selectedIndex={0} isFocused />, 78, 3);
		assert.match(empty, /no listeners with servers/);
	});
});
