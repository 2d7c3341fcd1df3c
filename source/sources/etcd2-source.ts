import http from 'node:http';
import https from 'node:https';
import type {DcsView} from '../model/views.js';
import {withDeadline} from '../async.js';
import {applyEtcd2Event, dcsViewFromEtcd2, EVENT_INDEX_CLEARED, KEY_NOT_FOUND, sameEtcd2Content, stateFromRead} from './etcd2-view.js';
import type {Etcd2Error, Etcd2Event, Etcd2Node, Etcd2State} from './etcd2-view.js';
import {scopePrefix} from './etcd3-view.js';
import type {Etcd3SourceOptions} from './etcd3-source.js';
import {followDcs} from './dcs-follow.js';
import {type Source} from './source.js';
import {errorMessage} from '../errors.js';

/** The same options as the v3 source: endpoints, namespace, scope, deadlines, heartbeat, credentials. */
export type Etcd2SourceOptions = Etcd3SourceOptions;


type Answer = {readonly status: number; readonly index: number | undefined; readonly body: string};
type WatchOutcome = Etcd2Event | 'idle' | 'cleared';

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

const named = (what: string) => (error: unknown): never => {
	throw new Error(`etcd v2 ${what}: ${errorMessage(error)}`);
};

const failure = (what: string, body: Etcd2Error) => new Error(`etcd v2 ${what}: ${body.message}${body.cause ? ` (${body.cause})` : ''}`);

/** etcd's v2 keys API for one prefix, on keep-alive connections of its own, closed (in-flight polls too) by close(). */
function etcd2Client(options: Etcd2SourceOptions, prefix: string) {
	const agents = {http: new http.Agent({keepAlive: true}), https: new https.Agent({keepAlive: true})};
	const path = `/v2/keys${prefix.split('/').map(encodeURIComponent).join('/')}`;
	const headers = options.username ? {authorization: `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`} : {};
	const timeoutMs = options.requestTimeoutMs ?? 2000;
	let current = 0;

	async function call(query: string, signal: AbortSignal): Promise<Answer> {
		const url = new URL(path + query, options.endpoints[current % options.endpoints.length]);
		try {
			return await get(url, url.protocol === 'https:' ? agents.https : agents.http, headers, signal);
		} catch (error) {
			current++; // the next attempt asks the next endpoint
			throw error;
		}
	}

	return {
		async read(signal: AbortSignal): Promise<Etcd2State> {
			const answer = await withDeadline(timeoutMs, signal, callSignal => call('?recursive=true', callSignal)).catch(named('read'));
			const body = parse<{node?: Etcd2Node} & Partial<Etcd2Error>>('read', answer);
			const index = answer.index ?? body.index ?? body.node?.modifiedIndex ?? 0;
			if (answer.status === 200) return stateFromRead(body.node, index);
			// No key yet under the prefix: an empty scope, as a v3 range over an empty prefix would be.
			if (body.errorCode === KEY_NOT_FOUND) return stateFromRead(undefined, index);
			throw failure('read', body as Etcd2Error);
		},
		/** Waits for the first change at `fromIndex` or later: 'idle' after `waitMs`, 'cleared' when etcd forgot that index. */
		async watch(fromIndex: number, waitMs: number, signal: AbortSignal): Promise<WatchOutcome> {
			const controller = new AbortController();
			const onAbort = () => controller.abort();
			signal.addEventListener('abort', onAbort, {once: true});
			const timer = setTimeout(onAbort, waitMs);
			let answer: Answer;
			try {
				answer = await call(`?wait=true&recursive=true&waitIndex=${fromIndex}`, controller.signal);
			} catch (error) {
				if (controller.signal.aborted && !signal.aborted) return 'idle';
				return named('watch')(error);
			} finally {
				clearTimeout(timer);
				signal.removeEventListener('abort', onAbort);
			}
			// etcd may end a long poll without an event (its own shutdown, a watcher it dropped): just ask again.
			if (answer.status === 200 && answer.body.trim() === '') return 'idle';
			const body = parse<Etcd2Event & Partial<Etcd2Error>>('watch', answer);
			if (answer.status === 200 && body.node) return body;
			if (body.errorCode === EVENT_INDEX_CLEARED) return 'cleared';
			throw failure('watch', body as Etcd2Error);
		},
		close() {
			agents.http.destroy();
			agents.https.destroy();
		},
	};
}

/**
 * Patroni's keys for one scope in etcd's v2 keyspace (Patroni's `etcd:` section): read, then watched with long
 * polls from the next index, so a change (a new leader) is yielded within milliseconds of the write. Every
 * heartbeat the poll is dropped and everything read again, which proves etcd still answers (a paused etcd keeps
 * its connections open, so a long poll alone would just wait). Yields on change and after every heartbeat read;
 * an unreachable etcd is yielded as an error (never thrown), and the source recovers by itself.
 */
export function etcd2Source(options: Etcd2SourceOptions): Source<DcsView> {
	const heartbeatMs = options.heartbeatMs ?? 5000;
	const prefix = scopePrefix(options.namespace, options.scope);
	return async function* etcd2(signal) {
		const client = etcd2Client(options, prefix);
		let state: Etcd2State | undefined;
		let readAt = 0;

		/** One step: a full read when due (true), a watched event (false), or nothing new yet (undefined). */
		async function advance(): Promise<boolean | undefined> {
			const waitMs = readAt + heartbeatMs - Date.now();
			if (state !== undefined && waitMs > 0) {
				const outcome = await client.watch(state.index + 1, waitMs, signal);
				if (outcome === 'idle') return undefined;
				if (outcome !== 'cleared') {
					state = applyEtcd2Event(state, outcome);
					return false;
				}
			}
			// First read, heartbeat, or etcd's 1000-event history no longer reaches back to our index.
			state = await client.read(signal);
			readAt = Date.now();
			return true;
		}

		try {
			yield* followDcs(signal, {
				async step() {
					const isFullRead = await advance();
					return isFullRead === undefined ? undefined : {view: dcsViewFromEtcd2(prefix, state!), isFullRead};
				},
				reset() {
					state = undefined;
				},
				isSame: sameEtcd2Content,
				heartbeatMs,
			});
		} finally {
			// Destroying the agents cancels a long poll still waiting, so nothing keeps the process alive.
			client.close();
		}
	};
}
