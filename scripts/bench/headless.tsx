/**
 * The real App as a user sees it, minus the terminal: Ink renders into a stdout that records every frame with the
 * time it was written, and reads keys from a stdin we type into. Ink's own throttle stays on, set as the CLI sets
 * it (INK_RENDER_OPTIONS), so what a frame's timestamp says is what a terminal would have shown then.
 */
import {EventEmitter} from 'node:events';
import {render, type Instance} from 'ink';
import type {ReactElement} from 'react';
import {INK_RENDER_OPTIONS} from '../../source/run-monitor.js';
import {epochNow} from './bench-lab.js';

/** `at`: wall-clock ms (see epochNow), comparable with the other processes' stamps. */
export type Frame = {readonly at: number; readonly text: string};

// CSI (colours, cursor moves, erase) and OSC sequences: what is left is the text on screen.
const ESCAPES = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/g;

export function plainText(output: string): string {
	return output.replace(ESCAPES, '');
}

class FakeStdout extends EventEmitter {
	readonly isTTY = true;
	readonly frames: Frame[] = [];
	readonly #onFrame = new Set<(frame: Frame) => void>();

	constructor(readonly columns: number, readonly rows: number, readonly keepsOnlyLastFrame = false) {
		super();
	}

	write = (data: string): boolean => {
		const at = epochNow();
		const text = plainText(data);
		// Cursor hiding and synchronized-update markers come as writes of their own: not frames.
		if (text.trim() === '') return true;
		const frame = {at, text};
		if (this.keepsOnlyLastFrame) this.frames.length = 0;
		this.frames.push(frame);
		for (const listener of this.#onFrame) listener(frame);
		return true;
	};

	onFrame(listener: (frame: Frame) => void): () => void {
		this.#onFrame.add(listener);
		return () => this.#onFrame.delete(listener);
	}
}

/** What Ink needs of stdin (as ink-testing-library fakes it): raw mode, and chunks handed over on 'readable'. */
class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	#chunks: string[] = [];
	write(data: string): void {
		this.#chunks.push(data);
		this.emit('readable');
	}

	read = (): string | null => this.#chunks.shift() ?? null;
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export type Headless = {
	readonly frames: readonly Frame[];
	lastFrame(): Frame | undefined;
	/** Types into the app; resolves with the time the key was handed to Ink. */
	press(key: string): number;
	/** The first frame written after `since` that satisfies `holds` (frames already written count too). */
	waitForFrame(holds: (text: string) => boolean, options?: {since?: number; timeoutMs?: number}): Promise<Frame>;
	onFrame(listener: (frame: Frame) => void): () => void;
	unmount(): void;
	readonly instance: Instance;
};

export type HeadlessOptions = {
	readonly columns: number;
	readonly rows: number;
	/** Ink's debug mode: unthrottled, each render written whole and at once (for timing a frame's cost). */
	readonly isDebug?: boolean;
	readonly onRender?: (metrics: {renderTime: number}) => void;
	/** Keep only the last frame, not all: a memory measurement must not count the frames this harness keeps. */
	readonly keepsOnlyLastFrame?: boolean;
};

export function renderHeadless(element: ReactElement, options: HeadlessOptions): Headless {
	const stdout = new FakeStdout(options.columns, options.rows, options.keepsOnlyLastFrame);
	const stdin = new FakeStdin();
	const instance = render(element, {
		...INK_RENDER_OPTIONS,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout(options.columns, options.rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: options.isDebug ?? false,
		exitOnCtrlC: false,
		patchConsole: false,
		...(options.onRender ? {onRender: options.onRender} : {}),
	});
	return {
		frames: stdout.frames,
		lastFrame: () => stdout.frames.at(-1),
		press(key) {
			const at = epochNow();
			stdin.write(key);
			return at;
		},
		waitForFrame(holds, {since = -Infinity, timeoutMs = 10_000} = {}) {
			const found = stdout.frames.find(frame => frame.at >= since && holds(frame.text));
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					stop();
					reject(new Error(`no such frame within ${timeoutMs} ms; last one:\n${stdout.frames.at(-1)?.text ?? '(none)'}`));
				}, timeoutMs);
				const stop = stdout.onFrame(frame => {
					if (frame.at < since || !holds(frame.text)) return;
					clearTimeout(timer);
					stop();
					resolve(frame);
				});
			});
		},
		onFrame: listener => stdout.onFrame(listener),
		unmount: () => instance.unmount(),
		instance,
	};
}
