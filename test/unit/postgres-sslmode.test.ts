// Each sslmode against a real PostgreSQL 15 with ssl on and off and pg_hba taking SSL only, plain only or either,
// with Debian's psql (libpq 15) as the witness: for the same parameters and the same HOME, the monitor's connection
// succeeds or fails as psql's does, with SSL when psql's has it, and reports the TLS version pg_stat_ssl shows.
// The throwaway PostgreSQL (127.0.0.1:25990) and its certificates (Debian's openssl) are the test's own.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import pg from 'pg';
import {closePostgres, connectPostgres} from '../../source/clients/postgres.js';
import {resolvePostgresSsl, type SslParameters} from '../../source/clients/postgres-ssl.js';
import {sslInUse} from '../../source/clients/postgres-sslmode.js';
import {isAvailable, startThrowawayPostgres, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';
import {makeSslFiles, type SslFiles} from '../helpers/postgres-ssl-files.js';

const run = promisify(execFile);
const PORT = 25990;
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const WHICH_SSL = 'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()';

type Outcome = {readonly ssl: boolean; readonly version: string | null} | {readonly error: string};
type ServerSetup = {readonly ssl: boolean; readonly cert?: 'server' | 'otherHost' | 'expired'; readonly hba: readonly string[]; readonly maxTls?: string};

let server: ThrowawayPostgres | undefined;
let files: SslFiles;
let socketDir = '';
let hbaFile = '';

/** As the superuser over the Unix socket, which pg_hba always trusts: the TCP rules are what each case tries. */
async function admin(...statements: string[]): Promise<void> {
	const client = new pg.Client({host: socketDir, port: PORT, user: 'postgres', database: 'postgres'});
	await client.connect();
	try {
		for (const statement of statements) await client.query(statement);
	} finally {
		await client.end();
	}
}

async function serve(setup: ServerSetup): Promise<void> {
	const cert = files[setup.cert ?? 'server'];
	fs.writeFileSync(hbaFile, ['local all all trust', ...setup.hba, ''].join('\n'));
	await admin(
		`alter system set ssl = ${setup.ssl ? 'on' : 'off'}`,
		`alter system set ssl_cert_file = '${cert.cert}'`,
		`alter system set ssl_key_file = '${cert.key}'`,
		`alter system set ssl_ca_file = '${files.ca}'`,
		`alter system set ssl_max_protocol_version = '${setup.maxTls ?? ''}'`,
		'select pg_reload_conf()',
	);
	// The postmaster reloads on its own time; new sessions see it once it has.
	await new Promise(resolve => setTimeout(resolve, 300));
}

const conninfo = (params: Readonly<Record<string, string>>) =>
	Object.entries({host: '127.0.0.1', port: String(PORT), user: 'postgres', dbname: 'postgres', connect_timeout: '3', ...params})
		.map(([key, value]) => `${key}=${value}`)
		.join(' ');

async function psqlSays(params: Readonly<Record<string, string>>, home: string): Promise<Outcome> {
	try {
		const {stdout} = await run(PSQL, ['-X', '-A', '-t', '-c', WHICH_SSL, conninfo(params)], {env: {PATH: '/usr/bin:/bin', HOME: home}, timeout: 10_000});
		const [ssl, version] = stdout.trim().split('|');
		return {ssl: ssl === 't', version: version || null};
	} catch (error) {
		return {error: ((error as {stderr?: string}).stderr ?? String(error)).trim()};
	}
}

async function monitorSays(params: Readonly<Record<string, string>>, home: string): Promise<Outcome> {
	const given: SslParameters = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, {value, where: key}]));
	try {
		const ssl = resolvePostgresSsl(given, {HOME: home});
		const client = await connectPostgres({host: '127.0.0.1', port: PORT, user: 'postgres', ssl}, {connectMs: 3000});
		try {
			const row = (await client.query<{ssl: boolean; version: string | null}>(WHICH_SSL)).rows[0]!;
			assert.deepEqual(sslInUse(client, ssl).protocol, row.version, 'the TLS version the monitor reports is the one pg_stat_ssl shows');
			return {ssl: row.ssl, version: row.version};
		} finally {
			await closePostgres(client);
		}
	} catch (error) {
		if (error instanceof assert.AssertionError) throw error;
		return {error: (error as Error).message};
	}
}

type Case = readonly [params: Record<string, string>, expected: 'ssl' | 'plain' | RegExp, home?: 'empty' | 'rootOk' | 'rootOther' | 'client'];

/** Both sides, the same parameters and HOME: the same outcome, and the one expected of libpq. */
async function agree(t: {diagnostic: (message: string) => void}, [params, expected, home = 'empty']: Case): Promise<void> {
	const homeDir = files.homes[home];
	const [witness, ours] = await Promise.all([psqlSays(params, homeDir), monitorSays(params, homeDir)]);
	const said = (outcome: Outcome) => ('error' in outcome ? `fails: ${outcome.error.split('\n')[0]}` : outcome.ssl ? `SSL ${outcome.version}` : 'no SSL');
	const name = `${Object.entries(params).map(([key, value]) => `${key}=${path.basename(value)}`).join(' ') || '(nothing)'} [HOME ${home}]`;
	t.diagnostic(`${name}: psql ${said(witness)} · monitor ${said(ours)}`);
	if (expected instanceof RegExp) {
		assert.ok('error' in witness, `${name}: psql connected`);
		assert.ok('error' in ours, `${name}: the monitor connected`);
		assert.match(ours.error, expected, name);
		return;
	}
	assert.deepEqual(ours, witness, name);
	assert.deepEqual('error' in ours ? ours : ours.ssl, expected === 'ssl', name);
}

describe('sslmode as libpq does it, psql the witness', {skip: !isAvailable && 'no /usr/lib/postgresql/15/bin/initdb'}, () => {
	before(async () => {
		files = makeSslFiles();
		server = await startThrowawayPostgres(PORT);
		const [settings] = await server.sql<{hba: string; sockets: string}>("select current_setting('hba_file') as hba, current_setting('unix_socket_directories') as sockets");
		hbaFile = settings!.hba;
		socketDir = settings!.sockets.split(',')[0]!.trim();
	});

	after(async () => {
		await server?.stop();
		files?.remove();
	});

	it('SSL only (hostssl): prefer, allow and require connect with SSL, disable is refused by pg_hba', async t => {
		await serve({ssl: true, hba: ['hostssl all all 127.0.0.1/32 trust']});
		await agree(t, [{}, 'ssl']);
		await agree(t, [{sslmode: 'prefer'}, 'ssl']);
		await agree(t, [{sslmode: 'allow'}, 'ssl']);
		await agree(t, [{sslmode: 'require'}, 'ssl']);
		await agree(t, [{sslmode: 'disable'}, /no pg_hba\.conf entry for host "127\.0\.0\.1", user "postgres", database "postgres", no encryption/]);
	});

	it('verify-ca and verify-full take a certificate for 127.0.0.1 signed by the root certificate, and no other CA', async t => {
		await serve({ssl: true, hba: ['hostssl all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'verify-ca', sslrootcert: files.ca}, 'ssl']);
		await agree(t, [{sslmode: 'verify-full', sslrootcert: files.ca}, 'ssl']);
		await agree(t, [{sslmode: 'verify-full', sslrootcert: files.otherCa}, /SSL: the server's certificate is not signed by a CA of sslrootcert/]);
	});

	it('require with a root certificate present verifies the chain (as verify-ca), from sslrootcert or ~/.postgresql/root.crt', async t => {
		await serve({ssl: true, hba: ['hostssl all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'require', sslrootcert: files.otherCa}, /not signed by a CA of sslrootcert/]);
		await agree(t, [{sslmode: 'require'}, /not signed by a CA of sslrootcert/, 'rootOther']);
		await agree(t, [{sslmode: 'require'}, 'ssl', 'rootOk']);
		// prefer verifies too, and after a failed handshake tries plain, which pg_hba refuses here: both reasons.
		await agree(t, [{sslmode: 'prefer'}, /not signed by a CA of sslrootcert.*; without SSL: .*no encryption/, 'rootOther']);
	});

	it('verify-full refuses a certificate for another host name and says so; verify-ca takes it', async t => {
		await serve({ssl: true, cert: 'otherHost', hba: ['hostssl all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'verify-full', sslrootcert: files.ca}, /^SSL: the server's certificate is for other\.example, not 127\.0\.0\.1 \(sslmode verify-full checks the host name\)$/]);
		await agree(t, [{sslmode: 'verify-ca', sslrootcert: files.ca}, 'ssl']);
	});

	it('an expired certificate fails every verifying mode, and require without a root certificate takes it', async t => {
		await serve({ssl: true, cert: 'expired', hba: ['hostssl all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'verify-ca', sslrootcert: files.ca}, /^SSL: the server's certificate has expired$/]);
		await agree(t, [{sslmode: 'require'}, 'ssl']);
	});

	it('plain only (hostnossl): prefer falls back to plain, allow is plain, require is refused', async t => {
		await serve({ssl: true, hba: ['hostnossl all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'prefer'}, 'plain']);
		await agree(t, [{sslmode: 'allow'}, 'plain']);
		await agree(t, [{sslmode: 'require'}, /no pg_hba\.conf entry .* SSL encryption/]);
	});

	it('either (host): allow stays plain, prefer takes SSL', async t => {
		await serve({ssl: true, hba: ['host all all 127.0.0.1/32 trust']});
		await agree(t, [{sslmode: 'allow'}, 'plain']);
		await agree(t, [{sslmode: 'prefer'}, 'ssl']);
	});

	it('reports TLSv1.2 when the server goes no higher', async t => {
		await serve({ssl: true, hba: ['hostssl all all 127.0.0.1/32 trust'], maxTls: 'TLSv1.2'});
		await agree(t, [{sslmode: 'require'}, 'ssl']);
		assert.deepEqual(await monitorSays({sslmode: 'require'}, files.homes.empty), {ssl: true, version: 'TLSv1.2'});
	});

	it('a server with ssl off: prefer and allow connect without SSL, require says the server has none', async t => {
		await serve({ssl: false, hba: ['host all all 127.0.0.1/32 trust']});
		await agree(t, [{}, 'plain']);
		await agree(t, [{sslmode: 'allow'}, 'plain']);
		await agree(t, [{sslmode: 'require'}, /^the server does not support SSL, but sslmode require requires it$/]);
	});

	it('a client certificate from sslcert/sslkey or ~/.postgresql/ logs in where pg_hba asks for one (cert)', async t => {
		await serve({ssl: true, hba: ['hostssl all all 127.0.0.1/32 cert']});
		await agree(t, [{sslmode: 'verify-full', sslrootcert: files.ca, sslcert: files.client.cert, sslkey: files.client.key}, 'ssl']);
		await agree(t, [{sslmode: 'require'}, 'ssl', 'client']);
		await agree(t, [{sslmode: 'require'}, /connection requires a valid client certificate/]);
	});

	it('leaves no connection behind, failed attempts included', async () => {
		await serve({ssl: true, hba: ['host all all 127.0.0.1/32 trust']});
		const [row] = await server!.sql<{count: string}>("select count(*) from pg_stat_activity where application_name = 'patroni-tui'");
		assert.equal(row?.count, '0');
	});
});
