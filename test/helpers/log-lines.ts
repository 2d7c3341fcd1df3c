import fs from 'node:fs';

/**
 * The event log file's lines as written, without the empty string after the last newline: a count taken before
 * an action is then the index of the first line written after it (with that empty string counted, slicing from
 * the count skipped exactly the first new line: the refusal lab 37 waited for).
 */
export function logFileLines(file: string): string[] {
	if (!fs.existsSync(file)) return [];
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines;
}
