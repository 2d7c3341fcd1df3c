import pg from 'pg';

export type PostgresTarget = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	readonly password?: string | undefined;
	readonly database?: string;
};

export type PostgresTimeouts = {readonly connectMs?: number; readonly statementMs?: number; readonly applicationName?: string};

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
 * One connection, open and ready. Connect, statement and client-side query timeouts are always set (the last
 * also covers a frozen server that never answers), and an error event on the client (a server killed under us)
 * is absorbed rather than crashing the process. `signal` (the operation's) ends it at any point.
 */
export async function connectPostgres(target: PostgresTarget, timeouts: PostgresTimeouts = {}, signal?: AbortSignal): Promise<PostgresConnection> {
	const statementMs = timeouts.statementMs ?? 2000;
	const client = new pg.Client({
		host: target.host,
		port: target.port,
		user: target.user,
		password: target.password,
		database: target.database ?? 'postgres',
		connectionTimeoutMillis: timeouts.connectMs ?? 2000,
		statement_timeout: statementMs,
		query_timeout: statementMs + 500,
		application_name: timeouts.applicationName ?? 'patroni-tui',
	});
	client.on('error', () => undefined);
	// The hook stays for the connection's life: whoever holds it may be cancelled mid-query.
	abortWith(client, signal);
	try {
		await client.connect();
		return client;
	} catch (error) {
		await closePostgres(client);
		throw signal?.aborted ? new Error('aborted') : error;
	}
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
