import axios, {type AxiosInstance} from 'axios';
import type {PatroniCluster, PatroniHistoryLine, PatroniStatus} from './patroni-types.js';

export type RestCredentials = {readonly username: string; readonly password: string};

export type PatroniClientOptions = {
	/** Every request gives up after this many milliseconds: a frozen member must not freeze us. */
	readonly timeoutMs?: number;
	readonly credentials?: RestCredentials | undefined;
};

/** A thin client of one member's Patroni REST API. Errors keep Patroni's own text. */
export class PatroniClient {
	readonly #http: AxiosInstance;

	constructor(readonly baseUrl: string, options: PatroniClientOptions = {}) {
		this.#http = axios.create({
			baseURL: baseUrl,
			timeout: options.timeoutMs ?? 2000,
			auth: options.credentials,
			// Patroni answers 503 with a full body (a replica's GET /patroni, for one): that is data, not an error.
			validateStatus: () => true,
			// Loopback only: never route through an HTTP proxy from the environment.
			proxy: false,
		});
	}

	async #get<T>(path: string, signal?: AbortSignal): Promise<T> {
		const response = await this.#http.get<T>(path, {signal});
		const isStatusBody = response.status === 503 && typeof response.data === 'object' && response.data !== null;
		if (response.status >= 400 && !isStatusBody) throw new PatroniHttpError(path, response.status, response.data);
		return response.data;
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
