/** @jsxRuntime automatic */
// The fleet screen and its keys on the rows of keys recorded from real Patroni 3.0.2 (two scopes, one a standby
// cluster; see test/unit/fleet.test.ts), edited into a fleet with a leaderless cluster: worst first, typing filters,
// Enter opens the cluster's own App (a fixture snapshot here; the live one is the lab's), Esc comes back and stops it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {stripVTControlCharacters} from 'node:util';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {FleetApp, type ClusterSession} from '../../components/fleet-app.js';
import type {FleetView} from '../../source/fleet-monitor.js';
import {fleetFromKeys} from '../../source/model/fleet.js';
import type {DcsKey} from '../../source/model/views.js';
import {dcsViewFromKeys, type Etcd3Kv} from '../../source/sources/etcd3-view.js';
import {healthySnapshot} from '../fixtures/snapshot-healthy.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json', 'utf8')) as {kvs: Etcd3Kv[]};
const recordedKeys = dcsViewFromKeys('/service/', recorded.kvs).keys;
/** A third cluster, "orders", made of billing's keys with its leader key gone: the fleet's worst. */
const ordersKeys: DcsKey[] = recordedKeys
	.filter(key => key.key.startsWith('billing/') && key.key !== 'billing/leader')
	.map(key => ({...key, key: key.key.replace(/^billing\//, 'orders/')}));
const rows = fleetFromKeys([...recordedKeys, ...ordersKeys], {lagBytes: 1_048_576});
const view: FleetView = {namespace: '/service/', rows, updatedAt: 1000, now: 1400};

function setup() {
	const opened: string[] = [];
	const stopped: string[] = [];
	const open = (scope: string): ClusterSession => {
		opened.push(scope);
		const snapshot = {...healthySnapshot, scope};
		const monitorView = {snapshot, events: [], lagHistory: {at: 0, samples: {}}};
		return {
			scope,
			app: {monitor: {getView: () => monitorView, subscribe: () => () => undefined}, isReadOnly: true},
			stop: async () => void stopped.push(scope),
		};
	};
	const ui = render(<FleetApp fleet={{getView: () => view, subscribe: () => () => undefined}} open={open} />);
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
	return {ui, frame, press, opened, stopped};
}

const rowLines = (frame: string) => frame.split('\n').filter(line => /^[ ›][✗!●] /.test(line));

describe('the fleet screen', () => {
	it('lists every cluster worst first, the standby under its primary, with leader, members and the etcd age', () => {
		const {ui, frame} = setup();
		const lines = rowLines(frame());
		assert.equal(lines.length, 3, frame());
		assert.match(lines[0]!, /✗ orders\s+—\s+2\/2 .*no leader/, 'the leaderless cluster first');
		assert.match(lines[1]!, /● billing\s+pg-1\s+2\/2/);
		assert.match(lines[2]!, /└ billing-dr \(standby\)\s+dr-1\s+1\/1/);
		assert.match(frame(), /^fleet · \/service\/ · 3 clusters · 1 critical/);
		assert.match(frame(), /etcd 0\.4s/);
		ui.unmount();
	});

	it('filters as a scope is typed, and Esc clears the filter', async () => {
		const {ui, frame, press} = setup();
		await press('d', 'r');
		assert.deepEqual(rowLines(frame()).map(line => /(billing-dr|billing|orders)/.exec(line)?.[1]), ['billing-dr']);
		assert.match(frame(), /filter: dr▏/);
		await press('\u001b');
		assert.equal(rowLines(frame()).length, 3);
		ui.unmount();
	});

	it("Enter opens the cluster's dashboard, Esc goes back and stops it; q quits from the fleet", async () => {
		const {ui, frame, press, opened, stopped} = setup();
		await press('\u001b[B', '\r');
		assert.deepEqual(opened, ['billing']);
		assert.match(frame(), /^billing │/, 'the cluster dashboard, under its scope');
		assert.match(frame(), /billing, from the fleet: Esc goes back/);
		await press('\u001b');
		assert.deepEqual(stopped, ['billing']);
		assert.match(frame(), /back from billing/);
		assert.equal(rowLines(frame()).length, 3);
		ui.unmount();
	});
});
