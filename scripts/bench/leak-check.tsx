/**
 * Figure 6, diagnosis: replays recorded views into the App (Ink debug mode, every frame drawn) with ages and
 * times moving on as they do on a live screen, and measures the heap that stays after a full GC (Ink 6.8's own
 * text caches kept every distinct text they ever saw; see scripts/build/ink-patches.ts). The headless terminal
 * keeps only its last frame here: until 2026-11-26 it kept all 3,000 (8 KB each), and they were most of what this
 * figure counted. Needs `node --expose-gc`.
 */
import {App} from '../../components/app.js';
import type {MonitorView} from '../../source/monitor.js';
import {renderHeadless} from './headless.js';
import type {Size} from './live-monitor.js';

export type LeakCheck = {readonly frames: number; readonly heapStartMb: number; readonly heapEndMb: number; readonly kbPerFrame: number};

export async function leakCheck(views: readonly MonitorView[], size: Size, frames = 3000): Promise<LeakCheck | undefined> {
	const gc = (globalThis as {gc?: () => void}).gc;
	if (!gc || views.length === 0) return undefined;
	let index = 0;
	const view = (): MonitorView => {
		const base = views[index % views.length]!;
		const sources = Object.fromEntries(Object.entries(base.snapshot.sources).map(([name, health]) => [name, {...health, ageMs: (index * 37) % 10_000}]));
		return {...base, snapshot: {...base.snapshot, at: base.snapshot.at + index * 250, sources: sources as typeof base.snapshot.sources}};
	};
	let current = view();
	let notify: (() => void) | undefined;
	const store = {getView: () => current, subscribe: (listener: () => void) => ((notify = listener), () => (notify = undefined))};
	const ui = renderHeadless(<App monitor={store} isReadOnly={false} />, {...size, isDebug: true, keepsOnlyLastFrame: true});
	await ui.waitForFrame(() => true);
	const heap = () => {
		gc();
		return process.memoryUsage().heapUsed / 2 ** 20;
	};
	const heapStartMb = heap();
	for (let frame = 0; frame < frames; frame++) {
		index++;
		current = view();
		notify?.();
		await new Promise(resolve => setImmediate(resolve));
	}
	const heapEndMb = heap();
	ui.unmount();
	return {frames, heapStartMb, heapEndMb, kbPerFrame: ((heapEndMb - heapStartMb) * 1024) / frames};
}
