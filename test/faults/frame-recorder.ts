/**
 * Watches a headless Ink app from outside: polls lastFrame() every ~10 ms and keeps each change with its time.
 * Only the timestamps are kept for the whole run (the soak runs for half an hour); frame texts for a minute.
 */
import {stripVTControlCharacters} from 'node:util';

export type FrameSource = {readonly lastFrame: () => string | undefined; readonly frames: string[]};

type Captured = {readonly at: number; readonly text: string};

const KEEP_TEXT_MS = 60_000;

export class FrameRecorder {
	/** performance.now() of every change seen. */
	readonly changes: number[] = [];
	#recent: Captured[] = [];
	#last: string | undefined;
	#timer: NodeJS.Timeout | undefined;

	constructor(readonly source: FrameSource, readonly onFrame: (text: string) => void = () => undefined, readonly pollMs = 10) {}

	start(): this {
		this.#timer = setInterval(() => this.poll(), this.pollMs);
		return this;
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Takes the current frame if it changed; waits call it too, so they never miss one between two ticks. */
	poll(): void {
		// ink-testing-library keeps every frame ever written: over a long soak that is the test's leak, not ours.
		this.source.frames.length = 0;
		const raw = this.source.lastFrame();
		if (raw === undefined || raw === this.#last) return;
		this.#last = raw;
		const at = performance.now();
		const text = stripVTControlCharacters(raw);
		this.changes.push(at);
		this.#recent.push({at, text});
		while (this.#recent.length > 1 && this.#recent[0]!.at < at - KEEP_TEXT_MS) this.#recent.shift();
		this.onFrame(text);
	}

	/** The latest frame as plain text. */
	frame(): string {
		return this.#recent.at(-1)?.text ?? '';
	}

	/** When a frame captured at or after `since` first satisfied `test`; rejects after `timeoutMs`. */
	async waitFor(what: string, test: (frame: string) => boolean, since: number, timeoutMs: number): Promise<number> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			this.poll();
			const hit = this.#recent.find(captured => captured.at >= since && test(captured.text));
			if (hit) return hit.at;
			if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the last frame:\n${this.frame()}`);
			await new Promise(resolve => setTimeout(resolve, this.pollMs));
		}
	}

	/** The first frame captured between `from` and `to` that satisfied `test` (for "never claimed healthy while..."). */
	find(test: (frame: string) => boolean, from: number, to = Number.POSITIVE_INFINITY): string | undefined {
		return this.#recent.find(captured => captured.at >= from && captured.at <= to && test(captured.text))?.text;
	}

	/** The longest time without a new frame between `from` and `to` (the ends count as frames). */
	longestGap(from: number, to = performance.now()): number {
		let previous = from;
		let longest = 0;
		for (const at of this.changes) {
			if (at < from) continue;
			if (at > to) break;
			longest = Math.max(longest, at - previous);
			previous = at;
		}
		return Math.max(longest, to - previous);
	}
}
