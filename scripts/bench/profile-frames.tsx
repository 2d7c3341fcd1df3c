/**
 * What a frame costs, without a lab: a synthetic cluster (the recorded healthy fixture widened to N members) is
 * drawn again and again with one member's lag changing each time. Run under `--cpu-prof` to see where the time
 * goes; prints median / p95 per frame. Usage: profile-frames [members] [columns] [rows] [frames]
 */
import {App} from '../../components/app.js';
import type {MonitorView} from '../../source/monitor.js';
import {healthySnapshot, member, EVENTS, LAG_HISTORY} from '../../test/fixtures/snapshot-healthy.js';
import {renderHeadless} from './headless.js';
import {summarize} from './stats.js';

const [memberCount = 100, columns = 120, rows = 40, frameCount = 400] = process.argv.slice(2).map(Number);

function viewAt(step: number): MonitorView {
	const members = Array.from({length: memberCount}, (_, index) => {
		const row = member(((index % 3) + 1) as 1 | 2 | 3, {name: `m${String(index + 1).padStart(3, '0')}`});
		return index === step % memberCount ? {...row, replayLagBytes: step * 8192} : row;
	});
	return {
		snapshot: {...healthySnapshot, at: healthySnapshot.at + step * 100, members},
		events: EVENTS.map(event => ({at: event.at, text: event.text, severity: event.severity ?? 'info'})),
		lagHistory: {at: 0, samples: LAG_HISTORY},
	};
}

let step = 0;
let notify: (() => void) | undefined;
let view = viewAt(0);
const store = {
	getView: () => view,
	subscribe(listener: () => void) {
		notify = listener;
		return () => (notify = undefined);
	},
};
const ui = renderHeadless(<App monitor={store} isReadOnly={false} />, {columns, rows, isDebug: true});
await ui.waitForFrame(() => true);
const times: number[] = [];
for (; step < frameCount; step++) {
	view = viewAt(step + 1);
	const startedAt = performance.now();
	notify?.();
	await new Promise(resolve => setImmediate(resolve));
	if (step >= frameCount / 4) times.push(performance.now() - startedAt);
}
ui.unmount();
const summary = summarize(times);
console.log(`${memberCount} members at ${columns}x${rows}: median ${summary.median.toFixed(1)} ms, p95 ${summary.p95.toFixed(1)} ms (n=${times.length})`);
