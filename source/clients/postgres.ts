import pg from 'pg';

export type PostgresTarget = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	readonly password?: string | undefined;
	readonly database?: string;
};

export type PostgresTimeouts = {readonly connectMs?: number; readonly statementMs?: number};

/**
 * One short-lived connection: connect, run, end. Connect and statement timeouts are always set, and an error
 * event on the client (a server killed under us) is absorbed rather than crashing the process.
 */
export async function withPostgres<T>(
	target: PostgresTarget,
	work: (client: pg.Client) => Promise<T>,
	timeouts: PostgresTimeouts = {},
): Promise<T> {
	const client = new pg.Client({
		host: target.host,
		port: target.port,
		user: target.user,
		password: target.password,
		database: target.database ?? 'postgres',
		connectionTimeoutMillis: timeouts.connectMs ?? 2000,
		statement_timeout: timeouts.statementMs ?? 2000,
		query_timeout: (timeouts.statementMs ?? 2000) + 500,
		application_name: 'patroni-tui',
	});
	client.on('error', () => undefined);
	try {
		await client.connect();
		return await work(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}
