import {withPostgres} from '../../source/clients/postgres.js';
import {testLabSecrets} from './lab.js';

/** One query as the lab's superuser on 127.0.0.1:port; rows come back as plain objects. */
export async function sql<Row extends Record<string, unknown>>(port: number, text: string, values: unknown[] = [], database = 'postgres'): Promise<Row[]> {
	const secrets = testLabSecrets();
	return withPostgres({host: '127.0.0.1', port, user: 'postgres', password: secrets.superuserPassword, database}, async client => {
		const result = await client.query<Row>(text, values);
		return result.rows;
	});
}
