// The TLS lab's CA and certificates, made with Debian's openssl and checked with it: they verify against the CA,
// name 127.0.0.1 and localhost, keep their keys 0600, and are made once.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {certificatesDigest, ensureLabCertificates, type TlsPaths} from '../../source/lab/tls-certs.js';

const run = promisify(execFile);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-unit-tls-certs-'));
after(() => fs.rmSync(root, {recursive: true, force: true}));

// The lab gives the keys to its containers' user; here the test's own, so nothing needs root.
const owner = {uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0};
const mode = (file: string) => fs.statSync(file).mode & 0o777;

async function openssl(args: readonly string[]): Promise<string> {
	const {stdout} = await run('openssl', args);
	return stdout;
}

describe('the TLS lab certificates (real openssl)', () => {
	const dir = path.join(root, 'tls');
	let paths: TlsPaths;
	before(async () => {
		paths = await ensureLabCertificates(dir, owner);
	});

	it('verify against the lab CA, as openssl verify says', async () => {
		const said = await openssl(['verify', '-CAfile', paths.ca, paths.serverCert, paths.clientCert]);
		assert.equal(said.trim(), `${paths.serverCert}: OK\n${paths.clientCert}: OK`);
	});

	it('name 127.0.0.1 and localhost (SAN) on the server certificate, for servers and for the gateway that dials as a client', async () => {
		const text = await openssl(['x509', '-in', paths.serverCert, '-noout', '-ext', 'subjectAltName,extendedKeyUsage']);
		assert.match(text, /IP Address:127\.0\.0\.1/);
		assert.match(text, /DNS:localhost/);
		assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
	});

	it('give the client certificate no Common Name (etcd 3.4 refuses one on its gateway once users are on)', async () => {
		const subject = await openssl(['x509', '-in', paths.clientCert, '-noout', '-subject']);
		assert.doesNotMatch(subject, /CN ?=/);
		assert.match(await openssl(['x509', '-in', paths.clientCert, '-noout', '-ext', 'extendedKeyUsage']), /TLS Web Client Authentication/);
	});

	it('last 825 days, and the CA is a CA', async () => {
		const text = await openssl(['x509', '-in', paths.serverCert, '-noout', '-startdate', '-enddate']);
		const [start, end] = [...text.matchAll(/=(.+)$/gm)].map(match => Date.parse(match[1]!));
		assert.equal(Math.round((end! - start!) / 86_400_000), 825);
		assert.match(await openssl(['x509', '-in', paths.ca, '-noout', '-ext', 'basicConstraints']), /CA:TRUE/);
	});

	it('keep private keys 0600 and certificates 0644; HAProxy gets the server certificate and key in one file', () => {
		for (const key of [paths.serverKey, paths.clientKey, paths.haproxyPem, path.join(dir, 'ca.key')]) assert.equal(mode(key), 0o600, key);
		for (const cert of [paths.ca, paths.serverCert, paths.clientCert]) assert.equal(mode(cert), 0o644, cert);
		const pem = fs.readFileSync(paths.haproxyPem, 'utf8');
		assert.equal(pem, fs.readFileSync(paths.serverCert, 'utf8') + fs.readFileSync(paths.serverKey, 'utf8'));
	});

	it('are made once: a second call keeps every file as it was', async () => {
		const before = certificatesDigest(paths);
		const keys = [paths.serverKey, paths.clientKey].map(file => fs.readFileSync(file, 'utf8'));
		await ensureLabCertificates(dir, owner);
		assert.equal(certificatesDigest(paths), before);
		assert.deepEqual([paths.serverKey, paths.clientKey].map(file => fs.readFileSync(file, 'utf8')), keys);
	});

	it('make only what is missing, from the same CA (a removed server certificate comes back signed by it)', async () => {
		const ca = fs.readFileSync(paths.ca, 'utf8');
		const client = fs.readFileSync(paths.clientCert, 'utf8');
		fs.rmSync(paths.serverCert);
		await ensureLabCertificates(dir, owner);
		assert.equal(fs.readFileSync(paths.ca, 'utf8'), ca);
		assert.equal(fs.readFileSync(paths.clientCert, 'utf8'), client);
		assert.match(await openssl(['verify', '-CAfile', paths.ca, paths.serverCert]), /: OK/);
		assert.ok(fs.readFileSync(paths.haproxyPem, 'utf8').startsWith(fs.readFileSync(paths.serverCert, 'utf8')), "HAProxy's pem follows the new certificate");
	});
});
