import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {LEADERLESS_NEWS_MS, Monitor, type MonitorSources} from '../../source/monitor.js';
import type {SourceStates} from '../../source/model/source-state.js';
import type {DcsKey, DcsView} from '../../source/model/views.js';
import {SOURCE_NAMES, type SourceName} from '../../source/model/snapshot-types.js';
import {fixedPace} from '../../source/sources/cadence.js';
import type {Source} from '../../source/sources/source.js';

// What is tested is the Monitor's own timing (when it tells the screen to draw), not a source: each source here
// hands over, when the test says so, what the real one answered in the lab (recorded payloads).
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {scope: string; states: SourceStates};

/** `answer(data)` hands over `data` instead of the recorded answer (a recorded one changed as the lab would change it). */
type Handle = {source: Source<unknown>; answer(data?: unknown): void};

function replayed(name: SourceName): Handle {
	const waiting: Array<() => void> = [];
	const answers: unknown[] = [];
	return {
		answer(data = recorded.states[name].data) {
			answers.push(data);
			waiting.splice(0).forEach(wake => wake());
		},
		source: async function* (signal) {
			let given = 0;
			while (!signal.aborted) {
				if (given < answers.length) {
					yield {kind: 'data' as const, data: answers[given++], at: Date.now()};
					continue;
				}
				await new Promise<void>(resolve => {
					waiting.push(resolve);
					signal.addEventListener('abort', () => resolve(), {once: true});
				});
			}
		},
	};
}

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const settle = () => wait(20);

// Timing on a loaded 2-core machine (the suite shares it with Patroni, PostgreSQL and etcd): a timer can fire late
// and the test's own steps can stall, but nothing fires early. So "not drawn yet" is judged against the time that
// really passed since the draw that started the pace, and "drawn by the timer" is waited for with a generous
// deadline and checked not to have come before its time. The speed itself is measured by the benchmark.
const since = (start: number) => performance.now() - start;

/** Polls until `draws()` reaches `count` (a late timer is late, not wrong); how long it took from `start`. */
async function drawnBy(draws: () => number, count: number, start: number, deadlineMs = 3000): Promise<number> {
	while (draws() < count && since(start) < deadlineMs) await wait(5);
	assert.equal(draws(), count, `${count} draws within ${deadlineMs} ms`);
	return since(start);
}

type Started = {monitor: Monitor; handles: Record<SourceName, Handle>; draws: () => number};

/** A started monitor over replayed sources, counting the times it tells the screen to draw; stopped after `use`. */
async function withMonitor(tickMs: number, use: (started: Started) => Promise<void>): Promise<void> {
	const handles = Object.fromEntries(SOURCE_NAMES.map(name => [name, replayed(name)])) as Record<SourceName, Handle>;
	const sources = Object.fromEntries(SOURCE_NAMES.map(name => [name, handles[name].source])) as MonitorSources;
	const monitor = new Monitor(sources, {scope: recorded.scope, tick: fixedPace(tickMs)});
	let draws = 0;
	monitor.subscribe(() => draws++);
	monitor.start();
	try {
		await use({monitor, handles, draws: () => draws});
	} finally {
		await monitor.stop();
	}
}

describe('Monitor timing', () => {
	it('draws the first answer at once, later partial pictures at most every 0.5 s, and the complete one at once', async () => {
		await withMonitor(60_000, async ({monitor, handles, draws}) => {
			// The start-up pace runs from the end of the first frame, which comes after this.
			const firstAt = performance.now();
			handles.dcs.answer();
			await settle();
			assert.equal(draws(), 1, 'the first answer');
			handles.rest.answer();
			handles.haproxy.answer();
			handles.docker.answer();
			await settle();
			// Only a stall of the whole 0.5 s would let the start-up timer draw them by now, and that is no defect.
			assert.ok(draws() === 1 || since(firstAt) >= 500, `partial pictures wait: ${draws()} draws ${since(firstAt).toFixed(0)} ms after the first`);
			assert.equal(monitor.isComplete(), false);
			const partials = draws();
			handles.postgres.answer();
			await settle();
			assert.equal(monitor.isComplete(), true);
			assert.equal(draws(), partials + 1, 'the complete picture, at once');
			await wait(600);
			assert.equal(draws(), partials + 1, 'and no late partial frame after it');
		});
	});

	it('draws a partial picture within 0.5 s when the rest does not come', async () => {
		await withMonitor(60_000, async ({handles, draws}) => {
			const firstAt = performance.now();
			handles.dcs.answer();
			await settle();
			handles.rest.answer();
			await settle();
			assert.ok(draws() === 1 || since(firstAt) >= 500, 'the REST answer waits for the start-up timer');
			const drawnAfter = await drawnBy(draws, 2, firstAt);
			assert.ok(drawnAfter >= 495, `the REST answer, drawn by the start-up timer (${drawnAfter.toFixed(0)} ms after the first), not before it`);
		});
	});

	it('redraws on its tick pace once the picture is complete, and stops with stop()', async () => {
		let stopped: Monitor | undefined;
		await withMonitor(50, async ({monitor, handles, draws}) => {
			for (const name of SOURCE_NAMES) handles[name].answer();
			await settle();
			const before = draws();
			const tickingFrom = performance.now();
			// Four ticks take at least 150 ms at a 50 ms pace; late timers make them slower, never faster.
			const fourTicks = await drawnBy(draws, before + 4, tickingFrom);
			assert.ok(fourTicks >= 140, `4 draws in ${fourTicks.toFixed(0)} ms at a 50 ms tick`);
			stopped = monitor;
		});
		// Listeners are dropped at stop, so what would show a tick after it is the view being rebuilt.
		const atStop = stopped!.getView().snapshot.at;
		await wait(120);
		assert.equal(stopped!.getView().snapshot.at, atStop, 'no tick after stop');
	});

	it('in a switchover, draws the leader key going and coming at once, and member-key news between them at most every 250 ms', async () => {
		const {leader: _leader, ...dcs} = recorded.states.dcs.data!;
		// The DCS as the lab's etcd answers it between the old leader letting the key go and the new one taking it:
		// no leader key, and member keys changing (each member rewrites its own as it sees the switchover).
		const withKeys = (keys: readonly DcsKey[]): DcsView => {
			const leader = keys.find(key => key.key === 'leader')?.value;
			return {...dcs, keys, ...(leader === undefined ? {} : {leader})};
		};
		const leaderless = dcs.keys.filter(key => key.key !== 'leader');
		const memberMoved = (step: number) =>
			withKeys(leaderless.map(key => (key.key === 'members/node2' ? {...key, value: key.value.replace(/"xlog_location":\d+/, `"xlog_location":${step}`)} : key)));
		await withMonitor(60_000, async ({monitor, handles, draws}) => {
			for (const name of SOURCE_NAMES) handles[name].answer();
			await settle();
			assert.equal(monitor.isComplete(), true);
			const before = draws();
			handles.dcs.answer(withKeys(leaderless));
			await settle();
			const leaderlessAt = performance.now();
			assert.equal(monitor.getView().snapshot.leader, undefined);
			assert.equal(draws(), before + 1, 'the leader key gone, drawn at once');
			for (let step = 1; step <= 4; step++) {
				handles.dcs.answer(memberMoved(step));
				await wait(40);
			}
			// 160 ms of news after the leaderless frame: at the burst pace (50 ms) that would be two or three frames;
			// at the leaderless pace none, unless the machine stalled past it.
			const newsFor = since(leaderlessAt);
			assert.ok(draws() === before + 1 || newsFor >= LEADERLESS_NEWS_MS, `member-key news waits while there is no leader (${draws() - before - 1} news frames in ${newsFor.toFixed(0)} ms)`);
			const waited = draws();
			const newLeader = memberMoved(4).keys.concat({key: 'leader', value: 'node2'});
			handles.dcs.answer(withKeys(newLeader));
			await settle();
			assert.equal(monitor.getView().snapshot.leader, 'node2');
			assert.equal(draws(), waited + 1, 'the new leader, drawn at once and showing the news that waited');
			await wait(LEADERLESS_NEWS_MS);
			assert.equal(draws(), waited + 1, 'nothing left over to draw');
		});
	});
});
