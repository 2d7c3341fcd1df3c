// What a member's SQL connection uses reaches the screen and --json: the PostgreSQL source reads it off its real
// connection (a throwaway PostgreSQL 15 with ssl on, 127.0.0.1:25991) and the snapshot carries it. And a password
// from PGPASSFILE is used when none is configured, read as libpq reads it (psql the witness), with no warning
// written by pg's deprecated pgpass support.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {closePostgres, connectPostgres} from '../../source/clients/postgres.js';
import {resolvePostgresSsl} from '../../source/clients/postgres-ssl.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import type {PostgresView} from '../../source/model/views.js';
import {postgresSource} from '../../source/sources/postgres-source.js';
import {makeSslFiles, type SslFiles} from '../helpers/postgres-ssl-files.js';
import {isAvailable, startThrowawayPostgres, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';

const run = promisify(execFile);
const PORT = 25991;
const PASSWORD = 'pa:ss\\word-577';
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};

let server: ThrowawayPostgres | undefined;
let files: SslFiles;

async function firstView(options: Parameters<typeof postgresSource>[0]): Promise<PostgresView> {
	const controller = new AbortController();
	try {
		for await (const event of postgresSource(options)(controller.signal)) {
			if (event.kind === 'data') return event.data;
			throw new Error(event.error);
		}
		throw new Error('the source ended');
	} finally {
		controller.abort();
	}
}

describe("a member's SQL SSL, and the password file", {skip: !isAvailable && 'no /usr/lib/postgresql/15/bin/initdb'}, () => {
	before(async () => {
		files = makeSslFiles();
		server = await startThrowawayPostgres(PORT);
		const [settings] = await server.sql<{hba: string}>("select current_setting('hba_file') as hba");
		fs.writeFileSync(settings!.hba, 'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhostssl all tui 127.0.0.1/32 scram-sha-256\n');
		await server.sql(`alter system set ssl = on`);
		await server.sql(`alter system set ssl_cert_file = '${files.server.cert}'`);
		await server.sql(`alter system set ssl_key_file = '${files.server.key}'`);
		await server.sql(`create role tui login password '${PASSWORD.replaceAll("'", "''")}'`);
		await server.sql('select pg_reload_conf()');
		await new Promise(resolve => setTimeout(resolve, 300));
	});

	after(async () => {
		await server?.stop();
		files?.remove();
	});

	it('the source gives each member its connection’s TLS version and verification, and --json carries it', async () => {
		const ssl = resolvePostgresSsl({sslmode: {value: 'verify-full', where: 'sslmode'}, sslrootcert: {value: files.ca, where: 'sslrootcert'}}, {HOME: files.homes.empty});
		const view = await firstView({endpoints: () => [{name: 'node1', host: '127.0.0.1', port: PORT}], user: 'postgres', ssl, interval: 1000, connectTimeoutMs: 2000, statementTimeoutMs: 2000});
		// OpenSSL 3 and PostgreSQL 15's defaults meet at TLS 1.3 (postgres-sslmode.test.ts compares with pg_stat_ssl).
		assert.deepEqual(view.members['node1']?.ssl, {protocol: 'TLSv1.3', verified: 'full'});
		const states = structuredClone(recorded.states) as {postgres: {data?: PostgresView}} & SourceStates;
		const node1 = states.postgres.data!.members['node1']!;
		(states.postgres.data!.members as Record<string, unknown>)['node1'] = {...node1, ssl: view.members['node1']!.ssl};
		const json = JSON.parse(JSON.stringify(buildSnapshot(states, {scope: 'labtest', now: recorded.states.rest.updatedAt! + 500}))) as {members: Array<{name: string; postgresSsl?: unknown}>};
		assert.deepEqual(json.members.find(member => member.name === 'node1')?.postgresSsl, {protocol: view.members['node1']!.ssl!.protocol, verified: 'full'});
		assert.equal(json.members.find(member => member.name === 'node2')?.postgresSsl, undefined, 'a member whose view has none carries none');
	});

	describe('PGPASSFILE', () => {
		const write = (text: string, mode = 0o600) => {
			const file = path.join(path.dirname(files.ca), 'pgpass');
			fs.writeFileSync(file, text);
			fs.chmodSync(file, mode);
			return file;
		};
		const escaped = PASSWORD.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
		const withPassfile = async <T>(file: string, work: () => Promise<T>): Promise<T> => {
			const before = process.env['PGPASSFILE'];
			process.env['PGPASSFILE'] = file;
			try {
				return await work();
			} finally {
				if (before === undefined) delete process.env['PGPASSFILE'];
				else process.env['PGPASSFILE'] = before;
			}
		};
		const monitor = async () => {
			const client = await connectPostgres({host: '127.0.0.1', port: PORT, user: 'tui', ssl: resolvePostgresSsl({}, {HOME: files.homes.empty})});
			try {
				return (await client.query<{user: string}>('select current_user as user')).rows[0]?.user;
			} finally {
				await closePostgres(client);
			}
		};
		const psql = async (file: string) => {
			const conninfo = `host=127.0.0.1 port=${PORT} user=tui dbname=postgres`;
			const {stdout} = await run('/usr/lib/postgresql/15/bin/psql', ['-X', '-A', '-t', '-w', '-c', 'select current_user', conninfo], {env: {PATH: '/usr/bin:/bin', HOME: files.homes.empty, PGPASSFILE: file}});
			return stdout.trim();
		};

		it('gives the password of the first matching line (comments, *, escaped : and \\), as psql finds it', async () => {
			const file = write(`# the lab\n127.0.0.1:${PORT}:postgres:someone:else\n*:${PORT}:*:tui:${escaped}\n*:*:*:tui:not-this-one\n`);
			const warnings: string[] = [];
			const onWarning = (warning: Error) => warnings.push(warning.message);
			process.on('warning', onWarning);
			try {
				assert.equal(await psql(file), 'tui');
				assert.equal(await withPassfile(file, monitor), 'tui');
				await new Promise(resolve => setImmediate(resolve));
			} finally {
				process.off('warning', onWarning);
			}
			assert.deepEqual(warnings, [], 'no deprecation warning (pg’s own pgpass support) is written');
		});

		it('ignores a file others may read, as libpq does, and says so beside "no password"', async () => {
			const file = write(`*:*:*:tui:${escaped}\n`, 0o644);
			await assert.rejects(psql(file));
			const error = await withPassfile(file, monitor).then(() => undefined, (failure: Error) => failure);
			assert.match(error?.message ?? 'it connected', /^no PostgreSQL password: set PGPASSWORD, a ~\/\.pgpass entry \(.*pgpass was ignored: group or others may read it \(chmod 0600\)\), or the superuser/);
			assert.ok(!error!.message.includes(PASSWORD));
		});

		it('says a password from the file was the one refused', async () => {
			const file = write('*:*:*:tui:wrong-one-8\n');
			const error = await withPassfile(file, monitor).then(() => undefined, (failure: Error) => failure);
			assert.match(error?.message ?? 'it connected', /password authentication failed for user "tui" \(password from the password file\)/);
			assert.ok(!error!.message.includes('wrong-one-8'));
		});
	});
});
