import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {after, before, describe, it} from 'node:test';
import {Etcd3} from 'etcd3';
import {tlsContext, type TlsFailureContext} from '../../source/clients/tls-failure.js';
import {probeTls} from '../../source/clients/tls-probe.js';
import {isOpensslAvailable, makeTestCerts, type CertAndKey, type TestCerts} from '../helpers/test-certs.js';
import {isAvailable, startThrowawayEtcd, type ThrowawayEtcd} from '../helpers/throwaway-etcd.js';

// Records the errors Node, grpc-js (through etcd3 1.1.2) and etcd 3.4 really give for each TLS and authentication
// failure, as test/fixtures/tls-errors.json: code, message and cause chain, the peer certificate's names and dates,
// never a key. TLS_ERRORS_RECORD=1 writes the file; otherwise each run checks the file still says what the real
// servers say, so the unit test on it (tls-failure.test.ts) cannot drift from the real thing. Ports 27781–27789.
const FIXTURE = path.join(import.meta.dirname, '../fixtures/tls-errors.json');
const PASSWORD = 'throwaway-record-pw';
const ETCD = {plain: 27781, peer: 27782, tls: 27783};
const PORTS = {node: 27784, nodeWantsCert: 27785, plainHttp: 27786};

export type RecordedError = {
	readonly name?: string; readonly code?: string; readonly message?: string; readonly reason?: string; readonly host?: string; readonly details?: string;
	readonly cert?: {readonly subjectaltname?: string; readonly subject?: {readonly CN?: string | readonly string[]}; readonly valid_from?: string; readonly valid_to?: string};
	readonly cause?: RecordedError;
};
export type RecordedCase = {readonly name: string; readonly via: string; readonly settings: {readonly ca?: string; readonly cert?: string; readonly key?: string; readonly keyPassword?: 'given'; readonly user?: string; readonly scheme: 'https' | 'http'; readonly certOutOfDate?: TlsFailureContext['clientCertOutOfDate']}; readonly error: RecordedError | null};

let certsDir = '';
const selfSigned = (): CertAndKey => ({cert: path.join(certsDir, 'self-signed.crt'), key: path.join(certsDir, 'self-signed.key')});
/** Paths under the temporary directory, OpenSSL's per-process addresses and grpc-js's timestamps vary from run to run. */
const normal = (text: string) => text.replaceAll(certsDir, '<certs>').replace(/\b[0-9A-F]{16}:error/g, '<thread>:error').replace(/ \(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, ' (<time>)');

function record(error: unknown, depth = 0): RecordedError | null {
	if (!error || typeof error !== 'object' || depth > 4) return null;
	const found = error as Record<string, unknown> & {cert?: tls.PeerCertificate};
	const text = (key: string) => (typeof found[key] === 'string' ? {[key]: normal(found[key])} : {});
	const cert = found.cert && {subjectaltname: found.cert.subjectaltname, subject: {CN: found.cert.subject?.CN}, valid_from: found.cert.valid_from, valid_to: found.cert.valid_to};
	const cause = record(found.cause, depth + 1);
	return {...text('name'), ...text('code'), ...text('message'), ...text('reason'), ...text('host'), ...text('details'), ...(cert ? {cert} : {}), ...(cause ? {cause} : {})};
}

const read = (file: string) => fs.readFileSync(file);

function nodeGet(url: string, options: https.RequestOptions): Promise<unknown> {
	return new Promise(resolve => {
		try {
			const request = (url.startsWith('https:') ? https : http).get(url, {agent: false, ...options}, response => {
				response.resume();
				resolve(undefined);
			});
			request.on('error', resolve);
		} catch (error) {
			resolve(error); // a key that does not open fails before any connection
		}
	});
}

async function etcd3Error(endpoint: string, options: {ca?: string; pair?: CertAndKey; user?: string; password?: string}): Promise<unknown> {
	let client: Etcd3 | undefined;
	try {
		const credentials = endpoint.startsWith('https:') ? {rootCertificate: read(options.ca!), ...(options.pair ? {certChain: read(options.pair.cert), privateKey: read(options.pair.key)} : {})} : undefined;
		client = new Etcd3({hosts: [endpoint], credentials, auth: options.user ? {username: options.user, password: options.password ?? ''} : undefined, defaultCallOptions: () => ({deadline: Date.now() + 3000})});
		await client.getAll().prefix('/record/').keys();
		return undefined;
	} catch (error) {
		return error;
	} finally {
		client?.close();
	}
}

async function tlsServer(cert: CertAndKey, port: number, extra: tls.TlsOptions = {}): Promise<tls.Server> {
	const server = tls.createServer({cert: read(cert.cert), key: read(cert.key), ...extra}, socket => socket.end('HTTP/1.0 200 OK\r\n\r\n'));
	server.on('tlsClientError', () => undefined);
	await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
	return server;
}

describe('real TLS and authentication errors, as tls-errors.json records them', {skip: (!isAvailable || !isOpensslAvailable) && 'etcd or openssl not installed'}, () => {
	let certs: TestCerts;
	let etcd: ThrowawayEtcd | undefined;
	const servers: Array<tls.Server | http.Server> = [];
	const cases: RecordedCase[] = [];

	before(async () => {
		certsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-record-'));
		certs = await makeTestCerts(certsDir);
		const encrypted = path.join(certsDir, 'client-encrypted.key');
		execFileSync('openssl', ['pkey', '-in', certs.client.key, '-aes256', '-passout', 'pass:record-key-pw', '-out', encrypted]);
		execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-keyout', selfSigned().key, '-out', selfSigned().cert,
			'-subj', '/CN=127.0.0.1', '-days', '30', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:FALSE'], {stdio: 'ignore'});
		const urls = `http://127.0.0.1:${ETCD.plain},https://127.0.0.1:${ETCD.tls}`;
		etcd = await startThrowawayEtcd({clientPort: ETCD.plain, peerPort: ETCD.peer, rootPassword: PASSWORD, extraArgs: [
			'--listen-client-urls', urls, '--advertise-client-urls', urls, '--cert-file', certs.server.cert, '--key-file', certs.server.key,
			'--trusted-ca-file', certs.ca.cert, '--client-cert-auth']});
	});
	after(async () => {
		for (const server of servers) server.close();
		await etcd?.stop();
		fs.rmSync(certsDir, {recursive: true, force: true});
	});

	/** One case: the settings it used (paths as the fixture shows them) and the error it got. */
	const add = (name: string, via: string, settings: RecordedCase['settings'], error: unknown) => {
		const paths = JSON.parse(normal(JSON.stringify(settings))) as RecordedCase['settings'];
		// Our certificate's dates, judged when the error was recorded: what the failure's sentence may rely on.
		const certOutOfDate = settings.cert && tlsContext('', 'https', {cert: {path: settings.cert, pem: read(settings.cert)}, verifyServer: true, verifyHostname: true}).clientCertOutOfDate;
		cases.push({name, via, settings: {...paths, ...(certOutOfDate ? {certOutOfDate} : {})}, error: record(error)});
	};

	it('Node https: certificates, client certificates, keys and protocols', async () => {
		const node = `https://127.0.0.1:${PORTS.node}/`;
		const serve = async (cert: CertAndKey, port = PORTS.node, extra: tls.TlsOptions = {}) => servers.push(await tlsServer(cert, port, extra));
		const withServer = async (cert: CertAndKey, run: () => Promise<void>) => {
			const server = await tlsServer(cert, PORTS.node);
			try {
				await run();
			} finally {
				await new Promise(resolve => server.close(resolve));
			}
		};
		const ca = certs.ca.cert;
		for (const [name, cert] of [['expired', certs.expired], ['not yet valid', certs.notYetValid], ['for another name', certs.otherName], ['self-signed', selfSigned()], ['a CA\'s own certificate', certs.otherCa]] as const) {
			await withServer(cert, async () => add(`https: ${name}`, 'node:https', {ca, scheme: 'https'}, await nodeGet(node, {ca: read(ca)})));
		}
		await withServer(certs.server, async () => {
			add('https: signed by another CA', 'node:https', {ca: certs.otherCa.cert, scheme: 'https'}, await nodeGet(node, {ca: read(certs.otherCa.cert)}));
			add('https: no CA file, Node\'s store', 'node:https', {scheme: 'https'}, await nodeGet(node, {}));
			add('https: key of another certificate', 'node:https', {ca, cert: certs.client.cert, key: certs.foreignClient.key, scheme: 'https'},
				await nodeGet(node, {ca: read(ca), cert: read(certs.client.cert), key: read(certs.foreignClient.key)}));
			const encrypted = path.join(certsDir, 'client-encrypted.key');
			add('https: encrypted key, no password', 'node:https', {ca, cert: certs.client.cert, key: encrypted, scheme: 'https'},
				await nodeGet(node, {ca: read(ca), cert: read(certs.client.cert), key: read(encrypted)}));
			add('https: encrypted key, wrong password', 'node:https', {ca, cert: certs.client.cert, key: encrypted, keyPassword: 'given', scheme: 'https'},
				await nodeGet(node, {ca: read(ca), cert: read(certs.client.cert), key: read(encrypted), passphrase: 'not-the-key-pw'}));
			add('http to a TLS server', 'node:http', {scheme: 'http'}, await nodeGet(node.replace('https:', 'http:'), {}));
		});
		await serve(certs.server, PORTS.nodeWantsCert, {requestCert: true, rejectUnauthorized: true, ca: read(ca)});
		add('https: Node wants a client certificate', 'node:https', {ca, scheme: 'https'}, await nodeGet(`https://127.0.0.1:${PORTS.nodeWantsCert}/`, {ca: read(ca)}));
		const plain = http.createServer((_request, response) => response.end('plain'));
		await new Promise<void>(resolve => plain.listen(PORTS.plainHttp, '127.0.0.1', resolve));
		servers.push(plain);
		add('https to a plain http server', 'node:https', {ca, scheme: 'https'}, await nodeGet(`https://127.0.0.1:${PORTS.plainHttp}/`, {ca: read(ca)}));
		add('nothing listening', 'node:https', {ca, scheme: 'https'}, await nodeGet('https://127.0.0.1:27789/', {ca: read(ca)}));
		assert.ok(cases.every(each => each.error !== null), `every case failed: ${cases.filter(each => !each.error).map(each => each.name).join(', ')}`);
	});

	it('grpc-js to etcd 3.4 (and to a TLS server for the server certificate cases)', {timeout: 30_000}, async () => {
		const etcdTls = `https://127.0.0.1:${ETCD.tls}`;
		const etcdPlain = `http://127.0.0.1:${ETCD.plain}`;
		const ca = certs.ca.cert;
		const count = cases.length;
		for (const [name, cert] of [['expired', certs.expired], ['for another name', certs.otherName]] as const) {
			const server = await tlsServer(cert, PORTS.node);
			add(`grpc: ${name}`, 'etcd3', {ca, scheme: 'https'}, await etcd3Error(`https://127.0.0.1:${PORTS.node}`, {ca}));
			// etcd3's auth call goes first on a channel of its own: grpc-js then says "Last error: null".
			add(`grpc with a user: ${name}`, 'etcd3', {ca, user: 'root', scheme: 'https'}, await etcd3Error(`https://127.0.0.1:${PORTS.node}`, {ca, user: 'root', password: PASSWORD}));
			add(`probe: ${name}`, 'tls-probe', {ca, scheme: 'https'}, await probeTls({host: '127.0.0.1', port: PORTS.node, expectsTls: true, tls: {ca: {path: ca, pem: read(ca)}, verifyServer: true, verifyHostname: true}}, AbortSignal.timeout(2000)));
			await new Promise(resolve => server.close(resolve));
		}
		add('grpc: signed by another CA', 'etcd3', {ca: certs.otherCa.cert, scheme: 'https'}, await etcd3Error(etcdTls, {ca: certs.otherCa.cert}));
		add('grpc: etcd wants a client certificate', 'etcd3', {ca, scheme: 'https'}, await etcd3Error(etcdTls, {ca}));
		add('grpc: etcd refuses a client certificate of another CA', 'etcd3', {ca, cert: certs.foreignClient.cert, key: certs.foreignClient.key, scheme: 'https'},
			await etcd3Error(etcdTls, {ca, pair: certs.foreignClient}));
		add('grpc: etcd refuses an expired client certificate', 'etcd3', {ca, cert: certs.expired.cert, key: certs.expired.key, scheme: 'https'},
			await etcd3Error(etcdTls, {ca, pair: certs.expired}));
		add('grpc: https to etcd\'s plain port', 'etcd3', {ca, scheme: 'https'}, await etcd3Error(etcdPlain.replace('http:', 'https:'), {ca}));
		add('probe: https to etcd\'s plain port', 'tls-probe', {ca, scheme: 'https'}, await probeTls({host: '127.0.0.1', port: ETCD.plain, expectsTls: true}, AbortSignal.timeout(2000)));
		add('grpc: http to etcd\'s TLS port', 'etcd3', {scheme: 'http'}, await etcd3Error(etcdTls.replace('https:', 'http:'), {}));
		add('probe: http to etcd\'s TLS port', 'tls-probe', {scheme: 'http'}, await probeTls({host: '127.0.0.1', port: ETCD.tls, expectsTls: false}, AbortSignal.timeout(2000)));
		add('grpc: wrong password', 'etcd3', {user: 'root', scheme: 'http'}, await etcd3Error(etcdPlain, {user: 'root', password: 'not-the-password'}));
		add('grpc: no user, auth on', 'etcd3', {scheme: 'http'}, await etcd3Error(etcdPlain, {}));
		add('grpc: nothing listening', 'etcd3', {scheme: 'http'}, await etcd3Error('http://127.0.0.1:27789', {}));
		const failed = cases.slice(count);
		assert.ok(failed.every(each => each.error !== null), `every case failed: ${failed.filter(each => !each.error).map(each => each.name).join(', ')}`);
		const recorded = JSON.stringify(cases, null, '\t');
		assert.doesNotMatch(recorded, /PRIVATE KEY|throwaway-record-pw|record-key-pw|not-the-key-pw|not-the-password/, 'no key or password in the recording');
	});

	it('the fixture says what the real servers said', async () => {
		const recorded = `${JSON.stringify(cases, null, '\t')}\n`;
		if (process.env['TLS_ERRORS_RECORD'] === '1') fs.writeFileSync(FIXTURE, recorded);
		const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as RecordedCase[];
		// Certificates are made anew each run: their dates and the servers' words are compared, not the day they were made.
		// A reset in the handshake is "read ECONNRESET" or "disconnected before secure TLS ..." as timing has it (seen
		// under load): both are the same reset, for which the probe is there.
		const stable = (list: RecordedCase[]) => JSON.stringify(list, (key, value: unknown) => {
			// The reset itself, as a cause: its words and whether Node adds the host vary the same way.
			if (value && typeof value === 'object' && (value as {code?: unknown}).code === 'ECONNRESET') return {code: 'ECONNRESET'};
			if (typeof value !== 'string') return value;
			if ((key === 'valid_from' || key === 'valid_to') && !/20(20|99)/.test(value)) return '<made today>';
			return key === 'message' ? value.replace('Error: read ECONNRESET', 'Error: Client network socket disconnected before secure TLS connection was established') : value;
		});
		assert.equal(stable(cases), stable(fixture));
	});
});
