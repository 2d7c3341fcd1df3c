// PostgreSQL's SSL settings resolved as libpq resolves them for Patroni's superuser connection: the superuser section
// (file or PATRONI_SUPERUSER_*) over PGSSL* over ~/.postgresql/, every file read once with a sentence when it cannot
// be used. Certificates are made with Debian's openssl.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {ConfigError} from '../../source/config-error.js';
import {LIBPQ_DEFAULT_SSL, resolvePostgresSsl, type SslParameters} from '../../source/clients/postgres-ssl.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-pg-ssl-config-'));
const home = path.join(dir, 'home');
const at = (name: string) => path.join(dir, name);
const KEY_PASSWORD = 'key-secret-3141';

function openssl(...args: string[]): void {
	execFileSync('openssl', args, {stdio: 'ignore'});
}

before(() => {
	fs.mkdirSync(path.join(home, '.postgresql'), {recursive: true});
	openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.crt'), '-subj', '/CN=test CA', '-days', '2');
	openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('client.key'), '-out', at('client.csr'), '-subj', '/CN=postgres');
	openssl('x509', '-req', '-in', at('client.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('client.crt'), '-days', '2');
	openssl('pkey', '-in', at('client.key'), '-aes256', '-passout', `pass:${KEY_PASSWORD}`, '-out', at('client-encrypted.key'));
	openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('stranger.key'), '-out', at('stranger.csr'), '-subj', '/CN=stranger');
	for (const key of ['client.key', 'client-encrypted.key', 'stranger.key']) fs.chmodSync(at(key), 0o600);
	fs.writeFileSync(at('not-pem.crt'), 'hello\n');
});
after(() => fs.rmSync(dir, {recursive: true, force: true}));

const given = (values: Record<string, string>): SslParameters =>
	Object.fromEntries(Object.entries(values).map(([key, value]) => [key, {value, where: `patronictl.yaml: postgresql.authentication.superuser.${key}`}]));
const env = (variables: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({HOME: home, ...variables});
const refusal = (run: () => unknown): string => {
	try {
		run();
	} catch (error) {
		assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`);
		return error.message;
	}
	assert.fail('it was accepted');
};

describe("libpq's order: the superuser section, then PGSSL*, then ~/.postgresql/", () => {
	it('is prefer with nothing verified when nothing is given and ~/.postgresql/ is empty', () => {
		assert.equal(resolvePostgresSsl({}, env()), LIBPQ_DEFAULT_SSL);
	});

	it('takes a parameter given over its PGSSL* variable, and the variable for one not given', () => {
		assert.equal(resolvePostgresSsl(given({sslmode: 'disable'}), env({PGSSLMODE: 'verify-full'})).mode, 'disable');
		const fromEnv = resolvePostgresSsl({}, env({PGSSLMODE: 'verify-ca', PGSSLROOTCERT: at('ca.crt')}));
		assert.equal(fromEnv.mode, 'verify-ca');
		assert.equal(fromEnv.tls.ca?.path, at('ca.crt'));
		assert.deepEqual([fromEnv.tls.verifyServer, fromEnv.tls.verifyHostname], [true, false]);
	});

	it("verifies the chain in require and prefer when a root certificate is there (libpq's \"behaves as verify-ca\")", () => {
		for (const mode of ['allow', 'prefer', 'require']) {
			const ssl = resolvePostgresSsl(given({sslmode: mode, sslrootcert: at('ca.crt')}), env());
			assert.deepEqual([ssl.tls.verifyServer, ssl.tls.verifyHostname], [true, false], mode);
		}
		const full = resolvePostgresSsl(given({sslmode: 'verify-full', sslrootcert: at('ca.crt')}), env());
		assert.deepEqual([full.tls.verifyServer, full.tls.verifyHostname], [true, true]);
	});

	it('uses ~/.postgresql/root.crt, postgresql.crt and postgresql.key when they are there', () => {
		const own = path.join(dir, 'own-home');
		fs.mkdirSync(path.join(own, '.postgresql'), {recursive: true});
		fs.copyFileSync(at('ca.crt'), path.join(own, '.postgresql', 'root.crt'));
		fs.copyFileSync(at('client.crt'), path.join(own, '.postgresql', 'postgresql.crt'));
		fs.copyFileSync(at('client.key'), path.join(own, '.postgresql', 'postgresql.key'));
		fs.chmodSync(path.join(own, '.postgresql', 'postgresql.key'), 0o600);
		const ssl = resolvePostgresSsl(given({sslmode: 'require'}), {HOME: own});
		assert.equal(ssl.tls.ca?.path, path.join(own, '.postgresql', 'root.crt'));
		assert.equal(ssl.tls.cert?.path, path.join(own, '.postgresql', 'postgresql.crt'));
		assert.equal(ssl.tls.verifyServer, true);
		assert.equal(resolvePostgresSsl(given({sslmode: 'disable'}), {HOME: own}).tls.ca, undefined, 'disable reads no file');
	});

	it('sends a client certificate with its key, and an encrypted key with sslpassword', () => {
		const plain = resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('client.key')}), env());
		assert.deepEqual([plain.tls.cert?.path, plain.tls.key?.path], [at('client.crt'), at('client.key')]);
		const encrypted = resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('client-encrypted.key'), sslpassword: KEY_PASSWORD}), env());
		assert.equal(encrypted.tls.keyPassword, KEY_PASSWORD);
	});

	it('takes sslrootcert=system (PostgreSQL 16) as Node’s own store, verify-full by default and only', () => {
		const ssl = resolvePostgresSsl(given({sslrootcert: 'system'}), env());
		assert.deepEqual([ssl.mode, ssl.tls.ca, ssl.tls.verifyServer, ssl.tls.verifyHostname], ['verify-full', undefined, true, true]);
		assert.match(refusal(() => resolvePostgresSsl(given({sslrootcert: 'system', sslmode: 'require'}), env())), /sslmode: require is too weak for .*sslrootcert = system \(use verify-full\)/);
	});
});

describe('what cannot work is one sentence naming the key or the variable, never a secret', () => {
	const cases: ReadonlyArray<readonly [string, () => unknown, RegExp]> = [
		['a bad sslmode in the file', () => resolvePostgresSsl(given({sslmode: 'required'}), env()), /^patronictl\.yaml: postgresql\.authentication\.superuser\.sslmode: expected one of disable, allow, prefer, require, verify-ca, verify-full, got "required"$/],
		['a bad PGSSLMODE', () => resolvePostgresSsl({}, env({PGSSLMODE: 'on'})), /^PGSSLMODE: expected one of .*got "on"$/],
		['verify-full with no root certificate', () => resolvePostgresSsl(given({sslmode: 'verify-full'}), env()), /sslmode: verify-full needs a root certificate: give sslrootcert or put the CA in .*home\/\.postgresql\/root\.crt$/],
		['a root certificate that is not there', () => resolvePostgresSsl({}, env({PGSSLROOTCERT: at('missing.crt')})), /^PGSSLROOTCERT: cannot read .*missing\.crt: no such file$/],
		['a root certificate that is no PEM', () => resolvePostgresSsl(given({sslrootcert: at('not-pem.crt')}), env()), /sslrootcert: .*not-pem\.crt holds no PEM block/],
		['a certificate without its key', () => resolvePostgresSsl(given({sslcert: at('client.crt')}), env()), /sslcert: .*client\.crt is there but its key is not: give sslkey or put it in .*postgresql\.key$/],
		['a key others may read', () => (fs.chmodSync(at('stranger.key'), 0o644), resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('stranger.key')}), env())), /sslkey: .*stranger\.key has group or world access/],
		['another certificate’s key', () => (fs.chmodSync(at('stranger.key'), 0o600), resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('stranger.key')}), env())), /sslkey: .*stranger\.key does not belong to the certificate .*client\.crt$/],
		['an encrypted key and no sslpassword', () => resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('client-encrypted.key')}), env()), /sslkey: .*client-encrypted\.key is encrypted: give sslpassword$/],
		['an encrypted key and a wrong sslpassword', () => resolvePostgresSsl(given({sslcert: at('client.crt'), sslkey: at('client-encrypted.key'), sslpassword: 'wrong-guess-2718'}), env()), /client-encrypted\.key cannot be decrypted with sslpassword$/],
	];
	for (const [name, run, expected] of cases) {
		it(name, () => {
			const message = refusal(run);
			assert.match(message, expected);
			assert.ok(!message.includes(KEY_PASSWORD) && !message.includes('wrong-guess-2718') && !message.includes('PRIVATE KEY'), message);
		});
	}
});

describe("the superuser section's SSL keys, as Patroni reads them", () => {
	const file = at('patronictl.yaml');
	const resolve = (variables: NodeJS.ProcessEnv = {}) => resolveMonitorConfig({config: file}, env(variables), () => true).postgres;

	it('reads sslmode, sslrootcert, sslcert, sslkey and sslpassword under postgresql.authentication.superuser', () => {
		fs.writeFileSync(
			file,
			`scope: s\netcd3: {host: 127.0.0.1:2379}\npostgresql:\n  authentication:\n    superuser:\n      username: su\n      password: pw\n      sslmode: verify-ca\n      sslrootcert: ${at('ca.crt')}\n      sslcert: ${at('client.crt')}\n      sslkey: ${at('client-encrypted.key')}\n      sslpassword: ${KEY_PASSWORD}\n`,
		);
		const postgres = resolve({PGSSLMODE: 'disable'});
		assert.equal(postgres.user, 'su');
		assert.equal(postgres.ssl?.mode, 'verify-ca', 'the file wins over PGSSLMODE');
		assert.equal(postgres.ssl?.tls.ca?.path, at('ca.crt'));
		assert.equal(postgres.ssl?.tls.keyPassword, KEY_PASSWORD);
	});

	it('takes PATRONI_SUPERUSER_SSL* over the file (utils.patch_config), and names the variable in a refusal', () => {
		assert.equal(resolve({PATRONI_SUPERUSER_SSLMODE: 'verify-full'}).ssl?.tls.verifyHostname, true);
		assert.match(refusal(() => resolve({PATRONI_SUPERUSER_SSLMODE: 'strict'})), /^PATRONI_SUPERUSER_SSLMODE: expected one of .*got "strict"$/);
		assert.match(refusal(() => resolve({PATRONI_SUPERUSER_SSLROOTCERT: at('gone.crt')})), /^PATRONI_SUPERUSER_SSLROOTCERT: cannot read .*gone\.crt: no such file$/);
	});

	it('with no SSL keys anywhere, the config carries none: libpq’s default', () => {
		fs.writeFileSync(file, 'scope: s\netcd3: {host: 127.0.0.1:2379}\npostgresql:\n  authentication:\n    superuser: {username: su, password: pw}\n');
		assert.deepEqual(resolve(), {user: 'su', password: 'pw'});
		assert.equal(resolve({PGSSLMODE: 'require'}).ssl?.mode, 'require');
	});
});
