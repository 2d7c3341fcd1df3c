/**
 * etcd's v2 keys API (Patroni's `etcd:` section) over Node's own http/https: a recursive read and a long-poll
 * watch, each cancellable at any point, on keep-alive connections of its own.
 */
import http from 'node:http';
import https from 'node:https';
import {withDeadline} from '../async.js';
import {errorMessage} from '../errors.js';
import {nodeTlsOptions, VERIFY_FULLY, type TlsClientSettings} from './tls-files.js';
import {tlsContext, tlsFailureText, type TlsFailureContext} from './tls-failure.js';
import {withProbedReason} from './tls-probe.js';

/** A node of etcd's v2 keyspace as its HTTP API answers: a directory (with `nodes`) or a key (with `value`). */
export type Etcd2Node = {
	readonly key: string;
	readonly value?: string;
	readonly dir?: boolean;
	readonly nodes?: readonly Etcd2Node[];
	/** Seconds left at the moment etcd answered; only on keys written with a TTL (leader, members). */
	readonly ttl?: number;
	readonly expiration?: string;
	readonly modifiedIndex: number;
	readonly createdIndex: number;
};

/** One answer of a watch (`?wait=true`): what happened to which node. */
export type Etcd2Event = {readonly action: string; readonly node: Etcd2Node; readonly prevNode?: Etcd2Node};

/** etcd's v2 error body, e.g. {errorCode: 100, message: "Key not found"} or 401 "event index cleared". */
export type Etcd2Error = {readonly errorCode: number; readonly message: string; readonly cause?: string; readonly index?: number};

/** etcd's codes: no such key (the scope is not bootstrapped yet), and a watch index older than etcd's history. */
export const KEY_NOT_FOUND = 100;
export const EVENT_INDEX_CLEARED = 401;

export type Etcd2ClientOptions = {
	readonly endpoints: readonly string[];
	/** Deadline of a read. Default 2000. */
	readonly requestTimeoutMs?: number;
	readonly username?: string;
	readonly password?: string;
	/** For https endpoints: the CA to verify etcd with and the client certificate it may ask for. */
	readonly tls?: TlsClientSettings;
};

export type Etcd2Read = {readonly node: Etcd2Node | undefined; readonly index: number};

type Answer = {readonly status: number; readonly index: number | undefined; readonly body: string};
export type Etcd2WatchOutcome = Etcd2Event | 'idle' | 'cleared';

/** One GET; the signal cancels it at any point, the long poll's wait included. */
function get(url: URL, agent: http.Agent, headers: http.OutgoingHttpHeaders, signal: AbortSignal): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = (url.protocol === 'https:' ? https : http).get(url, {agent, headers, signal}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (body += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, index: Number(response.headers['x-etcd-index']) || undefined, body}));
			response.on('error', reject);
			response.on('close', () => {
				if (!response.complete) reject(new Error('etcd closed the connection mid-answer'));
			});
		});
		request.on('error', reject);
	});
}

function parse<T>(what: string, answer: Answer): T {
	try {
		return JSON.parse(answer.body) as T;
	} catch {
		throw new Error(`etcd v2 ${what}: HTTP ${answer.status}, not JSON: ${answer.body.slice(0, 80)}`);
	}
}

/** A failure named by the call, its TLS or authentication reason in words; Node's own text stays as the cause. */
const named = (what: string, context: TlsFailureContext) => (error: unknown): never => {
	throw new Error(`etcd v2 ${what}: ${tlsFailureText(error, context) ?? errorMessage(error)}`, {cause: error});
};

const failure = (what: string, body: Etcd2Error, context: TlsFailureContext) =>
	new Error(`etcd v2 ${what}: ${tlsFailureText(body, context) ?? `${body.message}${body.cause ? ` (${body.cause})` : ''}`}`);

/** etcd's v2 keys API for one prefix (a key path below /v2/keys), on keep-alive connections of its own, closed (in-flight polls too) by close(). */
export function etcd2Client(options: Etcd2ClientOptions, prefix: string) {
	const agents = {http: new http.Agent({keepAlive: true}), https: new https.Agent({keepAlive: true, ...nodeTlsOptions(options.tls ?? VERIFY_FULLY)})};
	const path = `/v2/keys${prefix.split('/').map(encodeURIComponent).join('/')}`;
	const headers = options.username ? {authorization: `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`} : {};
	const timeoutMs = options.requestTimeoutMs ?? 2000;
	let current = 0;
	const context = tlsContext('etcd', options.endpoints.some(endpoint => endpoint.startsWith('https:')) ? 'https' : 'http', options.tls, options.username);

	async function call(query: string, signal: AbortSignal): Promise<Answer> {
		const url = new URL(path + query, options.endpoints[current % options.endpoints.length]);
		try {
			return await get(url, url.protocol === 'https:' ? agents.https : agents.http, headers, signal);
		} catch (error) {
			current++; // the next attempt asks the next endpoint
			throw await withProbedReason(error, url, options.tls, signal);
		}
	}

	return {
		/** Everything below the prefix (undefined when nothing is there yet) and the etcd index it was read at. */
		async read(signal: AbortSignal): Promise<Etcd2Read> {
			const answer = await withDeadline(timeoutMs, signal, callSignal => call('?recursive=true', callSignal)).catch(named('read', context));
			const body = parse<{node?: Etcd2Node} & Partial<Etcd2Error>>('read', answer);
			const index = answer.index ?? body.index ?? body.node?.modifiedIndex ?? 0;
			if (answer.status === 200) return {node: body.node, index};
			// No key yet under the prefix: an empty scope, as a v3 range over an empty prefix would be.
			if (body.errorCode === KEY_NOT_FOUND) return {node: undefined, index};
			throw failure('read', body as Etcd2Error, context);
		},
		/** Waits for the first change at `fromIndex` or later: 'idle' after `waitMs`, 'cleared' when etcd forgot that index. */
		async watch(fromIndex: number, waitMs: number, signal: AbortSignal): Promise<Etcd2WatchOutcome> {
			const controller = new AbortController();
			const onAbort = () => controller.abort();
			signal.addEventListener('abort', onAbort, {once: true});
			const timer = setTimeout(onAbort, waitMs);
			let answer: Answer;
			try {
				answer = await call(`?wait=true&recursive=true&waitIndex=${fromIndex}`, controller.signal);
			} catch (error) {
				if (controller.signal.aborted && !signal.aborted) return 'idle';
				return named('watch', context)(error);
			} finally {
				clearTimeout(timer);
				signal.removeEventListener('abort', onAbort);
			}
			// etcd may end a long poll without an event (its own shutdown, a watcher it dropped): just ask again.
			if (answer.status === 200 && answer.body.trim() === '') return 'idle';
			const body = parse<Etcd2Event & Partial<Etcd2Error>>('watch', answer);
			if (answer.status === 200 && body.node) return body;
			if (body.errorCode === EVENT_INDEX_CLEARED) return 'cleared';
			throw failure('watch', body as Etcd2Error, context);
		},
		close() {
			agents.http.destroy();
			agents.https.destroy();
		},
	};
}
