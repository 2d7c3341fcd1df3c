/**
 * A defect that reached the top of the CLI: one line on the terminal, the stack in a file next to the event log
 * (internal-errors.log), so the engineer sees what happened without a screenful of frames in the middle of an incident.
 */
import fs from 'node:fs';
import path from 'node:path';
import {visible} from './model/visible.js';

/** The message's first line, control characters shown escaped (an error can quote what the cluster sent). */
function oneLine(text: string): string {
	return visible(text.split('\n')[0]!.trim()) || 'no message';
}

export function internalErrorsFile(eventLogFile: string): string {
	return path.join(path.dirname(eventLogFile), 'internal-errors.log');
}

/** Writes the details and returns the line for stderr (without its newline). */
export function reportInternalError(error: unknown, eventLogFile: string, now: Date = new Date()): string {
	const message = oneLine(error instanceof Error ? error.message : String(error));
	const details = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
	const file = internalErrorsFile(eventLogFile);
	try {
		fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		fs.appendFileSync(file, `${now.toISOString()} internal error (node ${process.version})\n${details}\n\n`, {mode: 0o600});
		return `patroni-tui: internal error: ${message} (details in ${file})`;
	} catch (writeError) {
		const reason = (writeError as NodeJS.ErrnoException).code ?? (writeError as Error).message;
		return `patroni-tui: internal error: ${message} (its details could not be written to ${file}: ${reason})`;
	}
}

type StrayProcess = Pick<NodeJS.Process, 'on' | 'exit'> & {readonly stderr: {write(text: string): unknown}};

/**
 * A defect outside main()'s promise (a timer's or an event handler's throw, a rejection nobody awaited) would end
 * the process with Node's stack on the screen and the terminal left in raw mode: instead the terminal is given
 * back, the one line said and the stack written, as for one that reached main(), and the process ends with 1.
 */
export function catchStrayErrors(logFile: () => string, restoreTerminal: () => void, process_: StrayProcess = process): void {
	const onStray = (error: unknown) => {
		restoreTerminal();
		process_.stderr.write(reportInternalError(error, logFile()) + '\n');
		process_.exit(1);
	};
	process_.on('uncaughtException', onStray);
	process_.on('unhandledRejection', onStray);
}
