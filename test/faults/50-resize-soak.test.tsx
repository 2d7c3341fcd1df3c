/** @jsxRuntime automatic */
// The terminal shrunk to 40x10 and back (and a burst of resizes), then a soak at a 250 ms refresh: every frame
// fits the terminal, frames keep coming, and memory stays flat. FAULTS_SOAK_MINUTES sets the soak (default 2).
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {after, before, describe, it} from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import {ensureLab, FAULT_LAB, monitorConfig} from './fault-lab.js';
import {fits, isHealthyFrame} from './frame-text.js';
import {resourceBaseline, unhandled, watchUnhandled, type ResourceBaseline} from './guards.js';
import {cleanStop} from './clean-stop.js';
import {startHeadless, type Headless} from './headless.js';
import {measured} from './report.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-soak-'));
const names = ['node1', 'node2', 'node3'];
const SOAK_MINUTES = Number(process.env['FAULTS_SOAK_MINUTES'] ?? 2);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const mib = (bytes: number) => bytes / 2 ** 20;

// A full collection before each sample: RSS then measures what is kept, not garbage waiting for a major GC.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe('the terminal resized, and a long run at a 250 ms refresh', () => {
	let app: Headless;
	let baseline: ResourceBaseline;
	const logFile = path.join(scratch, 'events.log');

	before(async () => {
		watchUnhandled();
		baseline = resourceBaseline();
		await ensureLab(FAULT_LAB);
		app = startHeadless(monitorConfig(FAULT_LAB, {logFile, interval: 0.25}));
		await app.recorder.waitFor('a healthy first picture', frame => isHealthyFrame(frame, names), 0, 60_000);
	});

	after(async () => {
		await app?.stop();
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	it('resized to 40x10 and back to 160x50: every frame fits, nothing crashes', {timeout: 120_000}, async () => {
		await measured(18, 'terminal resized to 40x10 and back (and 20 random sizes in 2 s)', async row => {
			const shrunkAt = performance.now();
			app.resize(40, 10);
			const fittedAt = await app.recorder.waitFor('a 40x10 frame', frame => frame.length > 0 && fits(frame, 40, 10).isFitting, shrunkAt, 5000);
			row.detectedMs = fittedAt - shrunkAt;
			await sleep(3000);
			const small = app.frame();
			assert.ok(fits(small, 40, 10).isFitting, `still fits 3 s later:\n${small}`);
			assert.ok(small.startsWith(`${FAULT_LAB.scope} │ ● healthy`), `the scope and the state survive the cut:\n${small}`);
			// A burst, as a window being dragged: each frame must fit the size it was drawn for.
			for (let index = 0; index < 20; index++) {
				const [columns, rows] = [20 + Math.floor(Math.random() * 180), 5 + Math.floor(Math.random() * 60)];
				app.resize(columns, rows);
				await sleep(100);
				const drawn = app.frame();
				assert.ok(fits(drawn, columns, rows).isFitting, `${columns}x${rows}: ${JSON.stringify(fits(drawn, columns, rows))}\n${drawn}`);
			}
			const grownAt = performance.now();
			app.resize(160, 50);
			const backAt = await app.recorder.waitFor('the full dashboard again', frame => fits(frame, 160, 50).isFitting && /1 Members/.test(frame) && /8 Operations/.test(frame), grownAt, 5000);
			row.recoveredMs = backAt - grownAt;
			row.longestGapMs = app.recorder.longestGap(shrunkAt, backAt);
			const size = fits(small, 40, 10);
			row.notes = `40x10 frame: ${size.width} columns × ${size.height} lines, "${small.split('\n')[0]}"`;
			assert.ok(row.longestGapMs < 2000, `frames kept coming (${row.longestGapMs} ms)`);
			assert.deepEqual(unhandled(), []);
		});
	});

	it(`soak: ${SOAK_MINUTES} min at a 250 ms refresh, RSS flat and frames coming`, {timeout: (SOAK_MINUTES + 5) * 60_000}, async () => {
		await measured(19, `soak: ${SOAK_MINUTES} min at a 250 ms refresh`, async row => {
			const delay = monitorEventLoopDelay({resolution: 20});
			delay.enable();
			const startedAt = performance.now();
			const endAt = startedAt + SOAK_MINUTES * 60_000;
			const firstFrame = app.recorder.changes.length;
			const samples: number[] = [];
			const heaps: number[] = [];
			while (performance.now() < endAt) {
				await sleep(5000);
				collectGarbage();
				samples.push(process.memoryUsage().rss);
				heaps.push(process.memoryUsage().heapUsed);
			}
			delay.disable();
			row.longestGapMs = app.recorder.longestGap(startedAt);
			// The first fifth is warm-up (JIT, pools, caches filling); then the first and the last quarter of the rest.
			const settled = samples.slice(Math.floor(samples.length / 5));
			const quarter = Math.max(1, Math.floor(settled.length / 4));
			const early = median(settled.slice(0, quarter));
			const late = median(settled.slice(-quarter));
			const growth = mib(late - early);
			const frames = app.recorder.changes.length - firstFrame;
			const perSecond = frames / ((performance.now() - startedAt) / 1000);
			const heap = (at: 'early' | 'late') => mib(median(at === 'early' ? heaps.slice(Math.floor(heaps.length / 5)).slice(0, quarter) : heaps.slice(-quarter))).toFixed(1);
			row.notes = `RSS ${mib(early).toFixed(0)} → ${mib(late).toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}), heap ${heap('early')} → ${heap('late')} MiB after GC, ${samples.length} samples, ${perSecond.toFixed(1)} frames/s, event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`;
			assert.equal(performance.getEntriesByType('measure').length, 0, "React's production build, as the installed command runs");
			assert.ok(row.longestGapMs < 2000, `frames kept coming (${row.longestGapMs} ms)`);
			assert.ok(growth < 20, `RSS flat (less than 20 MiB of growth): ${row.notes}`);
			assert.ok(isHealthyFrame(app.frame(), names), 'still healthy on screen');
			assert.deepEqual(unhandled(), []);
		});
	});

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		await cleanStop(93, 'the resize and the soak (50-resize-soak)', app.stop, baseline, [logFile]);
	});
});
