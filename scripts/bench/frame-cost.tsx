/**
 * What one frame costs: views recorded from the live monitor are replayed, one at a time, into the real App under
 * Ink's debug mode (unthrottled, each render written whole at once), and each is timed from the store's
 * notification to the frame being written: React's render and commit, Yoga's layout, Ink's output, the write.
 */
import {App} from '../../components/app.js';
import type {MonitorView} from '../../source/monitor.js';
import {epochNow} from './bench-lab.js';
import {renderHeadless} from './headless.js';
import {summarize, type Summary} from './stats.js';

export type FrameCost = {readonly total: Summary; readonly inkOutput: Summary; readonly columns: number; readonly rows: number};

type Store = {getView: () => MonitorView; subscribe: (listener: () => void) => () => void};

/** Collects `count` successive views (each a real change the monitor notified), or as many as come in `timeoutMs`. */
export async function recordViews(store: Store, count: number, timeoutMs: number): Promise<MonitorView[]> {
	const views: MonitorView[] = [];
	await new Promise<void>(resolve => {
		const timer = setTimeout(finish, timeoutMs);
		const unsubscribe = store.subscribe(() => {
			views.push(store.getView());
			if (views.length >= count) finish();
		});
		function finish() {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		}
	});
	return views;
}

export async function frameCost(views: readonly MonitorView[], size: {columns: number; rows: number}, passes = 3): Promise<FrameCost> {
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
	const ui = renderHeadless(<App monitor={store} isReadOnly={false} />, {...size, isDebug: true, onRender: ({renderTime}) => inkOutput.push(renderTime)});
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
			// React renders in a microtask after the notification; debug mode writes the frame within it.
			await new Promise(resolve => setImmediate(resolve));
			const frame = ui.frames[before];
			if (frame && pass > 0) totals.push(frame.at - startedAt);
		}
		if (pass === 0) inkOutput.length = 0;
	}
	ui.unmount();
	return {total: summarize(totals), inkOutput: summarize(inkOutput), ...size};
}
