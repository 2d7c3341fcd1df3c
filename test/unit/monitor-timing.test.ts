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
			handles.dcs.answer();
			await settle();
			assert.equal(draws(), 1, 'the first answer');
			handles.rest.answer();
			handles.haproxy.answer();
			handles.docker.answer();
			await settle();
			assert.equal(draws(), 1, 'partial pictures wait');
			assert.equal(monitor.isComplete(), false);
			handles.postgres.answer();
			await settle();
			assert.equal(monitor.isComplete(), true);
			assert.equal(draws(), 2, 'the complete picture, at once');
			await wait(600);
			assert.equal(draws(), 2, 'and no late partial frame after it');
		});
	});

	it('draws a partial picture within 0.5 s when the rest does not come', async () => {
		await withMonitor(60_000, async ({handles, draws}) => {
			handles.dcs.answer();
			await settle();
			handles.rest.answer();
			await settle();
			assert.equal(draws(), 1);
			await wait(550);
			assert.equal(draws(), 2, 'the REST answer, drawn by the start-up timer');
		});
	});

	it('redraws on its tick pace once the picture is complete, and stops with stop()', async () => {
		let stopped: Monitor | undefined;
		await withMonitor(50, async ({monitor, handles, draws}) => {
			for (const name of SOURCE_NAMES) handles[name].answer();
			await settle();
			const before = draws();
			await wait(320);
			const ticked = draws() - before;
			assert.ok(ticked >= 4 && ticked <= 8, `${ticked} draws in 320 ms at a 50 ms tick`);
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
			assert.equal(monitor.getView().snapshot.leader, undefined);
			assert.equal(draws(), before + 1, 'the leader key gone, drawn at once');
			for (let step = 1; step <= 4; step++) {
				handles.dcs.answer(memberMoved(step));
				await wait(40);
			}
			// 160 ms of news after the leaderless frame: at the burst pace (50 ms) that would be two or three frames.
			assert.equal(draws(), before + 1, 'member-key news waits while there is no leader');
			const newLeader = memberMoved(4).keys.concat({key: 'leader', value: 'node2'});
			handles.dcs.answer(withKeys(newLeader));
			await settle();
			assert.equal(monitor.getView().snapshot.leader, 'node2');
			assert.equal(draws(), before + 2, 'the new leader, drawn at once and showing the news that waited');
			await wait(LEADERLESS_NEWS_MS);
			assert.equal(draws(), before + 2, 'nothing left over to draw');
		});
	});
});
