import pg from 'pg';
import {closePostgres} from './postgres.js';

export type PersistentTarget = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	readonly password?: string | undefined;
	readonly database?: string | undefined;
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

	async close(): Promise<void> {
		this.#isClosed = true;
		const client = this.#client;
		if (client) await this.#drop(client);
	}

	async #connect(): Promise<pg.Client> {
		if (this.#isClosed) throw new Error('closed');
		const {target} = this;
		const client = new pg.Client({
			host: target.host,
			port: target.port,
			user: target.user,
			password: target.password,
			database: target.database ?? 'postgres',
			connectionTimeoutMillis: target.connectTimeoutMs,
			statement_timeout: target.statementTimeoutMs,
			// The server-side timeout needs a live server; this one also covers a frozen or unreachable one.
			query_timeout: target.statementTimeoutMs + 1000,
			application_name: 'patroni-tui',
		});
		client.on('error', () => void this.#drop(client));
		client.on('end', () => void this.#drop(client));
		try {
			await client.connect();
		} catch (error) {
			void this.#drop(client);
			throw explainConnectError(error, target.password);
		}
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

/** pg's words for "no password was given" name SASL internals; say what the user can do instead. */
export function explainConnectError(error: unknown, password: string | undefined): unknown {
	const message = error instanceof Error ? error.message : String(error);
	if (password === undefined && /password must be a string|no password supplied/i.test(message)) {
		return new Error('no PostgreSQL password: set PGPASSWORD, a ~/.pgpass entry, or the superuser in the config file (-c)');
	}
	return error;
}
