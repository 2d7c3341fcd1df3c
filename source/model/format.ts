/** Pure text formatting shared by the panes: sizes, ages, LSNs, sparklines. No IO, no React. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes in binary units, three significant digits at most, so a lag column keeps one width. */
export function formatBytes(bytes: number | undefined): string {
	if (bytes === undefined || !Number.isFinite(bytes)) return '–';
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	if (unit === 0) return `${Math.round(value)} B`;
	return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

/** A duration in milliseconds, short: 0.3s, 12s, 4m05s, 2h10m, 3d04h. */
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) return '–';
	const safe = Math.max(0, ms);
	if (safe < 10_000) return `${(safe / 1000).toFixed(1)}s`;
	const seconds = Math.floor(safe / 1000);
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h${pad2(minutes % 60)}m`;
	return `${Math.floor(hours / 24)}d${pad2(hours % 24)}h`;
}

export function formatSeconds(seconds: number | undefined): string {
	return seconds === undefined ? '–' : formatDuration(seconds * 1000);
}

/** An LSN as PostgreSQL writes it (`0/3000060`); Patroni hands LSNs over as plain integers. */
export function formatLsn(lsn: number): string {
	if (!Number.isFinite(lsn) || lsn < 0) return '?';
	const high = Math.floor(lsn / 2 ** 32);
	const low = lsn % 2 ** 32;
	return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** Local wall-clock time, for the event log (events are stamped with Date.now()). */
export function formatClock(at: number): string {
	const date = new Date(at);
	return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** A Patroni timestamp shown as the server wrote it, minus fractions and zone, so tests don't depend on TZ. */
export function formatTimestamp(at: string | undefined): string {
	if (!at) return '–';
	const match = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)/.exec(at);
	return match ? `${match[1]} ${match[2]}` : at;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as block characters, scaled from 0 to the largest shown (lag has a natural zero, so
 * a flat line at the bottom means "no lag", not "steady lag"). Shorter than `width` when there are fewer values.
 */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0 || values.length === 0) return '';
	const shown = values.slice(-Math.floor(width)).map(value => (Number.isFinite(value) && value > 0 ? value : 0));
	const max = Math.max(...shown);
	if (max === 0) return SPARKS[0]!.repeat(shown.length);
	return shown.map(value => SPARKS[Math.min(SPARKS.length - 1, Math.round((value / max) * (SPARKS.length - 1)))]).join('');
}

/** Pads or cuts to exactly `width` characters (cut with an ellipsis), for table cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const chars = [...text];
	if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
	const padding = ' '.repeat(width - chars.length);
	return align === 'left' ? text + padding : padding + text;
}

/**
 * Free text from the outside (error messages, alert texts, tag values) on one line: PostgreSQL and etcd errors
 * carry newlines, and a newline inside a line would push the frame past its height.
 */
export function oneLine(text: string): string {
	return text.replace(/[\t\r\n]+/g, ' ').trim();
}

/**
 * Words laid into lines of at most `width` characters; a word longer than a line is cut across lines. Nothing
 * is dropped: a refusal's full text must stay readable however narrow the pane.
 */
export function wrapWords(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	let line: string[] = [];
	for (const word of oneLine(text).split(/ +/)) {
		let chars = [...word];
		const used = line.length === 0 ? 0 : line.length + 1;
		if (used + chars.length <= room) {
			if (line.length > 0) line.push(' ');
			line.push(...chars);
			continue;
		}
		if (line.length > 0) lines.push(line.join(''));
		while (chars.length > room) {
			lines.push(chars.slice(0, room).join(''));
			chars = chars.slice(room);
		}
		line = chars;
	}
	if (line.length > 0 || lines.length === 0) lines.push(line.join(''));
	return lines;
}

function pad2(value: number): string {
	return String(value).padStart(2, '0');
}
