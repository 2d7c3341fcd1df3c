/**
 * How often the polled sources (REST, PostgreSQL, HAProxy) ask: every `busyMs` while anything is happening, and
 * every `calmMs` once nothing has for `settleMs`. What is watched (etcd, Docker's events) arrives at once either
 * way, and is what wakes the polls: a logged change, an alert or an operation makes them fast again at once, so
 * a calm cluster costs little and a busy one is seen as closely as ever.
 */
import {Bell, sleep} from '../async.js';

export type Pace = {
	/** Waits until the next poll is due, or the signal aborts (never rejects). */
	wait(signal: AbortSignal): Promise<void>;
};

export function fixedPace(intervalMs: number): Pace {
	return {wait: signal => sleep(intervalMs, signal)};
}

export class Cadence implements Pace {
	#busyUntil: number;
	readonly #quickened = new Bell();

	constructor(readonly busyMs: number, readonly calmMs: number, readonly settleMs: number, readonly now: () => number = Date.now) {
		// A monitor starts busy: its first picture and the minute after are when someone is reading it closest.
		this.#busyUntil = now() + settleMs;
	}

	get isBusy(): boolean {
		return this.now() < this.#busyUntil;
	}

	get intervalMs(): number {
		return this.isBusy ? this.busyMs : this.calmMs;
	}

	/** Something happened: poll fast for the next `settleMs`, and cut short the calm waits now under way. */
	quicken(): void {
		const wasCalm = !this.isBusy;
		this.#busyUntil = this.now() + this.settleMs;
		if (wasCalm) this.#quickened.ring();
	}

	wait(signal: AbortSignal): Promise<void> {
		return waitUntil(() => this.intervalMs, signal, this.#quickened);
	}

	/** Another pace that is busy and calm with this one: `busyMs` while anything happens, `calmMs` once calm. */
	alongside(busyMs: number, calmMs: number): Pace {
		return {wait: signal => waitUntil(() => (this.isBusy ? busyMs : calmMs), signal, this.#quickened)};
	}
}

/** Sleeps `interval()` from now; when the bell rings, measures again from the same start with the interval then due. */
async function waitUntil(interval: () => number, signal: AbortSignal, bell: Bell): Promise<void> {
	const startedAt = Date.now();
	for (;;) {
		const leftMs = startedAt + interval() - Date.now();
		if (leftMs <= 0 || !(await bell.wait(leftMs, signal))) return;
	}
}
