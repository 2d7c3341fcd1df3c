/**
 * How the live monitor ends, whatever ends it: q or Ctrl-C (Ink's exit), or SIGTERM, SIGHUP (an SSH drop) and
 * SIGINT from outside. Each way ends the same: Ink unmounted, the terminal given back as it was, what was in flight
 * cancelled within a budget and said in the log and on the terminal, then the process gone within 2 s.
 */
import os from 'node:os';
import {visible} from './model/visible.js';

export const QUIT_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
export type QuitSignal = (typeof QUIT_SIGNALS)[number];

/** The shell's convention: 128 + the signal's number (SIGHUP 129, SIGINT 130, SIGTERM 143). */
export function exitCodeFor(signal: QuitSignal): number {
	return 128 + os.constants.signals[signal];
}

/**
 * The first of the quit signals, as a promise; the handlers replace Node's default for them (which ends the
 * process at once, terminal left in raw mode, nothing logged). A second signal while the first is being handled
 * ends the process at once with its code: someone who presses Ctrl-C twice means it.
 */
export function quitSignals(process_: NodeJS.Process = process): {readonly signal: Promise<QuitSignal>; dispose(): void} {
	let received: QuitSignal | undefined;
	let resolve: (signal: QuitSignal) => void = () => undefined;
	const signal = new Promise<QuitSignal>(settle => (resolve = settle));
	const handlers = QUIT_SIGNALS.map(name => {
		const handler = () => {
			if (received) process_.exit(exitCodeFor(name));
			received = name;
			resolve(name);
		};
		process_.on(name, handler);
		return [name, handler] as const;
	});
	return {
		signal,
		dispose() {
			for (const [name, handler] of handlers) process_.off(name, handler);
		},
	};
}

type Tty = {readonly isTTY?: boolean; write?: (text: string) => boolean; on?: (event: 'error', listener: () => void) => unknown};
type TtyIn = Tty & {readonly isRaw?: boolean; setRawMode?: (isRaw: boolean) => unknown; pause?: () => unknown};

/**
 * The ANSI that gives the terminal back: the cursor shown. The monitor never enters the alternate screen (Ink
 * draws inline), and leaving one that was never entered restores a saved cursor position in tmux: not sent.
 */
export const RESTORE_SEQUENCE = '\u001B[?25h';

/**
 * After Ink's unmount (which shows the cursor and leaves raw mode when it can), once more by hand: raw mode off,
 * stdin paused, the cursor shown. On a dropped SSH session every write fails: errors are absorbed,
 * never thrown.
 */
export function restoreTerminal(stdin: TtyIn = process.stdin, stdout: Tty = process.stdout): void {
	for (const stream of [stdin, stdout]) stream.on?.('error', () => undefined);
	try {
		if (stdin.isTTY && stdin.isRaw) stdin.setRawMode?.(false);
		stdin.pause?.();
	} catch {
		// A terminal that is gone has no mode to restore.
	}
	try {
		if (stdout.isTTY) stdout.write?.(RESTORE_SEQUENCE);
	} catch {
		// As above.
	}
}

/** A line on stderr that may have no terminal behind it any more (SIGHUP). */
export function say(text: string, stderr: Tty = process.stderr): void {
	try {
		stderr.on?.('error', () => undefined);
		// It names members and steps, the cluster's text: escaped, as on the screen (model/visible.ts).
		stderr.write?.(`patroni-tui: ${visible(text)}\n`);
	} catch {
		// Nobody is there to read it; the event log has it.
	}
}

/**
 * The backstop: everything was asked to stop and given its budget; a socket or timer some library still holds
 * must not keep the process alive. Unref'd, so a process that ends by itself is not held up either.
 */
export function exitSoon(ms: number, code?: number): void {
	setTimeout(() => process.exit(code ?? (typeof process.exitCode === 'number' ? process.exitCode : 0)), ms).unref();
}
