/**
 * A defect that reached the top of the CLI: one line on the terminal, the stack in a file next to the event log
 * (internal-errors.log), so the engineer sees what happened without a screenful of frames in the middle of an incident.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The message's first line, control characters shown escaped (an error can quote what the cluster sent). */
function oneLine(text: string): string {
	const first = text.split('\n')[0]!.trim();
	return first.replace(/[\u0000-\u001f\u007f-\u009f]/g, char => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`) || 'no message';
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
