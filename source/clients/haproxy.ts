import net from 'node:net';
import {httpRequest} from './http.js';
import type {TlsClientSettings} from './tls-files.js';
import type {HaproxyServer} from '../model/views.js';

export type RequestOptions = {readonly timeoutMs: number; readonly signal?: AbortSignal};

/** GET of the stats page's CSV export (`.../;csv`); `tls` for a page served on https. */
export async function fetchStatsCsv(url: string, {timeoutMs, signal, tls}: RequestOptions & {readonly tls?: TlsClientSettings | undefined}): Promise<string> {
	const answer = await httpRequest({url, timeoutMs, signal, tls});
	if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
	return answer.text;
}

/**
 * One command on HAProxy's admin socket. Outside `prompt` mode HAProxy answers one command per connection and
 * then closes it, so the answer is everything read until the close. (We do not half-close first: HAProxy may
 * take a client's shutdown as "gone" and drop a long answer.)
 */
export function socketCommand(socketPath: string, command: string, {timeoutMs, signal}: RequestOptions): Promise<string> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('aborted'));
		const chunks: Buffer[] = [];
		const socket = net.createConnection(socketPath);
		const timer = setTimeout(() => fail(new Error(`${socketPath}: no answer to "${command}" within ${timeoutMs} ms`)), timeoutMs);
		const onAbort = () => fail(new Error('aborted'));
		signal?.addEventListener('abort', onAbort, {once: true});
		function finish() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
		function fail(error: Error) {
			finish();
			socket.destroy();
			reject(error);
		}
		socket.on('connect', () => socket.write(`${command}\n`));
		socket.on('data', chunk => chunks.push(chunk));
		socket.on('error', fail);
		socket.on('end', () => {
			finish();
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
	});
}

/** The server rows of `show stat` / the `;csv` page; the FRONTEND and BACKEND summary rows are left out. */
/**
 * `now` turns HAProxy's "seconds since the last change" (which grows every second) into a fixed time, so an
 * unchanged server reads the same on every poll and the source yields only real changes.
 */
export function parseStatsCsv(text: string, now = Date.now()): HaproxyServer[] {
	const nowSeconds = Math.floor(now / 1000);
	const lines = text.split('\n').filter(line => line.trim() !== '');
	const headerLine = lines.find(line => line.startsWith('#'));
	if (!headerLine) throw new Error('not HAProxy stats CSV: no "# pxname,svname,..." header');
	const header = splitCsvLine(headerLine.replace(/^#\s*/, ''));
	const servers: HaproxyServer[] = [];
	for (const line of lines) {
		if (line.startsWith('#')) continue;
		const values = splitCsvLine(line);
		const field = (name: string) => values[header.indexOf(name)] ?? '';
		const server = field('svname');
		if (server === 'FRONTEND' || server === 'BACKEND') continue;
		servers.push({
			proxy: field('pxname'),
			server,
			status: field('status'),
			checkStatus: field('check_status'),
			checkCode: field('check_code'),
			checkDurationMs: numberOrNull(field('check_duration')),
			currentSessions: numberOrNull(field('scur')) ?? 0,
			totalSessions: numberOrNull(field('stot')) ?? 0,
			lastChangeAt: changedAt(numberOrNull(field('lastchg')), nowSeconds),
			// Only admin-level readers (the socket, or `stats show-legends`) get the address; HTTP leaves it empty.
			address: field('addr'),
		});
	}
	return servers;
}

function changedAt(secondsAgo: number | null, nowSeconds: number): number | null {
	return secondsAgo === null ? null : (nowSeconds - secondsAgo) * 1000;
}

function numberOrNull(value: string): number | null {
	return value === '' || Number.isNaN(Number(value)) ? null : Number(value);
}

/** HAProxy quotes a field only when it holds a comma or a quote (as in a check description). */
function splitCsvLine(line: string): string[] {
	const fields: string[] = [];
	let current = '';
	let isQuoted = false;
	for (let index = 0; index < line.length; index++) {
		const char = line[index]!;
		if (isQuoted && char === '"' && line[index + 1] === '"') {
			current += '"';
			index++;
		} else if (char === '"') {
			isQuoted = !isQuoted;
		} else if (char === ',' && !isQuoted) {
			fields.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	fields.push(current);
	return fields;
}

export type ServerState = 'ready' | 'drain' | 'maint';

/**
 * `set server <proxy>/<server> state <state>` on the admin socket. Returns HAProxy's answer trimmed: empty means
 * done, anything else is HAProxy refusing (e.g. "No such server."). Names are checked first, since a space or a
 * newline would smuggle a second command or argument onto the socket.
 */
export async function setServerState(
	socketPath: string,
	proxy: string,
	server: string,
	state: ServerState,
	options: RequestOptions = {timeoutMs: 2000},
): Promise<string> {
	for (const [what, name] of [['proxy', proxy], ['server', server]] as const) {
		if (!/^[^\s/;#]+$/.test(name)) throw new Error(`invalid HAProxy ${what} name: ${JSON.stringify(name)}`);
	}
	if (!['ready', 'drain', 'maint'].includes(state)) throw new Error(`invalid server state: ${JSON.stringify(state)}`);
	const answer = await socketCommand(socketPath, `set server ${proxy}/${server} state ${state}`, options);
	return answer.trim();
}
