import {httpRequest, jsonOrText} from './http.js';
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

export type PatroniClientOptions = {
	/** Every request gives up after this many milliseconds: a frozen member must not freeze us. */
	readonly timeoutMs?: number;
	readonly credentials?: RestCredentials | undefined;
};

/** A thin client of one member's Patroni REST API. Errors keep Patroni's own text. */
export class PatroniClient {
	constructor(readonly baseUrl: string, readonly options: PatroniClientOptions = {}) {}

	async #get<T>(path: string, signal?: AbortSignal): Promise<T> {
		const {timeoutMs = 2000, credentials} = this.options;
		const answer = await httpRequest({url: restUrl(this.baseUrl, path), timeoutMs, credentials, signal});
		const body = jsonOrText(answer.text);
		// Patroni answers 503 with a full body (a replica's GET /patroni, for one): that is data, not an error.
		const isStatusBody = answer.status === 503 && typeof body === 'object' && body !== null;
		if (answer.status >= 400 && !isStatusBody) throw new PatroniHttpError(path, answer.status, body);
		return body as T;
	}

	cluster(signal?: AbortSignal): Promise<PatroniCluster> {
		return this.#get('/cluster', signal);
	}

	status(signal?: AbortSignal): Promise<PatroniStatus> {
		return this.#get('/patroni', signal);
	}

	history(signal?: AbortSignal): Promise<PatroniHistoryLine[]> {
		return this.#get('/history', signal);
	}

	config(signal?: AbortSignal): Promise<Record<string, unknown>> {
		return this.#get('/config', signal);
	}
}

export class PatroniHttpError extends Error {
	constructor(readonly path: string, readonly status: number, readonly body: unknown) {
		super(`${path} answered ${status}: ${typeof body === 'string' ? body.trim() : JSON.stringify(body)}`);
		this.name = 'PatroniHttpError';
	}
}
