import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Cadence} from '../../source/sources/cadence.js';

const never = new AbortController().signal;

async function timed(wait: Promise<void>): Promise<number> {
	const started = performance.now();
	await wait;
	return performance.now() - started;
}

describe('Cadence', () => {
	it('starts busy, and turns calm once nothing has happened for the settle time', () => {
		let now = 0;
		const cadence = new Cadence(100, 300, 1000, () => now);
		assert.equal(cadence.intervalMs, 100);
		now = 999;
		assert.equal(cadence.intervalMs, 100);
		now = 1000;
		assert.equal(cadence.intervalMs, 300);
		cadence.quicken();
		assert.equal(cadence.intervalMs, 100);
		now = 1999;
		assert.equal(cadence.isBusy, true);
	});

	it("paces something else alongside (the screen's ticks): its own intervals, calm and quickened together", async () => {
		let shift = 0;
		const cadence = new Cadence(1000, 3000, 30_000, () => Date.now() + shift);
		// The calm interval is long (1.5 s) so that "cut short" has room: on a loaded 2-core machine a timer may
		// fire a few hundred ms late, and anything well under the calm interval still proves the cut.
		const ticks = cadence.alongside(50, 1500);
		shift = 60_000;
		const calm = await timed(ticks.wait(never));
		assert.ok(calm >= 1490, `a calm tick came after ${calm} ms`);
		const quickened = ticks.wait(never);
		setTimeout(() => cadence.quicken(), 20);
		const cut = await timed(quickened);
		assert.ok(cut >= 45 && cut < 1000, `a quickened tick came after ${cut} ms: its busy interval from its start`);
		assert.ok((await timed(ticks.wait(never))) < 1000, 'busy since: every 50 ms');
	});

	it('waits the calm interval when calm, and is cut short by a quicken to the busy one', async () => {
		// Its clock starts a minute on: the first, busy minute is already over.
		let shift = 0;
		// As above: a calm interval long enough that a late timer cannot pass for the calm wait.
		const cadence = new Cadence(60, 1500, 30_000, () => Date.now() + shift);
		shift = 60_000;
		assert.equal(cadence.isBusy, false);
		const calm = await timed(cadence.wait(never));
		assert.ok(calm >= 1490, `a calm wait lasted ${calm} ms`);
		const quickened = cadence.wait(never);
		setTimeout(() => cadence.quicken(), 20);
		const cut = await timed(quickened);
		assert.ok(cut >= 55 && cut < 1000, `a quickened wait lasted ${cut} ms: the busy interval from its start`);
	});

	it('ends a wait at once when the signal aborts', async () => {
		const cadence = new Cadence(5000, 5000, 0);
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 20);
		// 5 s is the interval it would otherwise wait; anything well under it is "at once", however loaded the machine.
		assert.ok((await timed(cadence.wait(controller.signal))) < 2000);
	});
});
