/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DialogView} from '../../components/dialog-view.js';
import {YES, type Dialog} from '../../source/dialog.js';
import {confirmWithProbe, input, invalid, typedWithProbe} from '../../source/flows/dialogs.js';
import {drive} from '../helpers/dialog-driver.js';
import {renderText} from './render-text.js';

const close = () => ({kind: 'close'}) as const;

describe('DialogView', () => {
	it("keeps a context line's indentation, so a YAML diff reads as YAML", () => {
		const dialog: Dialog = {kind: 'confirm', title: 'Apply work_mem = 8MB?', lines: ['postgresql:', '  parameters:', '+   work_mem: "8MB"'], answers: YES, onAnswer: close};
		const rows = renderText(<DialogView dialog={dialog} width={60} height={8} />).split('\n');
		assert.ok(rows.some(row => row.startsWith('║postgresql:')), rows.join('\n'));
		assert.ok(rows.some(row => row.startsWith('║  parameters:')), rows.join('\n'));
		assert.ok(rows.some(row => row.startsWith('║+   work_mem: "8MB"')), rows.join('\n'));
	});

	it('a confirmation says [y/N], and lists Enter with the keys that cancel', () => {
		const dialog: Dialog = {kind: 'confirm', title: 'Pause lab?', lines: [], answers: YES, onAnswer: close};
		const frame = renderText(<DialogView dialog={dialog} width={80} height={5} />);
		assert.match(frame, /Go ahead\? \[y\/N\]/);
		assert.match(frame, /y yes · N \/ Enter \/ Esc cancel/);
		assert.doesNotMatch(frame, /Enter confirm/);
		// Squeezed to one line, the prompt is still there.
		assert.match(renderText(<DialogView dialog={dialog} width={80} height={1} />), /Pause lab\? \[y\/N\] — y yes/);
	});

	it('names the write probe beside the operation and the key that runs without it', () => {
		const step = confirmWithProbe('Switchover node2 → node1?', ['Patroni demotes node2.'], '127.0.0.1:15000', close);
		assert.ok(step.kind === 'dialog');
		const frame = renderText(<DialogView dialog={step.dialog} width={120} height={7} />);
		assert.match(frame, /Also runs the write probe on 127\.0\.0\.1:15000/);
		assert.match(frame, /Go ahead\? \[y\/o\/N\]/);
		assert.match(frame, /y yes, with the write probe · o yes, without it · N \/ Enter \/ Esc cancel/);
	});

	it('a typed confirmation shows the probe on, and off after Tab', async () => {
		const step = typedWithProbe('Failover to node1 while node2 is healthy', [], 'node1', '127.0.0.1:15000', close);
		assert.ok(step.kind === 'dialog');
		assert.match(renderText(<DialogView dialog={step.dialog} width={120} height={7} />), /Also runs the write probe on 127\.0\.0\.1:15000 .*Tab: without it/);
		const {dialog} = await drive(step, ['tab']);
		assert.ok(dialog);
		const frame = renderText(<DialogView dialog={dialog} width={120} height={7} />);
		assert.match(frame, /Without the write probe on 127\.0\.0\.1:15000/);
		assert.match(frame, /Type node1 to confirm:/);
	});

	it('an invalid value stays on screen with its reason', async () => {
		const step = input('New value for max_connections', [], 'value:', value => invalid(`max_connections must be between 1 and 262143, not ${value}.`));
		const {dialog} = await drive(step, ['300000', 'enter']);
		assert.ok(dialog);
		const frame = renderText(<DialogView dialog={dialog} width={100} height={6} />);
		assert.match(frame, /value: 300000/);
		assert.match(frame, /max_connections must be between 1 and 262143, not 300000\. Correct it, or Esc to cancel\./);
	});
});
