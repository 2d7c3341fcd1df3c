/**
 * What the TLS variant of a foreign cluster adds, written by hand from etcd's, Patroni's and PostgreSQL's docs (no
 * code from source/lab/): certificates from test-certs.ts in the cluster's own folder, etcd on https asking every
 * client for a certificate of that CA with its root user and auth on, Patroni's REST API on https, PostgreSQL with
 * ssl on and hostssl lines only, and the keys a user writes into patronictl.yaml for all of it.
 */
import {execFile, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {makeTestCerts, type CertAndKey, type TestCerts} from './test-certs.js';

const run = promisify(execFile);

/** The etcd user Patroni, patronictl and the monitor log in as, with its password. */
export const ETCD_USER = 'root';

/** test-certs.ts's set, and the client certificate every client here shows. */
export type ForeignCerts = TestCerts & {readonly user: CertAndKey};

/**
 * A fresh set from test-certs.ts under `<dir>/tls` (removed with the folder), plus a client certificate with no
 * Common Name, signed by its CA: with --client-cert-auth and users on, etcd 3.4's gRPC gateway (the HTTP API
 * Patroni's etcd3 client speaks) refuses any client certificate that has one ("CommonName of client sending a
 * request against gateway will be ignored and not used as expected"), so test-certs' CN=root cannot serve here.
 */
export async function makeForeignCerts(dir: string): Promise<ForeignCerts> {
	const certs = await makeTestCerts(path.join(dir, 'tls'));
	const user = {cert: path.join(certs.dir, 'user.crt'), key: path.join(certs.dir, 'user.key')};
	await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-keyout', user.key, '-out', user.cert,
		'-subj', '/O=billing/OU=patroni clients', '-days', '30', '-CA', certs.ca.cert, '-CAkey', certs.ca.key,
		'-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=clientAuth'], {timeout: 30_000});
	fs.chmodSync(user.key, 0o600);
	return {...certs, user};
}

/** etcd's client URL on https, every client asked for a certificate of the CA; the peer URL stays loopback http. */
export function etcdTlsFlags(certs: ForeignCerts): string[] {
	return [`--cert-file=${certs.server.cert}`, `--key-file=${certs.server.key}`, `--trusted-ca-file=${certs.ca.cert}`, '--client-cert-auth'];
}

/** Patroni's (and patronictl's) etcd3 keys: dcs/etcd.py reads protocol, cacert, cert, key, username, password. */
export function etcdTlsKeys(certs: ForeignCerts, password: string): Record<string, string> {
	return {protocol: 'https', cacert: certs.ca.cert, cert: certs.user.cert, key: certs.user.key, username: ETCD_USER, password};
}

/** REST on https; verify_client optional makes unsafe requests (switchover, restart) show a certificate of the CA. */
export function restapiTlsKeys(certs: ForeignCerts): Record<string, string> {
	return {certfile: certs.server.cert, keyfile: certs.server.key, cafile: certs.ca.cert, verify_client: 'optional'};
}

/** How patronictl (and a member calling another) reaches the REST API: request.py reads `ctl` first. */
export function ctlTlsKeys(certs: ForeignCerts): Record<string, string> {
	return {cacert: certs.ca.cert, certfile: certs.user.cert, keyfile: certs.user.key};
}

/** libpq's settings for a connection that verifies the server's certificate and its address. */
export function libpqTlsKeys(certs: ForeignCerts): Record<string, string> {
	return {sslmode: 'verify-full', sslrootcert: certs.ca.cert};
}

export function postgresTlsParameters(certs: ForeignCerts): Record<string, string> {
	return {ssl: 'on', ssl_cert_file: certs.server.cert, ssl_key_file: certs.server.key};
}

/** SSL only over TCP (a `host` line would let a client in without it); the Unix socket keeps peer authentication. */
export function tlsHbaLines(host: string): string[] {
	return ['local all all peer', `hostssl replication replicator ${host}/32 scram-sha-256`, `hostssl all all ${host}/32 scram-sha-256`];
}

export type EtcdctlOutcome = {readonly code: number; readonly stdout: string; readonly stderr: string};

/**
 * etcdctl v3 on the https endpoint with the CA and client certificate, as root: the password in its environment
 * (ETCDCTL_PASSWORD), never in its arguments; `input` goes to its standard input.
 */
export function etcdctlTls(endpointUrl: string, certs: ForeignCerts, password: string, args: readonly string[], input = ''): Promise<EtcdctlOutcome> {
	const env = {
		PATH: '/usr/bin:/bin',
		LANG: 'C.UTF-8',
		ETCDCTL_API: '3',
		ETCDCTL_ENDPOINTS: endpointUrl,
		ETCDCTL_CACERT: certs.ca.cert,
		ETCDCTL_CERT: certs.user.cert,
		ETCDCTL_KEY: certs.user.key,
		ETCDCTL_USER: ETCD_USER,
		ETCDCTL_PASSWORD: password,
		ETCDCTL_DIAL_TIMEOUT: '2s',
		ETCDCTL_COMMAND_TIMEOUT: '5s',
	};
	return new Promise((resolve, reject) => {
		const child = spawn('/usr/bin/etcdctl', [...args], {env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 15_000});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += String(chunk)));
		child.stderr.on('data', chunk => (stderr += String(chunk)));
		child.on('error', reject);
		child.on('close', code => resolve({code: code ?? 1, stdout, stderr}));
		child.stdin.end(input);
	});
}

/** etcdctl's own last words, without its JSON retry warnings. */
const said = (outcome: EtcdctlOutcome) => outcome.stderr.split('\n').filter(line => line.trim() && !line.startsWith('{')).slice(-2).join('; ') || `exit code ${outcome.code}`;

/**
 * Adds user root (its password on etcdctl's standard input: `--interactive=false` reads it from there), gives it
 * the root role and turns authentication on. Before auth is on, etcd ignores the login etcdctl's environment asks.
 */
export async function enableEtcdAuth(endpointUrl: string, certs: ForeignCerts, password: string): Promise<void> {
	const steps: ReadonlyArray<readonly [string, readonly string[], string?]> = [
		['add user root', ['user', 'add', ETCD_USER, '--interactive=false'], `${password}\n`],
		['grant the root role', ['user', 'grant-role', ETCD_USER, 'root']],
		['enable authentication', ['auth', 'enable']],
	];
	for (const [what, args, input] of steps) {
		const outcome = await etcdctlTls(endpointUrl, certs, password, args, input);
		if (outcome.code !== 0) throw new Error(`etcdctl could not ${what}: ${said(outcome)}`);
	}
}

/** True once etcd answers `endpoint health` over TLS (as root once auth is on). */
export async function isEtcdHealthy(endpointUrl: string, certs: ForeignCerts, password: string): Promise<true | undefined> {
	return (await etcdctlTls(endpointUrl, certs, password, ['endpoint', 'health'])).code === 0 ? true : undefined;
}
