/**
 * When the monitor tells the screen to draw. Every draw is a whole frame (React, layout and Ink: 10-20 ms on the
 * benchmark machine, 30-50 ms while a switchover keeps both cores busy), on the process's one thread. In a
 * switchover the DCS writes and REST answers come as a burst, one every few ms for a few hundred ms: drawn one by
 * one, they kept the thread busy most of that time, so the new leader's key, when it came, waited for the frame
 * in progress, then for its own (docs/benchmark.md, figure 1). So:
 * - a new leader (or no leader) is urgent: drawn at once;
 * - other news is drawn at once after a quiet spell, and within a burst only once the thread has had NEWS_PACE_MS
 *   to itself since the last news frame was done: paced from a frame's start, 30-50 ms frames every 50 ms left
 *   the thread free a third of the time at best, and the new leader's key mostly arrived during a frame;
 * - the tick's redraw (ages, figures) is drawn at once;
 * - while the first picture is coming together, the monitor asks for a slower pace (its STARTUP_FRAME_MS);
 * - all that arrives in one turn of the event loop is one draw of the latest picture (setImmediate).
 */
export type DrawKind = 'urgent' | 'news' | 'due';

/** Within a burst of news, the least time between one news frame's end and the next one's start. */
export const NEWS_PACE_MS = 50;

type Pending = {readonly at: number; readonly cancel: () => void; isNews: boolean};

export class DrawPacer {
	#pending: Pending | undefined;
	#lastNewsDrawEndedAt = -Infinity;

	constructor(
		private readonly draw: () => void,
		private readonly newsPaceMs = NEWS_PACE_MS,
		private readonly now: () => number = () => performance.now(),
	) {}

	/** `paceMs`: for news, the least time since the last news frame was done (the pacer's own pace unless given). */
	request(kind: DrawKind, paceMs = this.newsPaceMs): void {
		const now = this.now();
		const at = kind === 'news' ? Math.max(now, this.#lastNewsDrawEndedAt + paceMs) : now;
		const isNews = kind !== 'due';
		// A draw already coming as soon shows this too: it draws the latest picture whenever it runs.
		if (this.#pending && this.#pending.at <= at) {
			this.#pending.isNews ||= isNews;
			return;
		}
		this.cancel();
		const run = () => {
			const drawn = this.#pending;
			this.#pending = undefined;
			this.draw();
			// The frame itself is drawn in React's microtask, queued by draw(): this one runs after it.
			if (drawn?.isNews) queueMicrotask(() => (this.#lastNewsDrawEndedAt = this.now()));
		};
		if (at <= now) {
			const immediate = setImmediate(run);
			this.#pending = {at, cancel: () => clearImmediate(immediate), isNews};
		} else {
			const timer = setTimeout(run, at - now);
			this.#pending = {at, cancel: () => clearTimeout(timer), isNews};
		}
	}

	cancel(): void {
		this.#pending?.cancel();
		this.#pending = undefined;
	}
}
