/**
 * What the monitor takes from a Patroni node's YAML or a patronictl.yaml, read the way Patroni reads them (config.py's
 * _build_effective_configuration, dcs/__init__.py's get_dcs, api.py; read at v3.0.2). A node's file holds its name,
 * restapi (listen, connect_address, authentication) and postgresql (connect_address, authentication.superuser);
 * patronictl's holds scope, namespace, the DCS section and ctl. Each gives what it has; a bad value is refused.
 */
import type {RestCredentials} from './clients/patroni.js';
import type {SslKey, SslParameters} from './clients/postgres-ssl.js';
import {readPemFile, type PemFile, type TlsClientSettings} from './clients/tls-files.js';
import {ConfigError} from './config-error.js';
import type {MonitorConfig, PatroniSource} from './config.js';
import {etcdSettings, refuse, splitHostPort, uri, type Where} from './etcd-section.js';
import type {Document} from './patroni-env.js';
import {isMapping, pythonStr, shown} from './patroni-yaml.js';

/** Patroni's DCS modules in the order get_dcs tries them: the first section present is the one Patroni uses. */
const DCS_ORDER = ['consul', 'etcd', 'etcd3', 'exhibitor', 'kubernetes', 'raft', 'zookeeper'] as const;
type DcsName = (typeof DCS_ORDER)[number];
const OTHER_DCS: Readonly<Record<Exclude<DcsName, 'etcd' | 'etcd3'>, string>> = {
	consul: 'Consul',
	exhibitor: 'Exhibitor',
	kubernetes: 'Kubernetes',
	raft: 'Raft',
	zookeeper: 'ZooKeeper',
};

export function dcsSectionName(document: Document): DcsName | undefined {
	return DCS_ORDER.find(name => name in document);
}

export function dcsFrom({document, where}: PatroniSource): MonitorConfig['dcs'] | undefined {
	const name = dcsSectionName(document);
	if (name === undefined) return undefined;
	if (name !== 'etcd' && name !== 'etcd3') {
		const order = DCS_ORDER.join(', ');
		throw new ConfigError(`${where(name)}: Patroni uses ${OTHER_DCS[name]} with this configuration (the first DCS section of ${order}); patroni-tui reads etcd and etcd3 only`);
	}
	return {api: name === 'etcd' ? 'etcd2' : 'etcd3', ...etcdSettings(document[name], name, where)};
}

/** A section that is absent or empty is {} to Patroni; anything but a mapping is refused. */
function section(document: Document, key: string, where: Where): Document {
	const value = document[key];
	if (value === undefined || value === null) return {};
	if (!isMapping(value)) throw refuse(where(key), 'a mapping', value);
	return value;
}

/** scope, namespace, name: Patroni formats them into keys and paths, so a number is its text. */
export function textFrom({document, where}: PatroniSource, key: 'scope' | 'namespace' | 'name'): string | undefined {
	const value = document[key];
	if (value === undefined || value === null) return undefined;
	const text = pythonStr(value);
	if (text === undefined || text === '') throw refuse(where(key), 'a name', value);
	return text;
}

/** `authentication` of ctl or restapi: Patroni formats "{username}:{password}", so both must be there. */
function credentialsIn(parent: Document, path: string, where: Where): RestCredentials | undefined {
	if (!('authentication' in parent)) return undefined;
	const auth = parent['authentication'];
	if (!isMapping(auth) || !('username' in auth) || !('password' in auth)) {
		const has = isMapping(auth) ? ['username', 'password'].filter(key => key in auth) : [];
		const got = !isMapping(auth) ? shown(auth) : has.length > 0 ? `only ${has.join('')}` : 'neither';
		throw new ConfigError(`${where(`${path}.authentication`)}: expected username and password, got ${got}`);
	}
	const username = pythonStr(auth['username']);
	const password = pythonStr(auth['password']);
	if (username === undefined) throw refuse(where(`${path}.authentication.username`), 'a user name', auth['username']);
	if (password === undefined) throw refuse(where(`${path}.authentication.password`), 'a password', auth['password']);
	return {username, password};
}

/** ctl.authentication (Patroni 3.1's patronictl reads it first), else restapi.authentication (all versions). */
export function restCredentialsFrom({document, where}: PatroniSource): RestCredentials | undefined {
	return credentialsIn(section(document, 'ctl', where), 'ctl', where) ?? credentialsIn(section(document, 'restapi', where), 'restapi', where);
}

/**
 * postgresql.authentication.superuser; in the old layout (no authentication) postgresql.superuser; else pg_rewind.
 * An empty password is none (psycopg drops None): the variables, PGPASSWORD or ~/.pgpass may then give it. Its SSL
 * keys are what Patroni hands libpq for its own connection (config.py keeps them, _AUTH_ALLOWED_PARAMETERS).
 */
export function superuserFrom({document, where}: PatroniSource): {readonly user?: string; readonly password?: string; readonly ssl: SslParameters} {
	const postgresql = section(document, 'postgresql', where);
	const hasAuthentication = 'authentication' in postgresql;
	const authentication = hasAuthentication ? postgresql['authentication'] : postgresql;
	const base = hasAuthentication ? 'postgresql.authentication' : 'postgresql';
	if (!isMapping(authentication)) throw refuse(where(base), 'a mapping with superuser', authentication);
	const usesRewind = !('superuser' in authentication) && 'pg_rewind' in postgresql;
	const path = usesRewind ? 'postgresql.pg_rewind' : `${base}.superuser`;
	const superuser = usesRewind ? postgresql['pg_rewind'] : authentication['superuser'];
	if (superuser === undefined) return {ssl: {}};
	if (!isMapping(superuser)) throw refuse(where(path), 'a mapping with username and password', superuser);
	const text = (key: string, expected: string) => {
		const value = superuser[key];
		if (value === undefined || value === null) return undefined;
		const written = pythonStr(value);
		if (written === undefined) throw refuse(where(`${path}.${key}`), expected, value);
		return written;
	};
	const user = text('username', 'a user name');
	const password = text('password', 'a password');
	const ssl: Partial<Record<SslKey, {value: string; where: string}>> = {};
	for (const key of SUPERUSER_SSL_KEYS) {
		const value = text(key, key === 'sslmode' ? 'an sslmode' : key === 'sslpassword' ? 'a password' : 'a file path');
		if (value !== undefined) ssl[key] = {value, where: where(`${path}.${key}`)};
	}
	return {...(user === undefined ? {} : {user}), ...(password === undefined ? {} : {password}), ssl};
}

const SUPERUSER_SSL_KEYS: readonly SslKey[] = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword'];

const WILDCARDS = new Map([['*', '127.0.0.1'], ['0.0.0.0', '127.0.0.1'], ['::', '::1']]);

function address(parent: Document, path: string, where: Where): {readonly host: string; readonly port: number} | undefined {
	const value = parent[path.split('.').at(-1)!];
	if (value === undefined || value === null) return undefined;
	// A listen address may leave the host out (":8008", every interface); Patroni needs the port in every one.
	const text = typeof value === 'string' && path.endsWith('listen') && /^\s*:\d/.test(value) ? `*${value.trim()}` : value;
	const parsed = typeof text === 'string' ? splitHostPort(text) : undefined;
	if (!parsed) throw refuse(where(path), 'host:port', value);
	return parsed;
}

/**
 * The member's REST API as its own file gives it: connect_address (what it registers as api_url), else listen, whose
 * wildcard is this machine. https when restapi.certfile is set, as api.py decides.
 */
export function restSeedFrom({document, where}: PatroniSource): string | undefined {
	const restapi = section(document, 'restapi', where);
	const postgresql = section(document, 'postgresql', where);
	address(postgresql, 'postgresql.connect_address', where);
	const listen = address(restapi, 'restapi.listen', where);
	const found = address(restapi, 'restapi.connect_address', where) ?? listen;
	if (!found) return undefined;
	return uri(restapi['certfile'] ? 'https' : 'http', {host: WILDCARDS.get(found.host) ?? found.host, port: found.port});
}

/** A file key of ctl or restapi (certfile, keyfile, cacert, cafile): a path, read now. */
function pemAt(parent: Document, path: string, where: Where): PemFile | undefined {
	const value = parent[path.split('.').at(-1)!];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw refuse(where(path), 'a file path', value);
	return readPemFile(value, where(path));
}

/**
 * How patronictl 3.0.2 talks TLS to a member's API (patroni/request.py, PatroniRequest.reload_config): the client
 * certificate is ctl.certfile or restapi.certfile, its key ctl.keyfile or restapi.keyfile, the CA ctl.cacert or
 * restapi.cafile. ctl.insecure skips verification, except that with a client certificate the chain is still checked
 * (urllib3 needs CERT_REQUIRED to send one) and only the host name is not.
 */
export function restTlsFrom({document, where}: PatroniSource): TlsClientSettings {
	const ctl = section(document, 'ctl', where);
	const restapi = section(document, 'restapi', where);
	const insecureValue = ctl['insecure'];
	if (insecureValue !== undefined && insecureValue !== null && typeof insecureValue !== 'boolean') {
		throw refuse(where('ctl.insecure'), 'true or false', insecureValue);
	}
	const isInsecure = insecureValue === true;
	const cert = pemAt(ctl, 'ctl.certfile', where) ?? pemAt(restapi, 'restapi.certfile', where);
	const key = cert ? pemAt(ctl, 'ctl.keyfile', where) ?? pemAt(restapi, 'restapi.keyfile', where) ?? cert : undefined;
	const keyPassword = cert ? textAt(ctl, 'ctl.keyfile_password', where) ?? textAt(restapi, 'restapi.keyfile_password', where) : undefined;
	const ca = pemAt(ctl, 'ctl.cacert', where) ?? pemAt(restapi, 'restapi.cafile', where);
	return {
		...(ca ? {ca} : {}),
		...(cert && key ? {cert, key} : {}),
		...(keyPassword === undefined ? {} : {keyPassword}),
		verifyServer: Boolean(cert) || !isInsecure,
		verifyHostname: !isInsecure,
	};
}

function textAt(parent: Document, path: string, where: Where): string | undefined {
	const value = parent[path.split('.').at(-1)!];
	if (value === undefined || value === null || value === '') return undefined;
	const text = pythonStr(value);
	if (text === undefined) throw refuse(where(path), 'a password', value);
	return text;
}
