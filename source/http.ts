/**
 * The one HTTP client: Patroni's REST API and HAProxy's stats page, both on loopback, both plain HTTP/1.0 servers
 * that close the connection after each answer. node:http does all that is needed; every status is an answer for
 * the caller to judge (Patroni puts its reasons in 412s and 503s), and every request has a deadline.
 */
import http from 'node:http';

export type HttpRequest = {
	readonly url: string;
	readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Sent as JSON. */
	readonly body?: unknown;
	/** Basic auth; never put into an error message. */
	readonly credentials?: {readonly username: string; readonly password: string} | undefined;
	/** From the request's start to the end of the answer. */
	readonly timeoutMs: number;
	readonly signal?: AbortSignal | undefined;
};

export type HttpAnswer = {readonly status: number; readonly statusText: string; readonly text: string};

/** Patroni's answers are far smaller; anything bigger is not one of them. */
const MAX_ANSWER_BYTES = 16 << 20;

export function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
	const {url, method = 'GET', credentials, timeoutMs, signal} = request;
	const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('aborted'));
		const headers: http.OutgoingHttpHeaders = {accept: 'application/json, text/plain, */*'};
		if (body) Object.assign(headers, {'content-type': 'application/json', 'content-length': body.length});
		if (credentials) headers['authorization'] = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
		const outgoing = http.request(url, {method, headers, agent: false}, incoming => {
			const chunks: Buffer[] = [];
			let size = 0;
			incoming.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > MAX_ANSWER_BYTES) fail(new Error(`${method} ${url}: answer larger than ${MAX_ANSWER_BYTES} bytes`));
				else chunks.push(chunk);
			});
			incoming.on('end', () => {
				finish();
				resolve({status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8')});
			});
			incoming.on('error', fail);
		});
		const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
		const onAbort = () => fail(new Error('aborted'));
		signal?.addEventListener('abort', onAbort, {once: true});
		outgoing.on('error', fail);
		outgoing.end(body);
		function finish() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
		function fail(error: Error) {
			finish();
			outgoing.destroy();
			reject(error);
		}
	});
}

/** The body as JSON when it is JSON, else as the text it is (Patroni answers some requests in plain text). */
export function jsonOrText(text: string): unknown {
	const trimmed = text.trim();
	if (!/^[[{"]/.test(trimmed)) return text;
	try {
		return JSON.parse(trimmed) as unknown;
	} catch {
		return text;
	}
}
