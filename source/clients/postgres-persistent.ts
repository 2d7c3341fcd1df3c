import pg from 'pg';
import type {PostgresSslUse} from '../model/views.js';
import {closePostgres, connectPostgres, type PostgresTarget} from './postgres.js';
import {LIBPQ_DEFAULT_SSL} from './postgres-ssl.js';
import {sslInUse} from './postgres-sslmode.js';

export type PersistentTarget = PostgresTarget & {
	readonly connectTimeoutMs: number;
	readonly statementTimeoutMs: number;
};

/**
 * One long-lived connection to one member, opened on first use and again after any failure. A server killed
 * under it is an 'error' event that only drops the client; the next query reconnects.
 */
export class PersistentClient {
	#client: pg.Client | undefined;
	#isClosed = false;

	constructor(readonly target: PersistentTarget) {}

	async query<Row extends pg.QueryResultRow>(text: string): Promise<Row[]> {
		const client = this.#client ?? (await this.#connect());
		try {
			const result = await client.query<Row>(text);
			return result.rows;
		} catch (error) {
			// After a timeout or a broken socket the session's state is unknown: start afresh next time.
			void this.#drop(client);
			throw error;
		}
	}

	/** The open connection's SSL (what libpq's sslmode came to with this server); undefined while none is open. */
	get ssl(): PostgresSslUse | undefined {
		return this.#client && sslInUse(this.#client, this.target.ssl ?? LIBPQ_DEFAULT_SSL);
	}

	async close(): Promise<void> {
		this.#isClosed = true;
		const client = this.#client;
		if (client) await this.#drop(client);
	}

	async #connect(): Promise<pg.Client> {
		if (this.#isClosed) throw new Error('closed');
		const {target} = this;
		const client = await connectPostgres(target, {
			connectMs: target.connectTimeoutMs,
			statementMs: target.statementTimeoutMs,
			// The server-side timeout needs a live server; this one also covers a frozen or unreachable one.
			queryMs: target.statementTimeoutMs + 1000,
		});
		client.on('error', () => void this.#drop(client));
		client.on('end', () => void this.#drop(client));
		// close() may have run while we were connecting: this client must not outlive it.
		if (this.#isClosed) {
			await this.#drop(client);
			throw new Error('closed');
		}
		this.#client = client;
		return client;
	}

	async #drop(client: pg.Client): Promise<void> {
		if (this.#client === client) this.#client = undefined;
		await closePostgres(client);
	}
}
