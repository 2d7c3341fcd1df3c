/** @jsxRuntime automatic */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {OperationsPane} from '../../components/operations-pane.js';
import type {OperationRecord} from '../../source/operations/runner.js';
import {AT} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn, widest} from './render-text.js';

// Patroni 3.0.2's answer to POST /restart while a restart condition fails, as the lab's restart test saw it.
const PATRONI_REFUSAL = 'POST /restart on http://127.0.0.1:18108 answered 503: restart conditions are not satisfied';

const refused: OperationRecord = {
	id: 1,
	title: 'restart node1',
	startedAt: AT,
	state: 'failed',
	events: [
		{kind: 'step', at: AT, text: 'node1 is a replica, streaming, 0 B behind', status: 'done'},
		{kind: 'done', at: AT + 1000, isOk: false, summary: PATRONI_REFUSAL},
	],
};

/** A rolling restart as the lab's ran: many steps, the write probe's result near the end, then the outcome. */
function rollingRestart(state: OperationRecord['state'], stepCount: number): OperationRecord {
	const steps = Array.from({length: stepCount}, (_, index) => ({kind: 'step' as const, at: AT + index * 1000, text: `step ${index + 1} of the rolling restart`, status: 'done' as const}));
	const probe = {kind: 'step' as const, at: AT + 90_000, text: 'write probe: 38 acknowledged, 3 failed, longest outage 4.2 s, 0 acknowledged writes missing', status: 'done' as const};
	const end = {kind: 'done' as const, at: AT + 91_000, isOk: true, summary: '2 steps done'};
	return {id: 7, title: 'set max_connections = 120 with a rolling restart', startedAt: AT, state, events: state === 'running' ? steps : [...steps, probe, end]};
}

describe('OperationsPane', () => {
	it('shows the newest steps of a long operation, and its summary line carries the outcome and the probe', () => {
		const frame = renderIn(<OperationsPane operations={[refused, rollingRestart('succeeded', 30)]} isReadOnly={false} width={160} height={8} />, 160, 8);
		const rows = lines(frame);
		assert.match(rows[0]!, /▶ set max_connections = 120 with a rolling restart — succeeded: 2 steps done · write probe: 38 acknowledged, 3 failed, longest outage 4\.2 s, 0 lost$/);
		assert.match(frame, /earlier steps \(Events pane and the log have them\)/);
		assert.match(frame, /write probe: 38 acknowledged/);
		assert.match(frame, /step 30 of the rolling restart/, 'the newest step is on screen');
		assert.doesNotMatch(frame, /step 1 of the rolling restart/, 'not the first');
		assert.ok(rows.length <= 8, frame);
	});

	it('while it runs, the newest step is the last line; older operations get their summary when there is room', () => {
		const running = renderIn(<OperationsPane operations={[rollingRestart('running', 20)]} isReadOnly={false} width={100} height={6} />, 100, 6);
		assert.match(lines(running)[0]!, /— running/);
		assert.match(lines(running).filter(line => line.trim()).at(-1)!, /step 20 of the rolling restart/);
		const roomy = renderIn(<OperationsPane operations={[refused, rollingRestart('succeeded', 3)]} isReadOnly={false} width={120} height={12} />, 120, 12);
		assert.match(roomy, /step 1 of the rolling restart/, 'everything fits: nothing left out');
		assert.match(roomy, /▶ restart node1 — failed: POST \/restart/);
	});

	it("wraps a long refusal onto as many lines as it needs: Patroni's text is read in full, never cut", () => {
		const frame = renderIn(<OperationsPane operations={[refused]} isReadOnly={false} width={40} height={10} />, 40, 10);
		assert.ok(widest(frame) <= 40, frame);
		const shown = lines(frame)
			.map(line => line.slice(11).trim())
			.join(' ');
		assert.ok(shown.includes(PATRONI_REFUSAL), `the whole refusal, in order:\n${frame}`);
		assert.match(lines(frame)[0]!, /^\d\d:\d\d:\d\d ▶ restart node1 — failed/);
		// A continuation line carries no time of its own.
		const drawn = lines(frame).filter(line => line.trim() !== '');
		assert.ok(drawn.length >= 5, frame);
		assert.match(drawn.at(-1)!, /^ {11}\S/);
	});

	it('says how to start one when there is none, and that none can be started when read-only', () => {
		assert.match(renderIn(<OperationsPane operations={[]} isReadOnly={false} width={80} height={3} />, 80, 3), /s switchover/);
		assert.match(renderIn(<OperationsPane operations={[]} isReadOnly width={80} height={3} />, 80, 3), /read-only: no operation can be started/);
	});
});
