import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError} from './config-error.js';
import type {LogEvent} from './model/events.js';
import {visible} from './model/visible.js';

/** The event log is rotated when an append would take it past this (--log-max-bytes). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** The least --log-max-bytes: a smaller file would hold a few events (the flag's check and this one share it). */
export const LOG_MAX_BYTES_MIN = 4096;
/** Rotated files kept beside it: events.log.1 (the newest) … events.log.3. */
export const LOG_FILES_KEPT = 3;

export function defaultEventLogPath(env: NodeJS.ProcessEnv = process.env): string {
	const stateHome = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
	return path.join(stateHome, 'patroni-tui', 'events.log');
}

/**
 * One line of the log: time, severity, the cluster's scope in brackets (one file takes the events of every monitor
 * the user runs, so each line says whose it is), the text. The cluster's text and scope are escaped here, the
 * log's half of the boundary (model/visible.ts).
 */
export function formatLogEvent(event: LogEvent, scope: string): string {
	return `${new Date(event.at).toISOString()} ${event.severity.padEnd(8)} [${visible(scope)}] ${visible(event.text)}`;
}

/** --log-max-bytes, checked: a whole number of bytes, at least 4 KiB (a smaller file would hold a few events). */
export function logMaxBytes(value: number | undefined): number {
	if (value === undefined) return DEFAULT_LOG_MAX_BYTES;
	if (!Number.isSafeInteger(value) || value < LOG_MAX_BYTES_MIN) throw new ConfigError(`--log-max-bytes must be a whole number of bytes, at least ${LOG_MAX_BYTES_MIN}, not ${value}.`);
	return value;
}

/** `scope`: the cluster whose events these are, on every line. */
export type EventLogOptions = {readonly scope: string; readonly maxBytes?: number; readonly keep?: number};

function sizeOf(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/**
 * `file.1` becomes `file.2` … up to `file.<keep>` (the oldest is written over), and `file` becomes `file.1`.
 * Only those names are touched: nothing else in the directory is removed, not even a `file.<keep + 1>`.
 */
export function rotateLog(file: string, keep = LOG_FILES_KEPT): void {
	for (let index = keep - 1; index >= 1; index--) {
		if (fs.existsSync(`${file}.${index}`)) fs.renameSync(`${file}.${index}`, `${file}.${index + 1}`);
	}
	if (keep >= 1) fs.renameSync(file, `${file}.1`);
	else fs.truncateSync(file, 0);
}

/**
 * Appends events to a file, one line each. Writes are synchronous and small (a few lines on a change), so
 * nothing is lost when the monitor exits; a file that cannot be written is reported once, not thrown. The size
 * is read from the file before each write (another monitor may append to it too), and a write that would take
 * it past `maxBytes` rotates it first: the log's disk use stays under (keep + 1) × maxBytes.
 */
export function eventLogAppender(file: string, onError: (message: string) => void, options: EventLogOptions): (events: readonly LogEvent[]) => void {
	const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
	const keep = options.keep ?? LOG_FILES_KEPT;
	let hasFailed = false;
	return events => {
		try {
			const text = events.map(event => formatLogEvent(event, options.scope) + '\n').join('');
			fs.mkdirSync(path.dirname(file), {recursive: true});
			const size = sizeOf(file);
			if (size > 0 && size + Buffer.byteLength(text) > maxBytes) rotateLog(file, keep);
			fs.appendFileSync(file, text, {mode: 0o600});
		} catch (error) {
			if (!hasFailed) onError(`event log ${file}: ${(error as Error).message}`);
			hasFailed = true;
		}
	};
}
