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

describe('OperationsPane', () => {
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
