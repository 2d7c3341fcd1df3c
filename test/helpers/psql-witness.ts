/** Debian's psql, run as a separate program: an outside witness of what PostgreSQL holds (shares no code with source/). */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {testLabSecrets} from './lab.js';
import {tlsFilesFor} from './witness-tls.js';

const run = promisify(execFile);

/**
 * One statement on 127.0.0.1:port as the superuser (the test lab's password unless another lab's is given); the
 * rows as psql prints them unaligned (`-At`), one a line.
 */
export async function psql(port: number, statement: string, database = 'postgres', password = testLabSecrets().superuserPassword): Promise<string[]> {
	// A TLS lab's PostgreSQL takes hostssl only: verify its certificate fully, by the lab's CA, as a client should.
	const tls = tlsFilesFor(`127.0.0.1:${port}`);
	const ssl = tls ? {PGSSLMODE: 'verify-full', PGSSLROOTCERT: tls.ca} : {};
	const env = {...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '3', ...ssl};
	const {stdout} = await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', statement], {env, timeout: 15_000});
	return stdout.split('\n').filter(line => line !== '');
}

/** The single value a statement returns. */
export async function psqlValue(port: number, statement: string, database = 'postgres', password?: string): Promise<string> {
	const [value] = await psql(port, statement, database, password);
	if (value === undefined) throw new Error(`no row from ${statement}`);
	return value;
}

/**
 * The write probe's tables on 127.0.0.1:port, as names ("none" when there is none): each run makes its own,
 * `patroni_tui_probe_<run id>`, and drops it at the end, so between runs none is expected. The probe's old
 * fixed-name table (`patroni_tui_probe`, from before per-run tables) is listed too, being also a probe's.
 */
export async function probeTables(port: number, password?: string): Promise<string> {
	return psqlValue(port, "select coalesce(string_agg(relname, ',' order by relname), 'none') from pg_class where relkind = 'r' and relname like 'patroni\\_tui\\_probe%'", 'postgres', password);
}

/** Rows in one probe table, or -1 when it is not there (dropped, or not made yet). */
export async function probeRowCount(port: number, table: string, password?: string): Promise<number> {
	if (!/^(public\.)?patroni_tui_probe_[0-9a-f]{12}$/.test(table)) throw new Error(`not a probe table: ${table}`);
	return Number(await psqlValue(port, `select count(*) from ${table}`, 'postgres', password).catch(() => '-1'));
}
