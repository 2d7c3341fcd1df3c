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

/**
 * One connection, open and ready. Connect, statement and client-side query timeouts are always set (the last
 * also covers a frozen server that never answers), and an error event on the client (a server killed under us)
 * is absorbed rather than crashing the process.
 */
export async function connectPostgres(target: PostgresTarget, timeouts: PostgresTimeouts = {}): Promise<PostgresConnection> {
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
	try {
		await client.connect();
		return client;
	} catch (error) {
		await client.end().catch(() => undefined);
		throw error;
	}
}

/** One short-lived connection: connect, run, end. */
export async function withPostgres<T>(target: PostgresTarget, work: (client: PostgresConnection) => Promise<T>, timeouts: PostgresTimeouts = {}): Promise<T> {
	const client = await connectPostgres(target, timeouts);
	try {
		return await work(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}
