import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {LogEvent} from './model/events.js';

export function defaultEventLogPath(env: NodeJS.ProcessEnv = process.env): string {
	const stateHome = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
	return path.join(stateHome, 'patroni-tui', 'events.log');
}

export function formatLogEvent(event: LogEvent): string {
	return `${new Date(event.at).toISOString()} ${event.severity.padEnd(8)} ${event.text}`;
}

/**
 * Appends events to a file, one line each. Writes are synchronous and small (a few lines on a change), so
 * nothing is lost when the monitor exits; a file that cannot be written is reported once, not thrown.
 */
export function eventLogAppender(file: string, onError: (message: string) => void): (events: readonly LogEvent[]) => void {
	let hasFailed = false;
	return events => {
		try {
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.appendFileSync(file, events.map(event => formatLogEvent(event) + '\n').join(''), {mode: 0o600});
		} catch (error) {
			if (!hasFailed) onError(`event log ${file}: ${(error as Error).message}`);
			hasFailed = true;
		}
	};
}
