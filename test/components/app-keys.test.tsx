/** @jsxRuntime automatic */
// The app driven by its keys, with the real keymap, dialogs and flows. Operations are captured, not run: what
// they do to a cluster is tested against the lab (test/lab/30-*, 31-*); here the question is which operation the
// keys set up, that each confirmation names its target, and that cancelling or read-only sends nothing.
import assert from 'node:assert/strict';
import {stripVTControlCharacters} from 'node:util';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../components/app.js';
import {createFlows, type Flows} from '../../source/flows.js';
import {input, run} from '../../source/flows/dialogs.js';
import type {Operation} from '../../source/operations/operation.js';
import type {RunnerView} from '../../source/operations/runner.js';
import {healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {contextOn} from '../helpers/operation-context.js';

const EMPTY: RunnerView = {operations: []};

function setup(isReadOnly = false, custom?: Flows) {
	const started: Operation[] = [];
	const view = {snapshot: healthySnapshot, events: [], lagHistory: {at: 0, samples: {}}};
	const monitor = {getView: () => view, subscribe: () => () => undefined};
	const runner = {getView: () => EMPTY, subscribe: () => () => undefined, start: async (operation: Operation) => void started.push(operation)};
	const flows = custom ?? createFlows(() => contextOn(() => healthySnapshot, {isReadOnly}));
	const ui = render(<App monitor={monitor} isReadOnly={isReadOnly} runner={runner} flows={flows} />);
	const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
	/**
	 * Presses keys one at a time; after each, waits for the frame to change (up to a second: some keys change
	 * nothing) and a moment more for Ink to re-arm its input handler. Timing-independent on a busy machine.
	 */
	const pressWaiting = (waitMs: number) => async (...keys: string[]) => {
		for (const key of keys) {
			const before = ui.lastFrame();
			ui.stdin.write(key);
			const deadline = Date.now() + waitMs;
			while (ui.lastFrame() === before && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
			await new Promise(resolve => setTimeout(resolve, 20));
		}
	};
	const press = pressWaiting(1000);
	/** For keys that should change nothing: a short wait each, then the test looks. */
	const pressIgnored = pressWaiting(150);
	return {started, frame, press, pressIgnored, ui};
}

const ENTER = '\r';
const ESC = '\u001B';

describe('the app driven by its keys', () => {
	it('s: lists candidates with reasons, asks when, names the target, then starts the switchover', async () => {
		const {started, frame, press, ui} = setup();
		await press('s');
		assert.match(frame(), /Switchover: choose the new leader/);
		assert.match(frame(), /node2 +is the leader/);
		await press(ENTER);
		assert.match(frame(), /Switchover node2 → node1: when\?/);
		await press(ENTER);
		assert.match(frame(), /Switchover node2 → node1\?/);
		assert.match(frame(), /Also runs the write probe on/);
		assert.match(frame(), /Go ahead\? \[y\/o\/N\]/);
		assert.equal(started.length, 0, 'nothing before the confirmation');
		await press('y');
		assert.deepEqual(started.map(operation => operation.title), ['switchover node2 → node1']);
		assert.match(frame(), /started: switchover node2 → node1/);
		ui.unmount();
	});

	it('Enter on the confirmation is No: s, Enter, Enter, Enter starts nothing', async () => {
		const {started, frame, press, ui} = setup();
		await press('s', ENTER, ENTER, ENTER);
		assert.equal(started.length, 0);
		assert.match(frame(), /cancelled: nothing was sent \(Enter is No here; y confirms\)/);
		ui.unmount();
	});

	it('Esc cancels at any step and nothing is started', async () => {
		const {started, frame, press, ui} = setup();
		await press('s', ENTER, ENTER, ESC);
		assert.equal(started.length, 0);
		assert.match(frame(), /cancelled: nothing was sent/);
		ui.unmount();
	});

	it('f with a healthy leader asks for the candidate typed out, and refuses a wrong name', async () => {
		const {started, frame, press, ui} = setup();
		await press('f', ENTER);
		assert.match(frame(), /Failover to node1 while node2 is healthy/);
		await press('node3', ENTER);
		assert.match(frame(), /Type node1 exactly to confirm/);
		assert.equal(started.length, 0);
		await press('\u007F', '\u007F', '\u007F', '\u007F', '\u007F', 'node1', ENTER);
		assert.deepEqual(started.map(operation => operation.title), ['failover → node1']);
		ui.unmount();
	});

	it('c on the leader: stopping its container needs the member name typed out', async () => {
		const {started, frame, press, ui} = setup();
		await press('j', 'c');
		assert.match(frame(), /Which container\?/);
		await press(ENTER);
		assert.match(frame(), /node2 \(patroni-tui-lab-node2\): which action\?/);
		assert.match(frame(), /It is running\./);
		assert.match(frame(), /› Stop/, 'a running container: Stop first, under the cursor');
		assert.doesNotMatch(frame(), /Start/, 'no Start for a running container');
		await press(ENTER);
		assert.match(frame(), /Type node2 to confirm/);
		await press('y', ENTER);
		assert.equal(started.length, 0, 'y is not the name');
		await press('\u007F', 'node2', ENTER);
		assert.deepEqual(started.map(operation => operation.title), ['docker stop patroni-tui-lab-node2']);
		ui.unmount();
	});

	it('Esc wins over an answer still being worked out: no dialog reopens, nothing starts', async () => {
		const later = <T,>(value: T) => new Promise<T>(resolve => setTimeout(() => resolve(value), 300));
		const operation: Operation = {title: 'late operation', target: 'x', isMutating: true, run: async function* () {}};
		const flows: Flows = {
			switchover: () => later(input('A slow question', [], 'value:', () => later(run(operation)))),
		};
		const {started, frame, press, pressIgnored, ui} = setup(false, flows);
		// Esc before the first dialog has opened.
		await pressIgnored('s', ESC);
		await new Promise(resolve => setTimeout(resolve, 500));
		assert.doesNotMatch(frame(), /A slow question/);
		// Esc after Enter, before the answer has come back.
		await press('s');
		await new Promise(resolve => setTimeout(resolve, 400));
		assert.match(frame(), /A slow question/);
		await pressIgnored(ENTER, ESC);
		await new Promise(resolve => setTimeout(resolve, 500));
		assert.deepEqual(started, []);
		assert.doesNotMatch(frame(), /A slow question/);
		ui.unmount();
	});

	it('--read-only: no action key does anything, and the status bar says so', async () => {
		const {started, frame, pressIgnored, ui} = setup(true);
		await pressIgnored('s', 'f', 'e', 'R', 'r', 'c', 'h', 't', 'w', 'p', 'i', 'x', 'l');
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(started.length, 0);
		assert.doesNotMatch(frame(), /Esc cancel/, 'no dialog opened');
		assert.match(frame(), /read-only/);
		ui.unmount();
	});
});
