/**
 * The one client of a member's Patroni REST API, for the sources' reads and the operations' requests alike.
 * One convention: whatever Patroni answers, with any status, is a value (412 and 503 carry Patroni's own
 * reasons); only a request that got no answer throws, with an error that names the endpoint.
 */
import {errorMessage} from '../errors.js';
import {httpRequest, jsonOrText} from './http.js';
import type {TlsClientSettings} from './tls-files.js';
import type {PatroniCluster, PatroniHistoryLine, PatroniStatus} from './patroni-types.js';

export type RestCredentials = {readonly username: string; readonly password: string};

/** "http://h:8008/patroni" and "http://h:8008/" both become "http://h:8008": one key per member. */
export function restBaseUrl(url: string): string {
	return url.replace(/\/+$/, '').replace(/\/patroni$/, '');
}

/** One endpoint of a member's REST API, from its base URL or its api_url ("…/patroni"): `path` starts with "/". */
export function restUrl(baseUrl: string, path: string): string {
	return `${restBaseUrl(baseUrl)}${path}`;
}

/** What Patroni answered: the status and its own words, untouched (or HTTP's reason when it sent an error page). */
export type PatroniAnswer = {readonly status: number; readonly text: string; readonly body: unknown};

export type SwitchoverRequest = {readonly leader: string; readonly candidate?: string; readonly scheduled_at?: string};
export type FailoverRequest = {readonly candidate: string; readonly leader?: string};
export type RestartRequest = {readonly schedule?: string; readonly restart_pending?: boolean};
export type RequestOptions = {readonly body?: unknown; readonly timeoutMs?: number; readonly signal?: AbortSignal | undefined};
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A member's API: an interface so tests can stand in a recorder that proves nothing was sent. */
export type PatroniApi = {
	readonly baseUrl: string;
	request(method: Method, path: string, options?: RequestOptions): Promise<PatroniAnswer>;
	cluster(signal?: AbortSignal): Promise<PatroniCluster>;
	status(signal?: AbortSignal): Promise<PatroniStatus>;
	history(signal?: AbortSignal): Promise<PatroniHistoryLine[]>;
	config(signal?: AbortSignal): Promise<Record<string, unknown>>;
	switchover(request: SwitchoverRequest, signal?: AbortSignal): Promise<PatroniAnswer>;
	cancelSwitchover(signal?: AbortSignal): Promise<PatroniAnswer>;
	failover(request: FailoverRequest, signal?: AbortSignal): Promise<PatroniAnswer>;
	restart(request?: RestartRequest, signal?: AbortSignal, timeoutMs?: number): Promise<PatroniAnswer>;
	cancelRestart(signal?: AbortSignal): Promise<PatroniAnswer>;
	reload(signal?: AbortSignal): Promise<PatroniAnswer>;
	reinitialize(request?: {readonly force?: boolean}, signal?: AbortSignal): Promise<PatroniAnswer>;
	/** A JSON merge patch of the DCS config key: `null` removes a key. Patroni answers with the whole new config. */
	patchConfig(patch: Record<string, unknown>, signal?: AbortSignal): Promise<PatroniAnswer>;
};

export type PatroniClientOptions = {
	/** Reads give up after this (default 2 s): a frozen member must not freeze us. */
	readonly timeoutMs?: number;
	readonly credentials?: RestCredentials | undefined;
	/** For https members: the CA, the client certificate (Patroni's verify_client), ctl.insecure. */
	readonly tls?: TlsClientSettings | undefined;
};

/**
 * Patroni blocks on POST /switchover and /failover while it polls for the new leader (up to ~20 s), and on
 * POST /restart until PostgreSQL is back: those get long timeouts; everything else answers at once.
 */
const LONG_MS = 60_000;
const SHORT_MS = 10_000;

/**
 * Patroni 3.0.2 (patroni/api.py) checks `restapi.authentication` only in its `@check_access` handlers: PATCH and
 * PUT /config, POST /reload, /failsafe, /sigterm, /restart, /reinitialize, /failover, /switchover (through
 * do_POST_failover), /citus, DELETE /restart and /switchover. No GET (nor HEAD, OPTIONS) asks for it, and no
 * setting makes one ask: the password never goes with a poll to whatever api_url the DCS names.
 */
export function needsCredentials(method: Method): boolean {
	return method !== 'GET';
}

/** Basic auth rides on the unsafe requests only; the credentials are held here and never put into a message. */
export class PatroniClient implements PatroniApi {
	readonly baseUrl: string;
	readonly #timeoutMs: number;
	readonly #credentials: RestCredentials | undefined;
	readonly #tls: TlsClientSettings | undefined;

	constructor(baseUrl: string, options: PatroniClientOptions = {}) {
		this.baseUrl = restBaseUrl(baseUrl);
		this.#timeoutMs = options.timeoutMs ?? 2000;
		this.#credentials = options.credentials;
		this.#tls = options.tls;
	}

	async request(method: Method, path: string, options: RequestOptions = {}): Promise<PatroniAnswer> {
		const {body, timeoutMs = this.#timeoutMs, signal} = options;
		let answer;
		try {
			const credentials = needsCredentials(method) ? this.#credentials : undefined;
			answer = await httpRequest({url: restUrl(this.baseUrl, path), method, body, timeoutMs, signal, credentials, tls: this.#tls});
		} catch (error) {
			throw new PatroniUnreachable(`${method} ${this.baseUrl}${path}: ${errorMessage(error)}`);
		}
		return answerOf(answer.status, answer.statusText, answer.text);
	}

	/** A read's body; an answer that carries no data (a 4xx, an error page) throws with Patroni's words. */
	async #read<T>(path: string, signal?: AbortSignal): Promise<T> {
		const answer = await this.request('GET', path, {signal});
		// Patroni answers 503 with a full body (a replica's GET /patroni, for one): that is data, not an error.
		const isStatusBody = answer.status === 503 && typeof answer.body === 'object' && answer.body !== null;
		if (answer.status >= 400 && !isStatusBody) throw new PatroniRefusal(`GET ${path} on ${this.baseUrl}`, answer);
		return answer.body as T;
	}

	cluster(signal?: AbortSignal) {
		return this.#read<PatroniCluster>('/cluster', signal);
	}

	status(signal?: AbortSignal) {
		return this.#read<PatroniStatus>('/patroni', signal);
	}

	history(signal?: AbortSignal) {
		return this.#read<PatroniHistoryLine[]>('/history', signal);
	}

	config(signal?: AbortSignal) {
		return this.#read<Record<string, unknown>>('/config', signal);
	}

	switchover(request: SwitchoverRequest, signal?: AbortSignal) {
		return this.request('POST', '/switchover', {body: request, timeoutMs: LONG_MS, signal});
	}

	cancelSwitchover(signal?: AbortSignal) {
		return this.request('DELETE', '/switchover', {timeoutMs: SHORT_MS, signal});
	}

	failover(request: FailoverRequest, signal?: AbortSignal) {
		return this.request('POST', '/failover', {body: request, timeoutMs: LONG_MS, signal});
	}

	restart(request: RestartRequest = {}, signal?: AbortSignal, timeoutMs = LONG_MS) {
		return this.request('POST', '/restart', {body: request, timeoutMs, signal});
	}

	cancelRestart(signal?: AbortSignal) {
		return this.request('DELETE', '/restart', {timeoutMs: SHORT_MS, signal});
	}

	reload(signal?: AbortSignal) {
		return this.request('POST', '/reload', {timeoutMs: SHORT_MS, signal});
	}

	reinitialize(request: {readonly force?: boolean} = {}, signal?: AbortSignal) {
		return this.request('POST', '/reinitialize', {body: request, timeoutMs: SHORT_MS, signal});
	}

	patchConfig(patch: Record<string, unknown>, signal?: AbortSignal) {
		return this.request('PATCH', '/config', {body: patch, timeoutMs: SHORT_MS, signal});
	}
}

/** No answer at all: refused, reset, timed out. The message names the request and the endpoint. */
export class PatroniUnreachable extends Error {
	override name = 'PatroniUnreachable';
}

/** Patroni answered, but not with what was asked for; its words are kept as it wrote them. */
export class PatroniRefusal extends Error {
	override name = 'PatroniRefusal';

	constructor(what: string, readonly answer: PatroniAnswer) {
		super(`${what} answered ${answer.status}: ${answer.text}`);
	}
}

/**
 * Patroni writes its reasons as plain text; only `send_error` (409 on a racing config write, 411, 400) sends
 * Python's HTML error page, whose useful part is the status line.
 */
export function answerOf(status: number, statusText: string, raw: string | undefined): PatroniAnswer {
	const text = (raw ?? '').trim();
	if (/^<(!DOCTYPE|html)/i.test(text)) return {status, text: `${status} ${statusText}`.trim(), body: text};
	const body = jsonOrText(text);
	return {status, text: typeof body === 'string' ? body : `${status} ${statusText}`.trim(), body};
}

/** "Patroni answered 412: candidate does not exists" — the status, then Patroni's words exactly. */
export function patroniSays(answer: PatroniAnswer): string {
	return `Patroni answered ${answer.status}: ${answer.text}`;
}

export const isSuccess = (answer: PatroniAnswer) => answer.status >= 200 && answer.status < 300;
