/**
 * The fleet at 100 clusters: synthetic Patroni clusters (fleet-clusters.ts) beside the lab's real one, and the
 * installed command started as `patroni-tui --etcd <bench etcd> --all` in a tmux pane, counted from inside by
 * count-requests.js. As the namespace goes from 1 to 10 to 100 synthetic clusters: its CPU and what it asks of
 * etcd, REST and PostgreSQL per second; at 100, idle CPU and RSS. Then leader changes in one cluster after
 * another, each timed from the leader key's write (seen by an etcd watcher outside) to the pane writing that
 * row with the new leader (pipe-pane). Half are clusters whose row is on the first screen; the other half are
 * below it, brought up first by typing the scope into the fleet's filter, as a user would. Then each frame's
 * cost, and `patronictl list` for every scope in turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {fleetScopes} from '../../source/model/fleet.js';
import type {DcsKey} from '../../source/model/views.js';
import {cliCommand, epochNow} from './bench-lab.js';
import {fleetClusters, FLEET_PREFIX, type FleetClusters} from './fleet-clusters.js';
import {fleetFrameCost, namespaceKeys, recordFleetViews, rowsCost, startFleetRecorder, type FleetFrameCost} from './fleet-frame-cost.js';
import {patronictlRound, type PatronictlRound} from './fleet-patronictl.js';
import {eventLog, type Size} from './live-monitor.js';
import {paneOutput} from './pane-output.js';
import {rates, readCounts} from './phase-idle.js';
import {jitter, sleep, type Summary} from './stats.js';
import {etcdClient, key, NAMESPACE} from './synthetic.js';
import {cpuSeconds, rssMegabytes, startInPane, type Pane} from './tmux.js';
import {watchWrites, type WriteWatcher} from './writes.js';

export type FleetLoadStep = {
	readonly syntheticClusters: number;
	readonly clustersShown: number;
	readonly seconds: number;
	readonly cpuPercent: number;
	readonly perSecond: Record<string, number>;
	readonly rssMb: number;
	/** What the command wrote to its terminal per second over the window (a redraw of the ages every second). */
	readonly terminalBytesPerSecond: number;
	/** What one read of the whole namespace carries (the fleet's source reads it all every 5 s): keys, bytes. */
	readonly namespace: {readonly keys: number; readonly bytes: number};
};

export type FleetChangeSample = {
	readonly scope: string;
	readonly from: string;
	readonly to: string;
	/** The row was below the first screen and was brought up with the filter before the write. */
	readonly isFiltered: boolean;
	readonly writtenAt: number;
	readonly shownAt: number;
};

export type FleetRun = {
	readonly size: Size;
	readonly clusters: number;
	/** Scopes in the namespace besides ours (the lab's own cluster). */
	readonly otherScopes: readonly string[];
	readonly steps: readonly FleetLoadStep[];
	readonly changes: readonly FleetChangeSample[];
	readonly frameCost: FleetFrameCost;
	/** fleetFromKeys over the namespace's keys at 100 clusters, ms per call. */
	readonly rowsCost: Summary & {readonly keys: number};
	readonly patronictl: PatronictlRound;
	readonly loadAverage: {readonly atStart: readonly number[]; readonly atEnd: readonly number[]};
	readonly screen: string;
};

const here = path.dirname(fileURLToPath(import.meta.url));
const STEPS = [1, 10, 100] as const;
/** Every key of our scopes (fleet001/..., fleet100/...), and nothing of the lab's. */
const FLEET_KEYS = `${NAMESPACE}${FLEET_PREFIX}`;
const SHORT_WINDOW_S = 20;
const loadAverage = () => os.loadavg().map(value => Number(value.toFixed(2)));

/** The clusters the fleet's title line counts ("fleet · /service/ · 101 clusters · all well"). */
const shownCount = (screen: string) => Number(/· (\d+) clusters?\b/.exec(screen)?.[1] ?? Number.NaN);

async function until(pane: Pane, holds: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = await pane.capture();
		if (holds(screen)) return screen;
		if (Date.now() > deadline) throw new Error(`fleet: ${what} never came on screen; last:\n${screen}`);
		await sleep(100);
	}
}

const namespaceSize = (keys: readonly DcsKey[]) => ({keys: keys.length, bytes: keys.reduce((sum, each) => sum + Buffer.byteLength(each.key) + Buffer.byteLength(each.value), 0)});

type Output = Awaited<ReturnType<typeof paneOutput>>;

async function loadStep(pane: Pane, output: Output, countFile: string, synthetic: number, expected: number, seconds: number, etcd: string): Promise<FleetLoadStep> {
	await until(pane, screen => shownCount(screen) === expected, `${expected} clusters`);
	// Past the burst of keys just written (and, the first time, past start-up).
	await sleep(5000);
	const started = performance.now();
	const cpu = cpuSeconds(pane.pid);
	const counts = await readCounts(pane.pid, countFile);
	const bytes = output.bytes();
	await sleep(seconds * 1000);
	const elapsed = (performance.now() - started) / 1000;
	const cpuAfter = cpuSeconds(pane.pid);
	const terminalBytesPerSecond = (output.bytes() - bytes) / elapsed;
	const countsAfter = await readCounts(pane.pid, countFile);
	const shown = shownCount(await pane.capture());
	const rssMb = rssMegabytes(pane.pid);
	const namespace = namespaceSize(await namespaceKeys(etcd));
	return {syntheticClusters: synthetic, clustersShown: shown, seconds: elapsed, cpuPercent: (100 * (cpuAfter - cpu)) / elapsed, perSecond: rates(counts, countsAfter, elapsed), rssMb, terminalBytesPerSecond, namespace};
}

/** The scopes of ours whose rows the screen shows now. */
function onScreen(screen: string): string[] {
	return [...screen.matchAll(new RegExp(`[›\\s][✗!●] (${FLEET_PREFIX}\\d{3}) `, 'g'))].map(match => match[1]!);
}

type Observers = {readonly pane: Pane; readonly watcher: WriteWatcher; readonly output: Output};

async function leaderChange(clusters: FleetClusters, observers: Observers, index: number): Promise<FleetChangeSample> {
	const {pane, watcher, output} = observers;
	const visible = onScreen(await pane.capture());
	const isFiltered = index % 2 === 1;
	const candidates = clusters.scopes().filter(scope => visible.includes(scope) !== isFiltered);
	const scope = candidates[Math.floor(Math.random() * candidates.length)]!;
	if (isFiltered) {
		// A key at a time, each waited for: the fleet drops characters that reach it together in one read (a paste,
		// or two send-keys close together) since fleet-keys.ts takes only a one-character input as filter text.
		for (let typed = 1; typed <= scope.length; typed++) {
			await pane.sendKeys('-l', scope[typed - 1]!);
			await until(pane, screen => screen.includes(`filter: ${scope.slice(0, typed)}▏`), `the filter ${scope.slice(0, typed)}`, 10_000);
		}
		await until(pane, screen => screen.includes(`filter: ${scope}`) && onScreen(screen).join() === scope, `the filtered row of ${scope}`, 10_000);
	}
	const to = clusters.nextLeader(scope);
	const leaderKey = key(scope, 'leader');
	const since = epochNow();
	const row = new RegExp(`${scope} +${to}\\b`);
	const [{from}, write, shownAt] = await Promise.all([
		clusters.switchover(scope),
		watcher.next(each => each.key === leaderKey && each.value === to && !each.deleted, since),
		output.next(row, since, 15_000),
	]);
	if (isFiltered) {
		await pane.sendKeys('Escape');
		await until(pane, screen => !screen.includes('filter: '), 'the cleared filter', 10_000);
	}
	return {scope, from, to, isFiltered, writtenAt: write.at, shownAt};
}

export async function fleet(endpoint: string, options: {readonly changes: number; readonly idleSeconds: number; readonly size: Size}, log: (line: string) => void): Promise<FleetRun> {
	const etcd = endpoint.replace(/^http:\/\//, '');
	const atStart = loadAverage();
	const client = etcdClient(endpoint);
	const clusters = fleetClusters(client);
	const countFile = path.join(os.tmpdir(), `patroni-tui-bench-fleet-counts-${process.pid}.json`);
	// What a run that was stopped half-way left behind.
	await client.delete().prefix(FLEET_KEYS);
	const otherScopes = fleetScopes(await namespaceKeys(etcd));
	let pane: Pane | undefined;
	const closers: Array<() => Promise<void>> = [];
	try {
		await clusters.grow(STEPS[0]);
		const command = [...cliCommand([path.join(here, 'count-requests.js')]), '--etcd', etcd, '--all', '--log-file', eventLog('fleet')];
		pane = await startInPane('fleet-monitor', command, options.size, {BENCH_COUNT_FILE: countFile, NODE_ENV: 'production'});
		const output = await paneOutput(pane.name);
		closers.push(() => output.close());
		const steps: FleetLoadStep[] = [];
		for (const count of STEPS) {
			await clusters.grow(count);
			const seconds = count === 100 ? options.idleSeconds : SHORT_WINDOW_S;
			log(`fleet: ${count} synthetic clusters (+${otherScopes.length} of the lab), measuring ${seconds} s`);
			steps.push(await loadStep(pane, output, countFile, count, count + otherScopes.length, seconds, etcd));
		}
		const screen = await pane.capture();
		const watcher = await watchWrites(endpoint, [FLEET_KEYS]);
		closers.push(() => watcher.stop());
		const changes: FleetChangeSample[] = [];
		for (let index = 0; index < options.changes; index++) {
			changes.push(await leaderChange(clusters, {pane, watcher, output}, index));
			if ((index + 1) % 10 === 0) log(`fleet: leader changes ${index + 1}/${options.changes}`);
			await jitter(300, 1200);
		}
		await pane.stop();
		pane = undefined;
		log('fleet: frame cost, views recorded over 15 leader changes');
		const recorder = startFleetRecorder(etcd);
		await recorder.untilComplete(5000);
		const views = await recordFleetViews(recorder, async () => {
			for (let index = 0; index < 15; index++) {
				await clusters.switchover(clusters.scopes()[(index * 7) % clusters.scopes().length]!);
				await jitter(100, 300);
			}
		});
		await recorder.stop();
		const frameCost = await fleetFrameCost(views, options.size);
		const keys = await namespaceKeys(etcd);
		const rows = {...rowsCost(etcd, keys), keys: keys.length};
		log(`fleet: patronictl list for ${clusters.scopes().length} scopes, one after another`);
		const patronictl = await patronictlRound(Number(new URL(endpoint).port), clusters.scopes(), scope => clusters.leaderOf(scope));
		return {size: options.size, clusters: clusters.scopes().length, otherScopes, steps, changes, frameCost, rowsCost: rows, patronictl, loadAverage: {atStart, atEnd: loadAverage()}, screen};
	} finally {
		await pane?.stop();
		for (const close of closers) await close().catch(() => undefined);
		await clusters.remove();
		client.close();
		fs.rmSync(countFile, {force: true});
	}
}
