/**
 * Figures 2 and 3: the built CLI in a real terminal (a tmux pane), left alone at the default refresh, beside
 * `patronictl list -W` in a pane of its own, over the same window: CPU time from /proc, and every request each
 * one made (the CLI counted from inside by a preloaded module, patronictl through a counting relay to etcd).
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {cliCommand, cliNodeFlags, LAB, monitorFlags, PATRONICTL_CONFIG} from './bench-lab.js';
import {countingProxy, proxiedPatronictlConfig} from './etcd-proxy.js';
import {eventLog, labMonitorFlags, type Size} from './live-monitor.js';
import {sleep} from './stats.js';
import {cpuSeconds, rssMegabytes, startInPane} from './tmux.js';

export type ProcessLoad = {
	readonly cpuPercent: number;
	/** Requests per second by kind, over the window. */
	readonly perSecond: Record<string, number>;
	readonly rssMb?: number;
};

export type IdleRun = {
	readonly seconds: number;
	readonly size: Size;
	readonly monitor: ProcessLoad;
	readonly patronictl: ProcessLoad;
	/** The same monitor without a UI, measured right after: what asking the cluster costs, without drawing. */
	readonly withoutUi?: {readonly cpuPercent: number; readonly notificationsPerSecond: number};
	/** The CLI again, told to poll at --interval throughout (--calm-interval 1): a cluster that is never calm. */
	readonly neverCalm?: ProcessLoad;
	readonly screen: string;
};

async function withoutUi(seconds: number): Promise<IdleRun['withoutUi']> {
	const script = path.join(here, 'monitor-only.js');
	const {stdout} = await run(process.execPath, [...cliNodeFlags(), script, String(CALM_AFTER_MS / 1000), String(seconds), JSON.stringify(labMonitorFlags({logFile: eventLog('no-ui')}))], {timeout: (seconds + 60) * 1000});
	return JSON.parse(stdout) as IdleRun['withoutUi'];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** The counts the preloaded count-requests.js has so far (SIGUSR2 makes it write them). */
export async function readCounts(pid: number, file: string): Promise<Record<string, number>> {
	fs.rmSync(file, {force: true});
	process.kill(pid, 'SIGUSR2');
	for (let tries = 0; tries < 50 && !fs.existsSync(file); tries++) await sleep(20);
	await sleep(20);
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as {counts: Record<string, number>}).counts;
}

export function rates(before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, number> {
	return Object.fromEntries(Object.keys(after).map(name => [name, (after[name]! - (before[name] ?? 0)) / seconds]));
}

const CALM_AFTER_MS = 35_000;

async function neverCalmLoad(seconds: number, size: Size, countFile: string): Promise<ProcessLoad> {
	const command = [...cliCommand([path.join(here, 'count-requests.js')]), ...monitorFlags(eventLog('idle-busy')), '--calm-interval', '1'];
	const monitor = await startInPane('idle-never-calm', command, size, {BENCH_COUNT_FILE: countFile});
	try {
		await sleep(10_000);
		const started = performance.now();
		const cpu = cpuSeconds(monitor.pid);
		const counts = await readCounts(monitor.pid, countFile);
		await sleep(seconds * 1000);
		const elapsed = (performance.now() - started) / 1000;
		const cpuAfter = cpuSeconds(monitor.pid);
		const countsAfter = await readCounts(monitor.pid, countFile);
		return {cpuPercent: (100 * (cpuAfter - cpu)) / elapsed, perSecond: rates(counts, countsAfter, elapsed), rssMb: rssMegabytes(monitor.pid)};
	} finally {
		await monitor.stop();
	}
}

export async function idle(etcdPort: number, seconds: number, size: Size, log: (line: string) => void): Promise<IdleRun> {
	const countFile = path.join(os.tmpdir(), `patroni-tui-bench-counts-${process.pid}.json`);
	const proxy = await countingProxy({host: '127.0.0.1', port: etcdPort});
	const proxiedConfig = path.join(LAB.stateDir, 'patronictl-counted.yaml');
	proxiedPatronictlConfig(PATRONICTL_CONFIG, proxiedConfig, proxy.port);
	const monitor = await startInPane('idle-monitor', [...cliCommand([path.join(here, 'count-requests.js')]), ...monitorFlags(eventLog('idle'))], size, {
		BENCH_COUNT_FILE: countFile,
	});
	const watcher = await startInPane('idle-patronictl', ['patronictl', '-c', proxiedConfig, 'list', '-W'], size);
	try {
		// Past start-up (the first complete picture, the JIT warmed up) and past the first 30 s, which a monitor
		// spends polling at --interval: left alone, this is the calm cadence (source/sources/cadence.ts).
		await sleep(CALM_AFTER_MS);
		log(`idle: measuring ${seconds} s`);
		const started = performance.now();
		const cpu = {monitor: cpuSeconds(monitor.pid), patronictl: cpuSeconds(watcher.pid)};
		const counts = await readCounts(monitor.pid, countFile);
		const proxied = {...proxy.counts};
		await sleep(seconds * 1000);
		const elapsed = (performance.now() - started) / 1000;
		const cpuAfter = {monitor: cpuSeconds(monitor.pid), patronictl: cpuSeconds(watcher.pid)};
		const countsAfter = await readCounts(monitor.pid, countFile);
		const screen = await monitor.capture();
		const rss = {monitor: rssMegabytes(monitor.pid), patronictl: rssMegabytes(watcher.pid)};
		await monitor.stop();
		await watcher.stop();
		log(`idle: the monitor without a UI, ${Math.round(seconds / 2)} s`);
		const withoutUiLoad = await withoutUi(Math.round(seconds / 2));
		log(`idle: the CLI polling at --interval throughout, ${seconds} s`);
		const neverCalm = await neverCalmLoad(seconds, size, countFile);
		return {
			seconds: elapsed,
			size,
			monitor: {
				cpuPercent: (100 * (cpuAfter.monitor - cpu.monitor)) / elapsed,
				perSecond: rates(counts, countsAfter, elapsed),
				rssMb: rss.monitor,
			},
			patronictl: {
				cpuPercent: (100 * (cpuAfter.patronictl - cpu.patronictl)) / elapsed,
				perSecond: Object.fromEntries(Object.entries(rates(proxied, proxy.counts, elapsed)).map(([name, rate]) => [`etcd ${name}`, rate])),
				rssMb: rss.patronictl,
			},
			withoutUi: withoutUiLoad,
			neverCalm,
			screen,
		};
	} finally {
		await monitor.stop();
		await watcher.stop();
		await proxy.close();
		fs.rmSync(proxiedConfig, {force: true});
		fs.rmSync(countFile, {force: true});
	}
}
