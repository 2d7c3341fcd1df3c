/**
 * PostgreSQL through the pg package directly, not through source/clients/postgres.ts: a witness of the test's own,
 * with the timeouts the product's client had here (2 s to connect, 2 s a statement).
 */
import pg from 'pg';
import {testLabSecrets} from './lab.js';

/** One query as the lab's superuser on 127.0.0.1:port; rows come back as plain objects. */
export async function sql<Row extends Record<string, unknown>>(port: number, text: string, values: unknown[] = [], database = 'postgres'): Promise<Row[]> {
	const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', password: testLabSecrets().superuserPassword, database, connectionTimeoutMillis: 2000, statement_timeout: 2000, query_timeout: 2500});
	client.on('error', () => undefined); // a server going away fails the query, which is what the caller sees
	try {
		await client.connect();
		return (await client.query<Row>(text, values)).rows;
	} finally {
		await client.end().catch(() => undefined);
	}
}
