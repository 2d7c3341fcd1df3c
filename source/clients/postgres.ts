import pg from 'pg';
import {pgpassPassword, type PgpassAnswer} from './pgpass.js';
import {LIBPQ_DEFAULT_SSL, type PostgresSsl} from './postgres-ssl.js';
import {connectInSslMode, pgSslOption, watchAttempt} from './postgres-sslmode.js';

export type PostgresTarget = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	/** None: ~/.pgpass (or PGPASSFILE) is asked, when the server wants one. */
	readonly password?: string | undefined;
	readonly database?: string | undefined;
	/** libpq's sslmode and files; none: libpq's default (prefer, nothing verified). */
	readonly ssl?: PostgresSsl | undefined;
};

export type PostgresTimeouts = {
	/** Each attempt's (an sslmode of allow or prefer may make two). */
	readonly connectMs?: number;
	readonly statementMs?: number;
	/** The client-side deadline of a query; statementMs + 500 unless given. */
	readonly queryMs?: number;
	readonly applicationName?: string;
};

/** An open connection; whoever opened it ends it. */
export type PostgresConnection = pg.Client;
export type PostgresRow = pg.QueryResultRow;

/** How long a polite goodbye (Terminate) may take before the socket is simply destroyed. */
export const CLOSE_GRACE_MS = 500;

/**
 * Ends a connection within CLOSE_GRACE_MS whatever the server does: pg's end() waits for the server to close
 * its side, which a frozen server (SIGSTOP, a dead host behind a live route) never does.
 */
export async function closePostgres(client: pg.Client): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const grace = new Promise<void>(resolve => {
		timer = setTimeout(resolve, CLOSE_GRACE_MS);
	});
	await Promise.race([client.end().catch(() => undefined), grace]);
	clearTimeout(timer);
	client.connection.stream.destroy();
}

/**
 * Ties a connection to a signal: when it aborts, the socket is destroyed and whatever is in flight (connecting,
 * a query) fails at once with "Connection terminated". Returns the unhooking.
 */
export function abortWith(client: pg.Client, signal: AbortSignal | undefined): () => void {
	if (!signal) return () => undefined;
	const onAbort = () => client.connection.stream.destroy();
	if (signal.aborted) onAbort();
	signal.addEventListener('abort', onAbort, {once: true});
	return () => signal.removeEventListener('abort', onAbort);
}

/**
 * One connection, open and ready, in the target's sslmode. Connect, statement and client-side query timeouts are
 * always set (the last also covers a frozen server that never answers), and an error event on the client (a server
 * killed under us) is absorbed rather than crashing the process. `signal` (the operation's) ends it at any point.
 */
export async function connectPostgres(target: PostgresTarget, timeouts: PostgresTimeouts = {}, signal?: AbortSignal): Promise<PostgresConnection> {
	const ssl = target.ssl ?? LIBPQ_DEFAULT_SSL;
	try {
		return await connectInSslMode(ssl, async useSsl => connectOnce(target, ssl, useSsl, timeouts, signal), () => signal?.aborted === true);
	} catch (error) {
		throw signal?.aborted ? new Error('aborted') : error;
	}
}

async function connectOnce(target: PostgresTarget, ssl: PostgresSsl, useSsl: boolean, timeouts: PostgresTimeouts, signal?: AbortSignal): Promise<PostgresConnection> {
	const statementMs = timeouts.statementMs ?? 2000;
	const database = target.database ?? 'postgres';
	let pgpass: PgpassAnswer = {};
	const client = new pg.Client({
		host: target.host,
		port: target.port,
		user: target.user,
		// Asked only when the server wants a password, as libpq reads its file. pg's types say string, but undefined
		// is what pg itself takes for "none" (it then fails with "client password must be a string").
		password:
			target.password ??
			(() => {
				pgpass = pgpassPassword({host: target.host, port: target.port, database, user: target.user});
				return pgpass.password as string;
			}),
		database,
		ssl: pgSslOption(ssl, useSsl),
		connectionTimeoutMillis: timeouts.connectMs ?? 2000,
		statement_timeout: statementMs,
		query_timeout: timeouts.queryMs ?? statementMs + 500,
		application_name: timeouts.applicationName ?? 'patroni-tui',
	});
	client.on('error', () => undefined);
	const failure = watchAttempt(client);
	// The hook stays for the connection's life (whoever holds it may be cancelled mid-query) and no longer: an
	// operation's signal outlives hundreds of short connections, each of which would leave a listener holding it.
	const unhook = abortWith(client, signal);
	client.once('end', unhook);
	try {
		await client.connect();
		return client;
	} catch (error) {
		unhook();
		await closePostgres(client);
		throw failure(withPgpassNote(error, target.password, pgpass));
	}
}

/** pg's words for "no password was given" name SASL internals; say what the user can do instead. */
export function explainConnectError(error: unknown, password: string | undefined, note?: string): unknown {
	const message = error instanceof Error ? error.message : String(error);
	if (password === undefined && /password must be a string|no password supplied/i.test(message)) {
		const why = note ? ` (${note})` : '';
		return new Error(`no PostgreSQL password: set PGPASSWORD, a ~/.pgpass entry${why}, or the superuser in the config file (-c)`);
	}
	return error;
}

function withPgpassNote(error: unknown, password: string | undefined, pgpass: PgpassAnswer): unknown {
	const explained = explainConnectError(error, password, pgpass.note);
	// libpq says so too: a rejected password that came from the file is worth knowing where it came from.
	if (pgpass.password !== undefined && error instanceof pg.DatabaseError && error.code === '28P01') error.message += ' (password from the password file)';
	return explained;
}

/**
 * One short-lived connection: connect, run, end. Every query has its deadline (query_timeout), the close has its
 * grace, and `signal` ends all of it at once.
 */
export async function withPostgres<T>(
	target: PostgresTarget,
	work: (client: PostgresConnection) => Promise<T>,
	timeouts: PostgresTimeouts = {},
	signal?: AbortSignal,
): Promise<T> {
	const client = await connectPostgres(target, timeouts, signal);
	try {
		return await work(client);
	} catch (error) {
		throw signal?.aborted ? new Error('aborted') : error;
	} finally {
		await closePostgres(client);
	}
}
