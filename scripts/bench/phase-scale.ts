/**
 * Figure 5: a synthetic large cluster (100 member keys, 1,000 keys in all, in a scope of its own) kept busy by a
 * stream of member-key writes. What each frame costs, and how fast a `j` shows as the moved cursor while the
 * data keeps changing under it.
 */
import type {MonitorView} from '../../source/monitor.js';
import {frameCost, recordViews, type FrameCost} from './frame-cost.js';
import {eventLog, startLiveMonitor, type Size} from './live-monitor.js';
import {sleep, summarize, type Summary} from './stats.js';
import {BIG_SCOPE, deleteScope, etcdClient, key, memberValue, writeScope} from './synthetic.js';

export type ScaleRun = {
	readonly members: number;
	readonly keys: number;
	readonly framesPerSecond: number;
	readonly frameCost: FrameCost;
	readonly keyToFrame: Summary;
	readonly views: readonly MonitorView[];
};

const MEMBERS = Array.from({length: 100}, (_, index) => `m${String(index + 1).padStart(3, '0')}`);

/** The member the cursor is on: the members table's `›` row (the first pane on screen). */
export function selectedMember(frame: string): string | undefined {
	return /›\s+(m\d{3})\s/.exec(frame)?.[1];
}

export async function scale(endpoint: string, size: Size, presses: number, log: (line: string) => void): Promise<ScaleRun> {
	const client = etcdClient(endpoint);
	// 100 members + config, initialize, status, history, leader + filler = 1,000 keys.
	await writeScope(client, BIG_SCOPE, MEMBERS, 1000 - MEMBERS.length - 5);
	const live = startLiveMonitor({etcd: endpoint.replace(/^http:\/\//, ''), scope: BIG_SCOPE, logFile: eventLog(BIG_SCOPE)}, size);
	let isStopped = false;
	const stopLive = async () => {
		if (!isStopped) await live.stop();
		isStopped = true;
	};
	let isChurning = true;
	let writes = 0;
	// Ten member-key writes a second, round the members: the picture keeps changing while keys are pressed.
	const churn = (async () => {
		while (isChurning) {
			const name = MEMBERS[writes % MEMBERS.length]!;
			await client.put(key(BIG_SCOPE, `members/${name}`)).value(memberValue(name, 'running', {xlog_location: 50_331_648 + ++writes * 8192}));
			await sleep(100);
		}
	})();
	try {
		for (let waited = 0; live.monitor.getView().snapshot.dcsKeys.length < 1000; waited += 100) {
			if (waited > 30_000) throw new Error('the monitor never saw the 1,000 keys');
			await sleep(100);
		}
		await live.ui.waitForFrame(frame => selectedMember(frame) === 'm001', {timeoutMs: 30_000});
		const framesBefore = live.ui.frames.length;
		const startedAt = performance.now();
		const views = await recordViews(live.monitor, 60, 30_000);
		const framesPerSecond = ((live.ui.frames.length - framesBefore) * 1000) / (performance.now() - startedAt);
		log(`scale: ${views.length} views recorded, ${framesPerSecond.toFixed(1)} frames/s while churning`);
		const latencies: number[] = [];
		for (let index = 1; index <= presses; index++) {
			const expected = MEMBERS[Math.min(index, MEMBERS.length - 1)]!;
			const pressedAt = live.ui.press('j');
			const frame = await live.ui.waitForFrame(text => selectedMember(text) === expected, {since: pressedAt, timeoutMs: 5000}).catch(() => undefined);
			if (frame) latencies.push(frame.at - pressedAt);
			await sleep(80 + Math.random() * 80);
		}
		isChurning = false;
		await churn;
		await stopLive();
		const cost = await frameCost(views, size);
		return {members: MEMBERS.length, keys: 1000, framesPerSecond, frameCost: cost, keyToFrame: summarize(latencies), views};
	} finally {
		isChurning = false;
		await churn.catch(() => undefined);
		await stopLive();
		await deleteScope(client, BIG_SCOPE);
		client.close();
	}
}
