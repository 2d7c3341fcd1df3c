/**
 * Certificates for tests of TLS failures, made with Debian's openssl (execFile, no shell) into a directory the
 * caller gives: a CA and an unrelated one, server certificates that are right, for other names, expired and not
 * valid yet, and client certificates signed by each CA. EC P-256 keys, mode 0600, so one set per test file costs
 * a few tens of milliseconds. Missing openssl: `isOpensslAvailable` is false and tests skip.
 */
import {execFile, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export const isOpensslAvailable = spawnSync('sh', ['-c', 'command -v openssl'], {stdio: 'ignore'}).status === 0;

export type CertAndKey = {readonly cert: string; readonly key: string};

export type TestCerts = {
	readonly dir: string;
	/** The CA every good certificate is signed by; its key is here to sign more. */
	readonly ca: CertAndKey;
	/** A CA nothing else here is signed by except `foreignClient`. */
	readonly otherCa: CertAndKey;
	/** CN=127.0.0.1, SAN IP:127.0.0.1 and DNS:localhost, signed by `ca`, server and client use. */
	readonly server: CertAndKey;
	/** SAN DNS:elsewhere.invalid only, signed by `ca`. */
	readonly otherName: CertAndKey;
	/** For 127.0.0.1, signed by `ca`, valid in January 2020 only. */
	readonly expired: CertAndKey;
	/** For 127.0.0.1, signed by `ca`, valid from 2099 on. */
	readonly notYetValid: CertAndKey;
	/** CN=root (an etcd user's name), signed by `ca`, client use. */
	readonly client: CertAndKey;
	/** CN=root, signed by `otherCa`: a server trusting `ca` rejects it. */
	readonly foreignClient: CertAndKey;
};

export const EXPIRED_NOT_AFTER = '2020-02-01T00:00:00Z';
export const NOT_YET_VALID_NOT_BEFORE = '2099-01-01T00:00:00Z';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc'];
/** Debian's openssl.cnf gives `req -x509` CA:true by default: a leaf says it is none. */
const LEAF = ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'];
const SERVER_SANS = 'IP:127.0.0.1,DNS:localhost';

async function openssl(args: readonly string[]): Promise<void> {
	try {
		await run('openssl', args, {timeout: 30_000});
	} catch (error) {
		const failed = error as {stderr?: string; message: string};
		throw new Error(`openssl ${args[0]} failed: ${(failed.stderr ?? failed.message).trim().split('\n').slice(-3).join('; ')}`);
	}
}

/** openssl's `ca` wants a database; this one keeps it under the directory, and copies the request's SAN. */
function caConfig(dir: string): string {
	const db = path.join(dir, 'ca-db');
	fs.mkdirSync(db, {recursive: true});
	fs.writeFileSync(path.join(db, 'index.txt'), '');
	fs.writeFileSync(path.join(db, 'serial'), '1000\n');
	const config = path.join(db, 'ca.cnf');
	fs.writeFileSync(config, [
		'[ca]', 'default_ca = test', '[test]',
		`database = ${path.join(db, 'index.txt')}`, `new_certs_dir = ${db}`, `serial = ${path.join(db, 'serial')}`,
		'default_md = sha256', 'policy = any', 'copy_extensions = copy', 'unique_subject = no',
		'[any]', 'commonName = supplied', '',
	].join('\n'));
	return config;
}

/**
 * A certificate for 127.0.0.1 (server and client use) signed by `by` for the given dates (openssl's
 * YYYYMMDDHHMMSSZ): `req -x509` takes no past dates in OpenSSL 3.0 (-days must be positive); `ca` takes
 * -startdate/-enddate. `config` is caConfig's; one database signs one certificate at a time.
 */
async function dated(made: CertAndKey, by: CertAndKey, config: string, start: string, end: string): Promise<CertAndKey> {
	const request = made.cert.replace(/\.crt$/, '.csr');
	await openssl(['req', '-new', ...EC_KEY, '-keyout', made.key, '-out', request, '-subj', '/CN=127.0.0.1', ...LEAF,
		'-addext', `subjectAltName=${SERVER_SANS}`, '-addext', 'extendedKeyUsage=serverAuth,clientAuth']);
	await openssl(['ca', '-batch', '-notext', '-config', config, '-cert', by.cert, '-keyfile', by.key, '-in', request, '-out', made.cert, '-startdate', start, '-enddate', end]);
	fs.chmodSync(made.key, 0o600);
	return made;
}

/** An expired certificate (January 2020) signed by another's CA, e.g. a TLS lab's (<state>/tls/ca.crt and ca.key). */
export async function makeExpiredCertBy(ca: CertAndKey, dir: string, name = 'expired-by-ca'): Promise<CertAndKey> {
	fs.mkdirSync(dir, {recursive: true});
	return dated({cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`)}, ca, caConfig(path.join(dir, name)), '20200101000000Z', '20200201000000Z');
}

export async function makeTestCerts(dir: string): Promise<TestCerts> {
	fs.mkdirSync(dir, {recursive: true});
	const pair = (name: string): CertAndKey => ({cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`)});
	const authority = async (name: string, subject: string) => {
		const made = pair(name);
		await openssl(['req', '-x509', ...EC_KEY, '-keyout', made.key, '-out', made.cert, '-subj', subject, '-days', '30',
			'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
		return made;
	};
	const leaf = async (name: string, by: CertAndKey, subject: string, extensions: readonly string[]) => {
		const made = pair(name);
		await openssl(['req', '-x509', ...EC_KEY, '-keyout', made.key, '-out', made.cert, '-subj', subject, '-days', '30',
			'-CA', by.cert, '-CAkey', by.key, ...LEAF, ...extensions]);
		return made;
	};
	const [ca, otherCa] = await Promise.all([authority('ca', '/CN=patroni-tui test CA'), authority('other-ca', '/CN=another test CA')]);
	const config = caConfig(dir);
	// one `ca` database: the two dated certificates are signed one after the other, beside the others
	const datedPair = async () => [
		await dated(pair('expired'), ca, config, '20200101000000Z', '20200201000000Z'),
		await dated(pair('not-yet-valid'), ca, config, '20990101000000Z', '21000101000000Z'),
	] as const;
	const [server, otherName, client, foreignClient, [expired, notYetValid]] = await Promise.all([
		leaf('server', ca, '/CN=127.0.0.1', ['-addext', `subjectAltName=${SERVER_SANS}`, '-addext', 'extendedKeyUsage=serverAuth,clientAuth']),
		leaf('other-name', ca, '/CN=elsewhere.invalid', ['-addext', 'subjectAltName=DNS:elsewhere.invalid', '-addext', 'extendedKeyUsage=serverAuth']),
		leaf('client', ca, '/CN=root', ['-addext', 'extendedKeyUsage=clientAuth']),
		leaf('foreign-client', otherCa, '/CN=root', ['-addext', 'extendedKeyUsage=clientAuth']),
		datedPair(),
	]);
	for (const made of [ca, otherCa, server, otherName, expired, notYetValid, client, foreignClient]) fs.chmodSync(made.key, 0o600);
	return {dir, ca, otherCa, server, otherName, expired, notYetValid, client, foreignClient};
}

/** Gives the directory and the keys to a user (PostgreSQL reads its key only when it owns it, mode 0600). */
export function giveTestCerts(certs: TestCerts, uid: number, gid: number): void {
	fs.chownSync(certs.dir, uid, gid);
	for (const name of fs.readdirSync(certs.dir)) fs.chownSync(path.join(certs.dir, name), uid, gid);
}
