/**
 * The lab's own certificate authority and the two certificates `lab up --tls` runs on, made with Debian's openssl
 * (run with execFile, no shell) into <state>/tls once and kept: a second `lab up` finds them and makes nothing.
 * Private keys are 0600 and never printed; openssl's stderr, quoted when it fails, holds no key.
 */
import {execFile} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import type {LabUser} from './image.js';

const run = promisify(execFile);

export const TLS_DIR_NAME = 'tls';
export const OPENSSL = '/usr/bin/openssl';
/** Apple's and browsers' ceiling for a certificate's life; long enough that a lab never sees one expire. */
const VALID_DAYS = 825;

/** Where each file is, on the host (<state>/tls) or inside a container (the same folder mounted read-only). */
export type TlsPaths = {
	readonly dir: string;
	readonly ca: string;
	/** For etcd, Patroni's REST API, PostgreSQL and HAProxy's stats: 127.0.0.1 and localhost. */
	readonly serverCert: string;
	readonly serverKey: string;
	/** For every client: Patroni itself (etcd, other members' APIs), patronictl, the monitor, etcdctl. */
	readonly clientCert: string;
	readonly clientKey: string;
	/** HAProxy's `crt`: the server certificate followed by its key, in one file. */
	readonly haproxyPem: string;
};

export function tlsPaths(dir: string): TlsPaths {
	const at = (name: string) => path.posix.join(dir, name);
	return {
		dir,
		ca: at('ca.crt'),
		serverCert: at('server.crt'),
		serverKey: at('server.key'),
		clientCert: at('client.crt'),
		clientKey: at('client.key'),
		haproxyPem: at('haproxy.pem'),
	};
}

export function labTlsDir(stateDir: string): string {
	return path.join(stateDir, TLS_DIR_NAME);
}

/** Where a TLS lab's containers see <state>/tls (mounted read-only): the same files, by these paths. */
export const CONTAINER_TLS_DIR = '/tls';
export const CONTAINER_TLS = tlsPaths(CONTAINER_TLS_DIR);

/** The CA's key stays with root on the host: no container, running as the lab's user, can read it. */
function caKeyPath(dir: string): string {
	return path.join(dir, 'ca.key');
}

async function openssl(args: readonly string[]): Promise<void> {
	try {
		await run(OPENSSL, args, {timeout: 30_000});
	} catch (error) {
		const failed = error as {stderr?: string; message: string};
		const said = (failed.stderr ?? '').trim().split('\n').slice(-3).join('; ');
		throw new Error(`openssl ${args[0]} failed: ${said || failed.message}`);
	}
}

async function makeKey(file: string): Promise<void> {
	await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
	fs.chmodSync(file, 0o600);
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
/**
 * The server certificate is also a client certificate: etcd's gRPC gateway dials etcd's own gRPC server with it. Its
 * Common Name is no etcd user, so that dial is nobody in particular.
 */
const SERVER_EXTENSIONS = [
	'basicConstraints=critical,CA:FALSE',
	'keyUsage=critical,digitalSignature',
	'extendedKeyUsage=serverAuth,clientAuth',
	'subjectAltName=IP:127.0.0.1,DNS:localhost',
];
const CLIENT_EXTENSIONS = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];

/**
 * The client certificate carries no Common Name: with --client-cert-auth and etcd's users enabled, etcd 3.4's gateway
 * (the HTTP API Patroni's etcd3 client speaks) answers 400 "CommonName of client sending a request against gateway
 * will be ignored" to any certificate that has one. Who the client is comes from etcd's root user and its password.
 */
const CLIENT_SUBJECT = '/O=patroni-tui lab/OU=client';

async function makeCertificate(dir: string, subject: string, key: string, out: string, extensions: readonly string[], isCa: boolean): Promise<void> {
	const signer = isCa ? [] : ['-CA', path.join(dir, 'ca.crt'), '-CAkey', caKeyPath(dir)];
	const added = extensions.flatMap(extension => ['-addext', extension]);
	await openssl(['req', '-x509', '-new', '-key', key, ...signer, '-subj', subject, '-days', String(VALID_DAYS), ...added, '-out', out]);
	fs.chmodSync(out, 0o644);
}

function exists(file: string): boolean {
	return fs.existsSync(file);
}

/**
 * Makes whatever is missing of the CA, the server and client certificates and HAProxy's pem, and keeps what is
 * there. A new CA means new certificates: old ones would not verify against it. The keys the containers read are
 * given to the lab's user (`owner`), as PostgreSQL wants its key owned by the user it runs as, with mode 0600.
 */
export async function ensureLabCertificates(dir: string, owner: LabUser): Promise<TlsPaths> {
	const paths = tlsPaths(dir);
	fs.mkdirSync(dir, {recursive: true, mode: 0o755});
	const isNewCa = !exists(paths.ca) || !exists(caKeyPath(dir));
	if (isNewCa) {
		await makeKey(caKeyPath(dir));
		await makeCertificate(dir, '/O=patroni-tui lab/CN=patroni-tui lab CA', caKeyPath(dir), paths.ca, CA_EXTENSIONS, true);
	}
	if (isNewCa || !exists(paths.serverCert) || !exists(paths.serverKey)) {
		await makeKey(paths.serverKey);
		await makeCertificate(dir, '/O=patroni-tui lab/CN=localhost', paths.serverKey, paths.serverCert, SERVER_EXTENSIONS, false);
		fs.rmSync(paths.haproxyPem, {force: true});
	}
	if (isNewCa || !exists(paths.clientCert) || !exists(paths.clientKey)) {
		await makeKey(paths.clientKey);
		await makeCertificate(dir, CLIENT_SUBJECT, paths.clientKey, paths.clientCert, CLIENT_EXTENSIONS, false);
	}
	if (!exists(paths.haproxyPem)) {
		const pem = Buffer.concat([fs.readFileSync(paths.serverCert), fs.readFileSync(paths.serverKey)]);
		fs.writeFileSync(paths.haproxyPem, pem, {mode: 0o600});
	}
	for (const file of [paths.serverKey, paths.clientKey, paths.haproxyPem]) {
		fs.chmodSync(file, 0o600);
		fs.chownSync(file, owner.uid, owner.gid);
	}
	return paths;
}

/** A digest of the certificates, so a container made with other ones (tls/ removed, made anew) is replaced. */
export function certificatesDigest(paths: TlsPaths): string {
	const hash = crypto.createHash('sha256');
	for (const file of [paths.ca, paths.serverCert, paths.clientCert]) hash.update(fs.readFileSync(file));
	return hash.digest('hex').slice(0, 16);
}
