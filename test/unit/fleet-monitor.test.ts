// The fleet monitor outside React: rows from the source's keys, the DCS error kept beside the last rows, and the
// calm tick (ages redrawn every second, every 3 s once nothing changed for 30 s). The source is the keys recorded
// from real Patroni handed over as the namespace source hands them (test/unit/fleet-source.test.ts runs the real
// one on a real etcd); time is node:test's mock clock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it, mock} from 'node:test';
import {FleetMonitor} from '../../source/fleet-monitor.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import type {DcsView} from '../../source/model/views.js';
import {dcsViewFromKeys, type Etcd3Kv} from '../../source/sources/etcd3-view.js';
import type {Source, SourceEvent} from '../../source/sources/source.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json', 'utf8')) as {kvs: Etcd3Kv[]};
const view = dcsViewFromKeys('/service/', recorded.kvs);

/** Yields what it is given, when it is given it, until stopped. */
function handedSource() {
	const waiting: Array<(event: SourceEvent<DcsView>) => void> = [];
	const queue: Array<SourceEvent<DcsView>> = [];
	const source: Source<DcsView> = async function* (signal) {
		while (!signal.aborted) {
			const event = queue.shift() ?? (await new Promise<SourceEvent<DcsView> | undefined>(resolve => {
				waiting.push(resolve);
				signal.addEventListener('abort', () => resolve(undefined), {once: true});
			}));
			if (event) yield event;
		}
	};
	const give = (event: SourceEvent<DcsView>) => {
		const next = waiting.shift();
		if (next) next(event);
		else queue.push(event);
	};
	return {source, give};
}

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('the fleet monitor', () => {
	it("makes rows of the namespace's keys, keeps them beside a DCS error, and drops the error with the next read", async () => {
		const {source, give} = handedSource();
		const fleet = new FleetMonitor(source, {namespace: '/service/', thresholds: DEFAULT_THRESHOLDS});
		fleet.start();
		give({kind: 'data', data: view, at: 1000});
		await fleet.untilComplete(1000);
		assert.deepEqual(fleet.getView().rows.map(row => row.scope), ['billing', 'billing-dr']);
		give({kind: 'error', error: 'etcd range: no answer within 1500 ms', at: 2000});
		await settle();
		assert.deepEqual([fleet.getView().error, fleet.getView().rows.length, fleet.getView().updatedAt], ['etcd range: no answer within 1500 ms', 2, 1000]);
		give({kind: 'data', data: view, at: 3000});
		await settle();
		assert.equal(fleet.getView().error, undefined);
		await fleet.stop();
	});

	it('redraws ages every second, and every 3 s once nothing changed for 30 s', async () => {
		mock.timers.enable({apis: ['setInterval', 'Date'], now: 0});
		try {
			const {source, give} = handedSource();
			const fleet = new FleetMonitor(source, {namespace: '/service/', thresholds: DEFAULT_THRESHOLDS});
			let views = 0;
			fleet.subscribe(() => views++);
			fleet.start();
			give({kind: 'data', data: view, at: 0});
			await settle();
			views = 0;
			for (let second = 0; second < 10; second++) mock.timers.tick(1000);
			assert.equal(views, 10, 'one a second while the fleet has just changed');
			for (let second = 0; second < 25; second++) mock.timers.tick(1000);
			views = 0;
			for (let second = 0; second < 30; second++) mock.timers.tick(1000);
			assert.ok(views >= 9 && views <= 11, `about one every 3 s when calm: ${views} in 30 s`);
			await fleet.stop();
		} finally {
			mock.timers.reset();
		}
	});
});
