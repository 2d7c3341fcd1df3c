/**
 * How the monitor's SQL connections use SSL, resolved the way libpq resolves it for Patroni's own superuser connection
 * (postgresql/config.py's local_connect_kwargs hands the superuser section's keys to psycopg as connection
 * parameters): a parameter given wins, libpq's PGSSL* variable fills one not given, ~/.postgresql/ is the default.
 * Files are read here, once, so a missing or broken one is a sentence before anything connects.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {ConfigError} from '../config-error.js';
import {readPemFile, type PemFile, type TlsClientSettings} from './tls-files.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export type PostgresSsl = {
	readonly mode: SslMode;
	/** What an SSL attempt presents and trusts; verifyServer whenever a root certificate is known, as in libpq. */
	readonly tls: TlsClientSettings;
};

const UNVERIFIED: TlsClientSettings = {verifyServer: false, verifyHostname: false};

/** libpq's default with no ~/.postgresql/ files: try SSL, take any certificate, fall back to plain. */
export const LIBPQ_DEFAULT_SSL: PostgresSsl = {mode: 'prefer', tls: UNVERIFIED};

/** One parameter as written, and how a message names where it was written ("patronictl.yaml: postgresql..."). */
export type SslParameter = {readonly value: string; readonly where: string};
export type SslKey = 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey' | 'sslpassword';
export type SslParameters = Partial<Record<SslKey, SslParameter>>;

/** libpq reads these only for a parameter not given; sslpassword has none. */
const VARIABLES = {sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY'} as const;
const DEFAULT_FILES = {sslrootcert: 'root.crt', sslcert: 'postgresql.crt', sslkey: 'postgresql.key'} as const;

type FileKey = keyof typeof DEFAULT_FILES;
type Lookup = {
	readonly given: SslParameters;
	readonly env: NodeJS.ProcessEnv;
	readonly home: string;
};

function parameter({given, env}: Lookup, key: Exclude<SslKey, 'sslpassword'>): SslParameter | undefined {
	const value = env[VARIABLES[key]];
	return given[key] ?? (value === undefined ? undefined : {value, where: VARIABLES[key]});
}

/**
 * A file parameter: the one named, which must be there (libpq quietly skips a missing sslcert or, short of verify-*,
 * sslrootcert; a file someone named and that is not there is a mistake worth a sentence), else libpq's default in
 * ~/.postgresql/, taken only when present.
 */
function pemFor(lookup: Lookup, key: FileKey): {readonly pem?: PemFile; readonly where: string; readonly path: string} {
	const named = parameter(lookup, key);
	if (named && named.value !== '') return {pem: readPemFile(named.value, named.where), where: named.where, path: named.value};
	const fallback = path.join(lookup.home, '.postgresql', DEFAULT_FILES[key]);
	const where = `${key} (libpq's default ${fallback})`;
	return {...(fs.existsSync(fallback) ? {pem: readPemFile(fallback, where)} : {}), where, path: fallback};
}

function modeOf(lookup: Lookup, isSystemRoot: boolean): {readonly mode: SslMode; readonly where: string} {
	const written = parameter(lookup, 'sslmode');
	if (!written) return {mode: isSystemRoot ? 'verify-full' : 'prefer', where: "sslmode (libpq's default)"};
	const mode = SSL_MODES.find(known => known === written.value);
	if (!mode) throw new ConfigError(`${written.where}: expected one of ${SSL_MODES.join(', ')}, got ${JSON.stringify(written.value)}`);
	return {mode, where: written.where};
}

/** libpq refuses a key file others may read (fe-secure-openssl.c): 0600 or less, or 0640 or less owned by root. */
function checkKeyMode(file: string, where: string): void {
	const stat = fs.statSync(file);
	if (!stat.isFile()) throw new ConfigError(`${where}: ${file} is not a regular file`);
	const isOwn = stat.uid === process.geteuid?.();
	if ((isOwn && (stat.mode & 0o077) !== 0) || (stat.uid === 0 && (stat.mode & 0o037) !== 0)) {
		throw new ConfigError(`${where}: ${file} has group or world access; libpq wants u=rw (0600) or less, or u=rw,g=r (0640) if owned by root`);
	}
}

type SslFiles = {readonly cert: PemFile; readonly key: PemFile; readonly keyWhere: string};

/** A root certificate file Node cannot load would fail every connection the same way: said once, now. */
function checkCertificates(file: PemFile, where: string): void {
	try {
		tls.createSecureContext({ca: file.pem});
	} catch (error) {
		throw new ConfigError(`${where}: ${file.path} holds no usable certificate (${(error as Error).message})`);
	}
}

/** The certificate, key and password must make a pair Node can use: said now, never quoting the files. */
function checkPair(cert: SslFiles, password: string | undefined): void {
	try {
		tls.createSecureContext({cert: cert.cert.pem, key: cert.key.pem, ...(password === undefined ? {} : {passphrase: password})});
	} catch (error) {
		const message = (error as Error).message;
		// From the file's header, not OpenSSL's words: a wrong password now and then decrypts to garbage that fails
		// later ("DECODER routines::unsupported") rather than as "bad decrypt".
		const isEncrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(cert.key.pem.toString('latin1'));
		const reason = /mismatch/i.test(message)
			? `does not belong to the certificate ${cert.cert.path}`
			: isEncrypted
				? password === undefined
					? 'is encrypted: give sslpassword'
					: 'cannot be decrypted with sslpassword'
				: `is not a usable private key (${message})`;
		throw new ConfigError(`${cert.keyWhere}: ${cert.key.path} ${reason}`);
	}
}

/** A client certificate is sent only with its key; without the certificate the key is not read (as in libpq). */
function clientCertificate(lookup: Lookup): SslFiles | undefined {
	const cert = pemFor(lookup, 'sslcert');
	if (!cert.pem) return undefined;
	const key = pemFor(lookup, 'sslkey');
	if (!key.pem) throw new ConfigError(`${cert.where}: ${cert.path} is there but its key is not: give sslkey or put it in ${key.path}`);
	checkKeyMode(key.path, key.where);
	return {cert: cert.pem, key: key.pem, keyWhere: key.where};
}

/**
 * The SSL a member's connection uses. `given` is the superuser section's parameters (config file, PATRONI_SUPERUSER_*);
 * `env` gives PGSSL* and HOME. sslrootcert=system is PostgreSQL 16's: Node's own store, sslmode verify-full only.
 */
export function resolvePostgresSsl(given: SslParameters, env: NodeJS.ProcessEnv, home = env['HOME'] || os.homedir()): PostgresSsl {
	const lookup: Lookup = {given, env, home};
	const root = parameter(lookup, 'sslrootcert');
	const isSystemRoot = root?.value === 'system';
	const {mode, where} = modeOf(lookup, isSystemRoot);
	// disable never starts SSL, so libpq never looks at a file.
	if (mode === 'disable') return {mode, tls: UNVERIFIED};
	if (isSystemRoot && mode !== 'verify-full') {
		throw new ConfigError(`${where}: ${mode} is too weak for ${root.where} = system (use verify-full)`);
	}
	const ca = isSystemRoot ? undefined : pemFor(lookup, 'sslrootcert');
	if (ca?.pem) checkCertificates(ca.pem, ca.where);
	if (ca && !ca.pem && mode.startsWith('verify')) {
		throw new ConfigError(`${where}: ${mode} needs a root certificate: give sslrootcert or put the CA in ${ca.path}`);
	}
	const client = clientCertificate(lookup);
	const password = given.sslpassword?.value;
	if (client) checkPair(client, password);
	const isVerified = isSystemRoot || Boolean(ca?.pem);
	if (mode === 'prefer' && !isVerified && !client) return LIBPQ_DEFAULT_SSL;
	return {
		mode,
		tls: {
			...(ca?.pem ? {ca: ca.pem} : {}),
			...(client ? {cert: client.cert, key: client.key} : {}),
			...(client && password !== undefined ? {keyPassword: password} : {}),
			// A root certificate makes allow, prefer and require check the chain too (libpq's "behaves as verify-ca").
			verifyServer: isVerified,
			verifyHostname: mode === 'verify-full',
		},
	};
}

/** `{ssl}` unless it is libpq's default, which a target without `ssl` means anyway. */
export function sslUnlessDefault(ssl: PostgresSsl): {readonly ssl?: PostgresSsl} {
	return ssl === LIBPQ_DEFAULT_SSL ? {} : {ssl};
}
