/**
 * What one fleet frame costs, taken as frame-cost.tsx takes the cluster's: views recorded from a FleetMonitor of
 * our own (the product's, on the same etcd) are replayed one at a time into the real FleetApp (so FleetScreen
 * with the filter and the cursor as the command draws them) under Ink's debug mode, each timed from the store's
 * notification to the frame being written. Apart from it, what turning the namespace's keys into rows costs
 * (fleetFromKeys), which the command pays on every etcd event before any frame.
 */
import {FleetApp} from '../../components/fleet-app.js';
import {FleetMonitor, fleetDcsSource, type FleetView} from '../../source/fleet-monitor.js';
import {fleetFromKeys} from '../../source/model/fleet.js';
import type {DcsKey} from '../../source/model/views.js';
import {resolveMonitorTarget} from '../../source/resolve-config.js';
import {epochNow} from './bench-lab.js';
import {renderHeadless} from './headless.js';
import type {Size} from './live-monitor.js';
import {summarize, type Summary} from './stats.js';

type Store = {getView: () => FleetView; subscribe: (listener: () => void) => () => void};

export type FleetFrameCost = {readonly total: Summary; readonly inkOutput: Summary; readonly columns: number; readonly rows: number; readonly clusters: number; readonly views: number};

function fleetTarget(etcd: string) {
	const target = resolveMonitorTarget({etcd, all: true});
	if (target.kind !== 'fleet') throw new Error('--all without a scope is the fleet');
	return target;
}

/** A FleetMonitor of our own on the bench etcd, as run-fleet.tsx makes it. */
export function startFleetRecorder(etcd: string): FleetMonitor {
	const {config} = fleetTarget(etcd);
	const fleet = new FleetMonitor(fleetDcsSource(config), {namespace: config.namespace, thresholds: config.thresholds});
	fleet.start();
	return fleet;
}

/** Views of `fleet` while `during` runs (each a notification: an etcd event or the clock's tick). */
export async function recordFleetViews(fleet: FleetMonitor, during: () => Promise<void>): Promise<FleetView[]> {
	const recorded: FleetView[] = [];
	const unsubscribe = fleet.subscribe(() => recorded.push(fleet.getView()));
	try {
		await during();
	} finally {
		unsubscribe();
	}
	return recorded;
}

export async function fleetFrameCost(views: readonly FleetView[], size: Size, passes = 3): Promise<FleetFrameCost> {
	let index = 0;
	let notify: (() => void) | undefined;
	const store: Store = {
		getView: () => views[index % views.length]!,
		subscribe(listener) {
			notify = listener;
			return () => (notify = undefined);
		},
	};
	const inkOutput: number[] = [];
	const open = () => {
		throw new Error('the frame cost opens no cluster');
	};
	const ui = renderHeadless(<FleetApp fleet={store} open={open} />, {...size, isDebug: true, onRender: ({renderTime}) => inkOutput.push(renderTime)});
	await ui.waitForFrame(() => true);
	const totals: number[] = [];
	inkOutput.length = 0;
	// The first pass warms the JIT up; only the later ones count.
	for (let pass = 0; pass < passes; pass++) {
		for (let step = 0; step < views.length; step++) {
			index++;
			const before = ui.frames.length;
			const startedAt = epochNow();
			notify?.();
			await new Promise(resolve => setImmediate(resolve));
			const frame = ui.frames[before];
			if (frame && pass > 0) totals.push(frame.at - startedAt);
		}
		if (pass === 0) inkOutput.length = 0;
	}
	ui.unmount();
	const clusters = Math.max(0, ...views.map(view => view.rows.length));
	return {total: summarize(totals), inkOutput: summarize(inkOutput), ...size, clusters, views: views.length};
}

/** The namespace's keys as the fleet's source yields them: its first complete read. */
export async function namespaceKeys(etcd: string): Promise<readonly DcsKey[]> {
	const {config} = fleetTarget(etcd);
	const controller = new AbortController();
	try {
		for await (const event of fleetDcsSource(config)(controller.signal)) {
			if (event.kind === 'data') return event.data.keys;
			throw new Error(`etcd: ${event.error}`);
		}
	} finally {
		controller.abort();
	}
	throw new Error('the fleet source ended without keys');
}

/** fleetFromKeys on `keys`, `runs` times after as many to warm up: ms each. */
export function rowsCost(etcd: string, keys: readonly DcsKey[], runs = 200): Summary {
	const {thresholds} = fleetTarget(etcd).config;
	for (let run = 0; run < runs; run++) fleetFromKeys(keys, thresholds);
	const times: number[] = [];
	for (let run = 0; run < runs; run++) {
		const startedAt = performance.now();
		fleetFromKeys(keys, thresholds);
		times.push(performance.now() - startedAt);
	}
	return summarize(times);
}
