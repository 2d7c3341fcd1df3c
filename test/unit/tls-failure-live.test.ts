import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {etcd2Client} from '../../source/clients/etcd2.js';
import {httpRequest} from '../../source/clients/http.js';
import type {TlsClientSettings} from '../../source/clients/tls-files.js';
import type {DcsView} from '../../source/model/views.js';
import {etcd3Source} from '../../source/sources/etcd3-source.js';
import type {SourceEvent} from '../../source/sources/source.js';
import {isOpensslAvailable, makeTestCerts, type CertAndKey, type TestCerts} from '../helpers/test-certs.js';
import {isAvailable, startThrowawayEtcd, type ThrowawayEtcd} from '../helpers/throwaway-etcd.js';

// What the REST client, the etcd v3 source and the etcd v2 client say for each TLS and authentication failure, on
// real servers on loopback: a node:https server and a throwaway etcd 3.4 with a TLS port that wants client
// certificates, a root user and its v2 API. Ports 27790–27799.
const PASSWORD = 'throwaway-live-pw';
const ETCD = {plain: 27790, peer: 27791, tls: 27792};
const PORTS = {https: 27793, wantsCert: 27794, plainHttp: 27795};
const REQUEST_TIMEOUT_MS = 1500;

let certs: TestCerts;
const pem = (file: string) => ({path: file, pem: fs.readFileSync(file)});
const trusting = (ca: string, client?: CertAndKey): TlsClientSettings => ({ca: pem(ca), ...(client ? {cert: pem(client.cert), key: pem(client.key)} : {}), verifyServer: true, verifyHostname: true});

async function listen(server: http.Server, port: number): Promise<http.Server> {
	await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
	return server;
}

function httpsServer(cert: CertAndKey, port: number, extra: https.ServerOptions = {}): Promise<http.Server> {
	const server = https.createServer({cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key), ...extra}, (_request, response) => response.end('{}'));
	return listen(server, port);
}

async function close(server: http.Server): Promise<void> {
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
}

async function restError(url: string, tls: TlsClientSettings): Promise<string> {
	const error = await httpRequest({url, timeoutMs: REQUEST_TIMEOUT_MS, tls}).then(() => undefined, (failed: Error) => failed);
	assert.ok(error, `${url} answered`);
	return error.message;
}

type Watched = {readonly events: SourceEvent<DcsView>[]; readonly stop: () => void};

function watchEtcd3(endpoint: string, options: {tls?: TlsClientSettings; username?: string; password?: string}): Watched {
	const events: SourceEvent<DcsView>[] = [];
	const controller = new AbortController();
	const source = etcd3Source({endpoints: [endpoint], namespace: '/service/', scope: 'live', requestTimeoutMs: REQUEST_TIMEOUT_MS, heartbeatMs: 1000, ...options});
	void (async () => {
		for await (const event of source(controller.signal)) events.push(event);
	})();
	return {events, stop: () => controller.abort()};
}

async function waitFor(watched: Watched, kind: 'error' | 'data', ms: number, since = 0): Promise<SourceEvent<DcsView>> {
	const start = Date.now();
	while (Date.now() - start < ms) {
		const found = watched.events.slice(since).find(event => event.kind === kind);
		if (found) return found;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
	assert.fail(`no ${kind} event within ${ms} ms; events: ${JSON.stringify(watched.events.map(event => (event.kind === 'error' ? event.error : event.kind)))}`);
}

async function firstEtcd3Error(endpoint: string, options: {tls?: TlsClientSettings; username?: string; password?: string}): Promise<string> {
	const watched = watchEtcd3(endpoint, options);
	try {
		const event = await waitFor(watched, 'error', 2 * REQUEST_TIMEOUT_MS);
		return event.kind === 'error' ? event.error : '';
	} finally {
		watched.stop();
	}
}

async function etcd2Read(endpoint: string, tls: TlsClientSettings): Promise<string> {
	const client = etcd2Client({endpoints: [endpoint], requestTimeoutMs: REQUEST_TIMEOUT_MS, tls}, '/service/live');
	try {
		return await client.read(AbortSignal.timeout(5000)).then(() => 'read', (error: Error) => error.message);
	} finally {
		client.close();
	}
}

describe('TLS and authentication failures in words, from real servers', {skip: (!isAvailable || !isOpensslAvailable) && 'etcd or openssl not installed'}, () => {
	let dir: string;
	let etcd: ThrowawayEtcd | undefined;
	const served = () => ({cert: path.join(dir, 'served.crt'), key: path.join(dir, 'served.key')});
	const serve = (pair: CertAndKey) => {
		fs.copyFileSync(pair.cert, served().cert);
		fs.copyFileSync(pair.key, served().key);
	};

	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-live-'));
		certs = await makeTestCerts(path.join(dir, 'certs'));
		serve(certs.server);
		const urls = `http://127.0.0.1:${ETCD.plain},https://127.0.0.1:${ETCD.tls}`;
		etcd = await startThrowawayEtcd({clientPort: ETCD.plain, peerPort: ETCD.peer, rootPassword: PASSWORD, extraArgs: [
			'--listen-client-urls', urls, '--advertise-client-urls', urls, '--cert-file', served().cert, '--key-file', served().key,
			'--trusted-ca-file', certs.ca.cert, '--client-cert-auth', '--enable-v2']});
	});
	after(async () => {
		await etcd?.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('the REST client names the server certificate, the client certificate, the key and the protocol', async () => {
		const url = `https://127.0.0.1:${PORTS.https}/patroni`;
		const ca = certs.ca.cert;
		const cases: Array<readonly [CertAndKey, TlsClientSettings, string]> = [
			[certs.expired, trusting(ca), "the server's certificate has expired (not after 2020-02-01)"],
			[certs.notYetValid, trusting(ca), "the server's certificate is not valid yet (not before 2099-01-01)"],
			[certs.otherName, trusting(ca), "the server's certificate is for elsewhere.invalid, not 127.0.0.1"],
			[certs.server, trusting(certs.otherCa.cert), `the server's certificate is not signed by the CA in ${certs.otherCa.cert}`],
			[certs.server, {...trusting(ca, certs.client), key: pem(certs.foreignClient.key)}, `the client key ${certs.foreignClient.key} does not belong to the client certificate ${certs.client.cert}`],
		];
		for (const [cert, tls, sentence] of cases) {
			const server = await httpsServer(cert, PORTS.https);
			try {
				assert.equal(await restError(url, tls), sentence);
			} finally {
				await close(server);
			}
		}
		const good = await httpsServer(certs.server, PORTS.https);
		const wantsCert = await httpsServer(certs.server, PORTS.wantsCert, {requestCert: true, rejectUnauthorized: true, ca: fs.readFileSync(ca)});
		const plain = await listen(http.createServer((_request, response) => response.end('{}')), PORTS.plainHttp);
		try {
			assert.equal((await httpRequest({url, timeoutMs: REQUEST_TIMEOUT_MS, tls: trusting(ca)})).status, 200, 'the right CA is taken');
			assert.equal(await restError(`https://127.0.0.1:${PORTS.wantsCert}/patroni`, trusting(ca)), 'the server wants a client certificate and none was sent');
			assert.equal(await restError(`https://127.0.0.1:${PORTS.plainHttp}/patroni`, trusting(ca)), 'https was used but the server answers plain http');
			// Node's TLS server hangs up on plain text without a word: the client's probe finds it speaks TLS.
			assert.equal(await restError(url.replace('https:', 'http:'), trusting(ca)), 'the server speaks TLS but the endpoint says http');
		} finally {
			await Promise.all([close(good), close(wantsCert), close(plain)]);
		}
	});

	it('the etcd v3 source names each failure, its password never', {timeout: 20_000}, async () => {
		const tlsUrl = `https://127.0.0.1:${ETCD.tls}`;
		const plainUrl = `http://127.0.0.1:${ETCD.plain}`;
		const ca = certs.ca.cert;
		const user = {username: 'root', password: PASSWORD};
		const sentences = await Promise.all([
			firstEtcd3Error(tlsUrl, {tls: trusting(certs.otherCa.cert, certs.client)}),
			firstEtcd3Error(tlsUrl, {tls: trusting(ca), ...user}),
			firstEtcd3Error(tlsUrl, {tls: trusting(ca, certs.foreignClient), ...user}),
			firstEtcd3Error(tlsUrl, {tls: trusting(ca, certs.expired), ...user}),
			firstEtcd3Error(tlsUrl, {tls: {...trusting(ca, certs.client), key: pem(certs.foreignClient.key)}, ...user}),
			firstEtcd3Error(plainUrl.replace('http:', 'https:'), {tls: trusting(ca), ...user}),
			firstEtcd3Error(tlsUrl.replace('https:', 'http:'), {}),
			firstEtcd3Error(plainUrl, {username: 'root', password: 'not-the-password'}),
			firstEtcd3Error(plainUrl, {}),
		]);
		assert.deepEqual(sentences, [
			`etcd range: etcd's certificate is not signed by the CA in ${certs.otherCa.cert}`,
			'etcd range: etcd wants a client certificate and none was sent',
			`etcd range: etcd refused our client certificate ${certs.foreignClient.cert} (not signed by a CA it trusts, or not one for a client)`,
			`etcd range: etcd refused our client certificate ${certs.expired.cert}: it has expired (not after 2020-02-01)`,
			// grpc-js reads the key when the client is made: before any call, so no call's name.
			`the client key ${certs.foreignClient.key} does not belong to the client certificate ${certs.client.cert}`,
			'etcd range: https was used but etcd answers plain http',
			'etcd range: etcd speaks TLS but the endpoint says http',
			'etcd range: etcd refused the user root: wrong password or no such user (authentication failed)',
			'etcd range: etcd has authentication on: a user is needed',
		]);
		assert.doesNotMatch(sentences.join('\n'), /throwaway-live-pw|not-the-password/);
	});

	it('etcd v3 (where grpc-js says "Last error: null") and v2 say an expired certificate; the v3 source retries and reads once it is replaced', {timeout: 30_000}, async () => {
		serve(certs.expired);
		await etcd!.restart();
		const watched = watchEtcd3(`https://127.0.0.1:${ETCD.tls}`, {tls: trusting(certs.ca.cert, certs.client), username: 'root', password: PASSWORD});
		try {
			const started = Date.now();
			const error = await waitFor(watched, 'error', 3 * REQUEST_TIMEOUT_MS);
			assert.equal(error.kind === 'error' && error.error, "etcd range: etcd's certificate has expired (not after 2020-02-01)");
			assert.ok(Date.now() - started < REQUEST_TIMEOUT_MS + 500, `the sentence took ${Date.now() - started} ms: longer than the call's deadline`);
			assert.equal(await etcd2Read(`https://127.0.0.1:${ETCD.tls}`, trusting(certs.ca.cert, certs.client)), "etcd v2 read: etcd's certificate has expired (not after 2020-02-01)");
			serve(certs.server);
			await etcd!.restart();
			await waitFor(watched, 'data', 10_000, watched.events.length);
		} finally {
			watched.stop();
			serve(certs.server);
		}
	});

	it('the etcd v2 client names the CA, the missing client certificate and the protocol, and reads with the right ones', async () => {
		const tlsUrl = `https://127.0.0.1:${ETCD.tls}`;
		assert.equal(await etcd2Read(tlsUrl, trusting(certs.otherCa.cert, certs.client)), `etcd v2 read: etcd's certificate is not signed by the CA in ${certs.otherCa.cert}`);
		assert.equal(await etcd2Read(tlsUrl, trusting(certs.ca.cert)), 'etcd v2 read: etcd wants a client certificate and none was sent');
		assert.equal(await etcd2Read(`https://127.0.0.1:${ETCD.plain}`, trusting(certs.ca.cert, certs.client)), 'etcd v2 read: https was used but etcd answers plain http');
		assert.equal(await etcd2Read(tlsUrl, trusting(certs.ca.cert, certs.client)), 'read');
	});
});
