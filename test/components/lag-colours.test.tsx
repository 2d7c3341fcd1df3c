/** @jsxRuntime automatic */
// The lag figures are coloured by the alert thresholds (--lag-bytes, --lag-seconds), not by constants of their own.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Thresholds} from '../../source/model/alerts.js';

// Chalk picks its colour level when it is first imported, and this file runs in its own process: force colour
// on before Ink loads, so the test sees what a colour terminal would get.
process.env['FORCE_COLOR'] = '1';
delete process.env['NO_COLOR'];
const {render} = await import('ink-testing-library');
const {lagTone} = await import('../../components/lag-tone.js');
const {MembersPane} = await import('../../components/members-pane.js');
const {LagPane} = await import('../../components/lag-pane.js');
const {DEFAULT_THRESHOLDS} = await import('../../source/model/alerts.js');
const {healthySnapshot, LAG_HISTORY} = await import('../fixtures/snapshot-healthy.js');

const MIB = 1024 * 1024;
const YELLOW = '\u001B[33m';
const RED = '\u001B[31m';

/** The last frame with its escapes (render-text.ts strips them). */
function coloured(element: Parameters<typeof render>[0]): string {
	const instance = render(element);
	try {
		return instance.lastFrame() ?? '';
	} finally {
		instance.unmount();
	}
}

/** The colour the figure is drawn in: the last foreground escape before it (Ink merges neighbours of one colour). */
function colourOf(frame: string, figure: string): string | undefined {
	const at = frame.indexOf(figure);
	assert.ok(at >= 0, `${figure} not in the frame`);
	const last = [...frame.slice(0, at).matchAll(/\u001B\[(?:3[0-9]|9[0-7])m/g)].at(-1)?.[0];
	return last === YELLOW || last === RED ? last : undefined;
}

const members = (thresholds: Thresholds) =>
	coloured(<MembersPane members={healthySnapshot.members} health={healthySnapshot.sources.rest} thresholds={thresholds} width={110} height={6} selectedIndex={0} isFocused={false} />);
const lag = (thresholds: Thresholds) =>
	coloured(<LagPane members={healthySnapshot.members} lagHistory={LAG_HISTORY} health={healthySnapshot.sources.postgres} thresholds={thresholds} width={60} height={2} selectedIndex={0} isFocused={false} />);

describe('lag colours', () => {
	it('turn yellow past the alert thresholds and red far past the byte one', () => {
		assert.equal(lagTone(undefined, undefined, DEFAULT_THRESHOLDS), undefined);
		assert.equal(lagTone(MIB, 10, DEFAULT_THRESHOLDS), undefined, 'at the threshold, as the alert: no');
		assert.equal(lagTone(MIB + 1, 0, DEFAULT_THRESHOLDS), 'warn');
		assert.equal(lagTone(0, 10.5, DEFAULT_THRESHOLDS), 'warn', 'seconds count as they do for the alert');
		assert.equal(lagTone(64 * MIB + 1, 0, DEFAULT_THRESHOLDS), 'bad');
		assert.equal(lagTone(5 * MIB, 0, {lagBytes: 10 * MIB, lagSeconds: 10}), undefined);
		assert.equal(lagTone(5 * MIB, 0, {lagBytes: 64 * 1024, lagSeconds: 10}), 'bad');
	});

	it('in the Members table follow the thresholds handed down', () => {
		assert.equal(colourOf(members(DEFAULT_THRESHOLDS), '48 MiB 7.4s'), YELLOW);
		assert.equal(colourOf(members(DEFAULT_THRESHOLDS), '1.5 MiB 0.4s'), YELLOW, 'receive lag too');
		assert.equal(colourOf(members({lagBytes: 100 * MIB, lagSeconds: 10}), '48 MiB 7.4s'), undefined);
		assert.equal(colourOf(members({lagBytes: 100 * MIB, lagSeconds: 10}), '1.5 MiB 0.4s'), undefined);
		assert.equal(colourOf(members({lagBytes: 100 * MIB, lagSeconds: 5}), '48 MiB 7.4s'), YELLOW);
		assert.equal(colourOf(members({lagBytes: MIB / 2, lagSeconds: 10}), '48 MiB 7.4s'), RED);
	});

	it('in the Lag pane follow the same thresholds', () => {
		assert.equal(colourOf(lag(DEFAULT_THRESHOLDS), '48 MiB 7.4s'), YELLOW);
		assert.equal(colourOf(lag({lagBytes: 100 * MIB, lagSeconds: 10}), '48 MiB 7.4s'), undefined);
		assert.equal(colourOf(lag({lagBytes: MIB / 2, lagSeconds: 10}), '48 MiB 7.4s'), RED);
	});
});
