import {httpRequest} from '../clients/http.js';
import type {RestCredentials} from '../clients/patroni.js';
import {errorMessage} from '../errors.js';
import {restUrl} from '../clients/patroni.js';

/** What Patroni answered: the status and its own words, untouched (or HTTP's reason when it sent an error page). */
export type AdminAnswer = {readonly status: number; readonly text: string; readonly body: unknown};

export type SwitchoverRequest = {readonly leader: string; readonly candidate?: string; readonly scheduled_at?: string};
export type FailoverRequest = {readonly candidate: string; readonly leader?: string};
export type RestartRequest = {readonly schedule?: string; readonly restart_pending?: boolean};

/** The unsafe endpoints, as an interface so tests can stand in a recorder that proves nothing was sent. */
export type PatroniAdminApi = {
	readonly baseUrl: string;
	switchover(request: SwitchoverRequest, signal?: AbortSignal): Promise<AdminAnswer>;
	cancelSwitchover(signal?: AbortSignal): Promise<AdminAnswer>;
	failover(request: FailoverRequest, signal?: AbortSignal): Promise<AdminAnswer>;
	restart(request?: RestartRequest, signal?: AbortSignal): Promise<AdminAnswer>;
	cancelRestart(signal?: AbortSignal): Promise<AdminAnswer>;
	reload(signal?: AbortSignal): Promise<AdminAnswer>;
	reinitialize(request?: {readonly force?: boolean}, signal?: AbortSignal): Promise<AdminAnswer>;
	patchConfig(patch: Record<string, unknown>, signal?: AbortSignal): Promise<AdminAnswer>;
};

/**
 * Patroni blocks on POST /switchover and /failover while it polls for the new leader (up to ~20 s), and on
 * POST /restart until PostgreSQL is back: those get long timeouts; everything else answers at once.
 */
const LONG_MS = 60_000;
const SHORT_MS = 10_000;

/** A member's API root from its api_url ("http://host:8008/patroni" → "http://host:8008"). */
export function apiBase(apiUrl: string): string {
	return new URL(apiUrl).origin;
}

/** Basic auth rides on every request; the credentials are held here and never put into a message. */
export class PatroniAdmin implements PatroniAdminApi {
	readonly #credentials: RestCredentials | undefined;

	constructor(readonly baseUrl: string, credentials?: RestCredentials) {
		this.#credentials = credentials;
	}

	// Every status is an answer to show, not an exception: 412 and 503 carry Patroni's reason.
	async #send(method: 'post' | 'delete' | 'patch', path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<AdminAnswer> {
		const verb = method.toUpperCase() as 'POST' | 'DELETE' | 'PATCH';
		let answer;
		try {
			answer = await httpRequest({url: restUrl(this.baseUrl, path), method: verb, body, timeoutMs, signal, credentials: this.#credentials});
		} catch (error) {
			throw new Error(`${verb} ${this.baseUrl}${path}: ${errorMessage(error)}`);
		}
		return answerOf(answer.status, answer.statusText, answer.text);
	}

	switchover(request: SwitchoverRequest, signal?: AbortSignal) {
		return this.#send('post', '/switchover', request, LONG_MS, signal);
	}

	cancelSwitchover(signal?: AbortSignal) {
		return this.#send('delete', '/switchover', undefined, SHORT_MS, signal);
	}

	failover(request: FailoverRequest, signal?: AbortSignal) {
		return this.#send('post', '/failover', request, LONG_MS, signal);
	}

	restart(request: RestartRequest = {}, signal?: AbortSignal) {
		return this.#send('post', '/restart', request, LONG_MS, signal);
	}

	cancelRestart(signal?: AbortSignal) {
		return this.#send('delete', '/restart', undefined, SHORT_MS, signal);
	}

	reload(signal?: AbortSignal) {
		return this.#send('post', '/reload', undefined, SHORT_MS, signal);
	}

	reinitialize(request: {readonly force?: boolean} = {}, signal?: AbortSignal) {
		return this.#send('post', '/reinitialize', request, SHORT_MS, signal);
	}

	/** A JSON merge patch of the DCS config key: `null` removes a key. Patroni answers with the whole new config. */
	patchConfig(patch: Record<string, unknown>, signal?: AbortSignal) {
		return this.#send('patch', '/config', patch, SHORT_MS, signal);
	}
}

/**
 * Patroni writes its reasons as plain text; only `send_error` (409 on a racing config write, 411, 400) sends
 * Python's HTML error page, whose useful part is the status line.
 */
export function answerOf(status: number, statusText: string, raw: string | undefined): AdminAnswer {
	const text = (raw ?? '').trim();
	if (/^<(!DOCTYPE|html)/i.test(text)) return {status, text: `${status} ${statusText}`.trim(), body: text};
	try {
		const parsed = text.startsWith('{') ? (JSON.parse(text) as unknown) : text;
		return {status, text: typeof parsed === 'string' ? parsed : `${status} ${statusText}`.trim(), body: parsed};
	} catch {
		return {status, text, body: text};
	}
}

/** "Patroni answered 412: candidate does not exists" — the status, then Patroni's words exactly. */
export function patroniSays(answer: AdminAnswer): string {
	return `Patroni answered ${answer.status}: ${answer.text}`;
}

export const isSuccess = (answer: AdminAnswer) => answer.status >= 200 && answer.status < 300;
