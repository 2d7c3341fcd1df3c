import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {closePostgres, connectPostgres} from '../../source/clients/postgres.js';
import {resolvePostgresSsl, type SslParameters} from '../../source/clients/postgres-ssl.js';
import {giveTestCerts, isOpensslAvailable, makeTestCerts, type TestCerts} from '../helpers/test-certs.js';
import {isAvailable, startThrowawayPostgres, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';

// PostgreSQL's side of TLS failures in words: a throwaway PostgreSQL 15 (127.0.0.1:27797) with ssl on, trusting
// test-certs' CA for client certificates (pg_hba "cert"), and the monitor's connect with libpq's parameters.
const PORT = 27797;

describe('PostgreSQL TLS failures in words', {skip: (!isAvailable || !isOpensslAvailable) && 'PostgreSQL 15 or openssl not installed'}, () => {
	let dir: string;
	let certs: TestCerts;
	let server: ThrowawayPostgres | undefined;

	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-pg-'));
		certs = await makeTestCerts(path.join(dir, 'certs'));
		if (process.getuid?.() === 0) {
			// PostgreSQL reads its key only when it owns it; it runs as postgres here.
			const idOf = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], {encoding: 'utf8'}).trim());
			giveTestCerts(certs, idOf('-u'), idOf('-g'));
			fs.chmodSync(dir, 0o755);
		}
		server = await startThrowawayPostgres(PORT);
		const [settings] = await server.sql<{hba: string}>("select current_setting('hba_file') as hba");
		fs.writeFileSync(settings!.hba, ['local all all trust', 'hostssl all all 127.0.0.1/32 cert', ''].join('\n'));
		for (const statement of [
			'alter system set ssl = on', `alter system set ssl_cert_file = '${certs.server.cert}'`, `alter system set ssl_key_file = '${certs.server.key}'`,
			`alter system set ssl_ca_file = '${certs.ca.cert}'`, 'create role root login', 'select pg_reload_conf()',
		]) await server.sql(statement);
		await new Promise(resolve => setTimeout(resolve, 300));
	});
	after(async () => {
		await server?.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const connectAs = async (user: string, params: Record<string, string>): Promise<string> => {
		const given: SslParameters = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, {value, where: key}]));
		const ssl = resolvePostgresSsl(given, {HOME: path.join(dir, 'no-home')});
		try {
			const client = await connectPostgres({host: '127.0.0.1', port: PORT, user, ssl}, {connectMs: 3000});
			await closePostgres(client);
			return 'connected';
		} catch (error) {
			return (error as Error).message;
		}
	};

	it('names a client certificate the server refuses, and connects with the right one', async () => {
		const verifyFull = {sslmode: 'verify-full', sslrootcert: certs.ca.cert};
		assert.equal(await connectAs('root', {...verifyFull, sslcert: certs.client.cert, sslkey: certs.client.key}), 'connected');
		const foreign = await connectAs('root', {...verifyFull, sslcert: certs.foreignClient.cert, sslkey: certs.foreignClient.key});
		assert.equal(foreign, `SSL: the server refused our client certificate ${certs.foreignClient.cert} (not signed by a CA it trusts)`);
	});

	it("keeps the server's own words where they are specific (pg_hba wants a certificate)", async () => {
		assert.match(await connectAs('root', {sslmode: 'verify-full', sslrootcert: certs.ca.cert}), /connection requires a valid client certificate/);
	});
});
