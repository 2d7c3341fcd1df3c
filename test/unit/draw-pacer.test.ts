/** When the monitor tells the screen to draw (source/draw-pacer.ts): real timers, a short pace. */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DrawPacer} from '../../source/draw-pacer.js';

const PACE_MS = 40;
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const nextTurn = () => new Promise(resolve => setImmediate(resolve));

function counted(): {pacer: DrawPacer; draws: number[]; started: number} {
	const started = performance.now();
	const draws: number[] = [];
	const pacer = new DrawPacer(() => draws.push(performance.now() - started), PACE_MS);
	return {pacer, draws, started};
}

describe('drawing paced by what changed', () => {
	it('everything asked for in one turn of the event loop is one draw, in the next turn', async () => {
		const {pacer, draws} = counted();
		pacer.request('urgent');
		pacer.request('news');
		pacer.request('due');
		pacer.request('urgent');
		assert.equal(draws.length, 0, 'not drawn synchronously: later answers of the same turn join the draw');
		await nextTurn();
		assert.equal(draws.length, 1);
	});

	it('news after a quiet spell is drawn at once; news within a burst at most once per pace', async () => {
		const {pacer, draws} = counted();
		pacer.request('news');
		await nextTurn();
		assert.equal(draws.length, 1);
		pacer.request('news');
		pacer.request('news');
		await nextTurn();
		assert.equal(draws.length, 1, 'the second news waits for the pace');
		await wait(PACE_MS + 15);
		assert.equal(draws.length, 2, 'and then both are one draw');
		assert.ok(draws[1]! - draws[0]! >= PACE_MS - 5, `drawn ${draws[1]! - draws[0]!} ms after the first`);
	});

	it('a new leader does not wait for the pace, and the news waiting is drawn with it', async () => {
		const {pacer, draws} = counted();
		pacer.request('news');
		await nextTurn();
		pacer.request('news');
		pacer.request('urgent');
		await nextTurn();
		assert.equal(draws.length, 2);
		await wait(PACE_MS + 15);
		assert.equal(draws.length, 2, 'the paced draw was covered by the urgent one');
	});

	it("the tick's redraw neither waits for the pace nor starts one", async () => {
		const {pacer, draws} = counted();
		pacer.request('due');
		await nextTurn();
		pacer.request('news');
		await nextTurn();
		assert.equal(draws.length, 2, 'news right after a tick is drawn at once');
		pacer.request('due');
		await nextTurn();
		assert.equal(draws.length, 3);
	});

	it('within a burst, the pace runs from the end of the frame drawn, as React draws it in a microtask', async () => {
		const FRAME_MS = 30;
		const started = performance.now();
		const draws: Array<{start: number; end: number}> = [];
		const pacer = new DrawPacer(() => {
			const start = performance.now() - started;
			queueMicrotask(() => {
				// React's render and Ink's frame, queued by the draw as they are in the app.
				while (performance.now() - started < start + FRAME_MS);
				draws.push({start, end: performance.now() - started});
			});
		}, PACE_MS);
		pacer.request('news');
		await nextTurn();
		pacer.request('news');
		await wait(FRAME_MS + PACE_MS + 30);
		assert.equal(draws.length, 2);
		const idle = draws[1]!.start - draws[0]!.end;
		// Node's timers count whole milliseconds and may fire a little early against performance.now() on a busy
		// machine (38.5 ms seen); a pace run from the frame's start would leave only PACE_MS - FRAME_MS = 10 ms.
		assert.ok(idle >= PACE_MS - 5, `${idle.toFixed(1)} ms between the first frame's end and the second's start`);
	});

	it('cancelled (the monitor stopped), nothing more is drawn', async () => {
		const {pacer, draws} = counted();
		pacer.request('news');
		await nextTurn();
		pacer.request('news');
		pacer.cancel();
		pacer.request('urgent');
		pacer.cancel();
		await wait(PACE_MS + 15);
		assert.equal(draws.length, 1);
	});
});
