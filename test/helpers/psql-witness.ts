/** Debian's psql, run as a separate program: an outside witness of what PostgreSQL holds (shares no code with source/). */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {testLabSecrets} from './lab.js';

const run = promisify(execFile);

/**
 * One statement on 127.0.0.1:port as the superuser (the test lab's password unless another lab's is given); the
 * rows as psql prints them unaligned (`-At`), one a line.
 */
export async function psql(port: number, statement: string, database = 'postgres', password = testLabSecrets().superuserPassword): Promise<string[]> {
	const env = {...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '3'};
	const {stdout} = await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', statement], {env, timeout: 15_000});
	return stdout.split('\n').filter(line => line !== '');
}

/** The single value a statement returns. */
export async function psqlValue(port: number, statement: string, database = 'postgres', password?: string): Promise<string> {
	const [value] = await psql(port, statement, database, password);
	if (value === undefined) throw new Error(`no row from ${statement}`);
	return value;
}
