/** @jsxRuntime automatic */
// A standby cluster on screen and at the keys: the header says what it follows and how far behind; the write
// probe and the replication check are not offered (the cluster takes no writes), and a switchover is confirmed
// with a plain [y/N], no probe beside it. The picture is the healthy fixture marked as a standby (what the model
// makes of real standby keys and a real WAL receiver is tested in test/unit/standby-lag.test.ts).
import assert from 'node:assert/strict';
import {stripVTControlCharacters} from 'node:util';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../components/app.js';
import {Header, standbyText} from '../../components/header.js';
import {createFlows} from '../../source/flows.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {Operation} from '../../source/operations/operation.js';
import {healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {contextOn} from '../helpers/operation-context.js';
import {renderIn, renderText} from './render-text.js';

const standby: ClusterSnapshot = {...healthySnapshot, standby: {source: '10.0.0.5:5432', sender: '10.0.0.5:5432', receiverStatus: 'streaming', lagBytes: 2_500_000, lagSeconds: 3.2}};

describe('a standby cluster', () => {
	it('the header names the standby leader, what it follows and how far behind', () => {
		const text = renderIn(<Header snapshot={standby} height={2} alertLines={0} />, 160, 2);
		assert.match(text, /standby leader node2/);
		assert.match(text, /standby of 10\.0\.0\.5:5432 · 2\.4 MiB \/ 3\.2s behind/);
		assert.equal(standbyText({source: '10.0.0.5:5432', receiverStatus: 'startup'}), 'standby of 10.0.0.5:5432 · startup');
		assert.equal(standbyText({source: '10.0.0.5:5432'}), 'standby of 10.0.0.5:5432');
		assert.doesNotMatch(renderText(<Header snapshot={healthySnapshot} height={2} alertLines={0} />), /standby/);
	});

	it('w and t are refused with the reason; s asks [y/N] with no write probe', async () => {
		const started: Operation[] = [];
		const view = {snapshot: standby, events: [], lagHistory: {at: 0, samples: {}}};
		const monitor = {getView: () => view, subscribe: () => () => undefined};
		const noOperations = {operations: []};
		const runner = {getView: () => noOperations, subscribe: () => () => undefined, start: async (operation: Operation) => void started.push(operation)};
		const flows = createFlows(() => contextOn(() => standby));
		const ui = render(<App monitor={monitor} isReadOnly={false} runner={runner} flows={flows} />);
		const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
		const press = async (...keys: string[]) => {
			for (const key of keys) {
				const before = ui.lastFrame();
				ui.stdin.write(key);
				const deadline = Date.now() + 1000;
				while (ui.lastFrame() === before && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
				await new Promise(resolve => setTimeout(resolve, 20));
			}
		};
		await press('w');
		assert.match(frame(), /write probe: a standby cluster takes no writes \(it replays from 10\.0\.0\.5:5432\)/);
		await press('t');
		assert.match(frame(), /replication check: a standby cluster takes no writes/);
		await press('s', '\r', '\r');
		assert.match(frame(), /Switchover node2 → node1\?/);
		assert.doesNotMatch(frame(), /write probe on/);
		assert.match(frame(), /\[y\/N\]/);
		await press('y');
		assert.deepEqual(started.map(operation => operation.title), ['switchover node2 → node1']);
		ui.unmount();
	});
});
