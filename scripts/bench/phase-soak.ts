/**
 * Figure 6: the built CLI in a real terminal at a 250 ms refresh for `minutes`, its resident memory sampled
 * from /proc every 15 s. It runs last and alone (scripts/bench/main.ts): beside the other phases it would slow their
 * millisecond figures down.
 */
import {cliCommand, monitorFlags} from './bench-lab.js';
import {eventLog, type Size} from './live-monitor.js';
import {sleep} from './stats.js';
import {cpuSeconds, rssMegabytes, startInPane} from './tmux.js';

export type SoakRun = {
	readonly minutes: number;
	readonly intervalSeconds: number;
	/** [seconds since start, RSS MB] */
	readonly samples: ReadonlyArray<readonly [number, number]>;
	readonly rssAfterStartMb: number;
	readonly rssAfterOneMinuteMb: number;
	readonly rssAtEndMb: number;
	readonly growthMb: number;
	readonly growthAfterFirstMinuteMb: number;
	/** From minute 2 to the end: once the caches and the JIT are warm. */
	readonly growthAfterMinuteTwoMb: number;
	readonly cpuPercent: number;
	/** Samples at which the screen differed from the sample before (the header's ages move every second). */
	readonly screenChanges: number;
};

const SAMPLE_EVERY_MS = 15_000;

export async function startSoak(minutes: number, size: Size): Promise<{finish(): Promise<SoakRun>}> {
	const intervalSeconds = 0.25;
	const pane = await startInPane('soak', [...cliCommand(), ...monitorFlags(eventLog('soak')), '--interval', String(intervalSeconds)], size);
	const startedAt = performance.now();
	const samples: Array<readonly [number, number]> = [];
	let cpuAtStart: number | undefined;
	let screenChanges = 0;
	let lastScreen = '';
	// Frames keep coming: each sample also reads the terminal, which must have moved on since the last one.
	const sampleScreen = async () => {
		const screen = await pane.capture();
		if (screen !== lastScreen) screenChanges++;
		lastScreen = screen;
	};
	const sampling = (async () => {
		// "After start": once the first picture is drawn and the sources have settled.
		await sleep(10_000);
		cpuAtStart = cpuSeconds(pane.pid);
		while (performance.now() - startedAt < minutes * 60_000) {
			samples.push([(performance.now() - startedAt) / 1000, rssMegabytes(pane.pid)]);
			await sampleScreen();
			await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, minutes * 60_000 - (performance.now() - startedAt))));
		}
		samples.push([(performance.now() - startedAt) / 1000, rssMegabytes(pane.pid)]);
	})();
	return {
		async finish() {
			try {
				await sampling;
				const elapsed = (performance.now() - startedAt) / 1000 - 10;
				const cpuPercent = (100 * (cpuSeconds(pane.pid) - (cpuAtStart ?? 0))) / elapsed;
				const at = (seconds: number) => samples.find(([time]) => time >= seconds)?.[1] ?? samples.at(-1)![1];
				const first = samples[0]![1];
				const end = samples.at(-1)![1];
				return {
					minutes,
					intervalSeconds,
					samples,
					rssAfterStartMb: first,
					rssAfterOneMinuteMb: at(60),
					rssAtEndMb: end,
					growthMb: end - first,
					growthAfterFirstMinuteMb: end - at(60),
					growthAfterMinuteTwoMb: end - at(120),
					cpuPercent,
					screenChanges,
				};
			} finally {
				await pane.stop();
			}
		},
	};
}
