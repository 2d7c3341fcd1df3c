/**
 * The etcd endpoints Patroni makes of an `etcd:` or `etcd3:` section (patroni/dcs/etcd.py, get_etcd_client and
 * _get_machines_cache_from_config, read at v3.0.2): `proxy` first, then `hosts` (a YAML list or "h:p,h:p"), then
 * `url`, then `host`; a host without a port gets `port`, else 2379; `protocol` (http) is the scheme of hosts and host.
 * What Patroni would crash on, or quietly drop, is refused here with the key and what was expected.
 */
import {readPemFile, VERIFY_FULLY, type TlsClientSettings} from './clients/tls-files.js';
import {ConfigError} from './config-error.js';
import {isMapping, pythonStr, shown} from './patroni-yaml.js';

/** Names a key for a message: "patronictl.yaml: etcd3.hosts", or the variable it came from. */
export type Where = (path: string) => string;

export type EtcdSettings = {
	readonly endpoints: readonly string[];
	readonly username?: string;
	readonly password?: string;
	/** The CA and client certificate of an https etcd; absent, Node's store and no client certificate. */
	readonly tls?: TlsClientSettings;
};

export const ETCD_DEFAULT_PORT = 2379;

export function refuse(where: string, expected: string, got: unknown): ConfigError {
	return new ConfigError(`${where}: expected ${expected}, got ${shown(got)}`);
}

function portOf(text: string): number | undefined {
	const port = /^\s*\d{1,5}\s*$/.test(text) ? Number(text) : Number.NaN;
	return port >= 1 && port <= 65_535 ? port : undefined;
}

/**
 * utils.split_host_port: what follows the last colon is the port (else `defaultPort`), and brackets come off an
 * IPv6 host. Undefined when Patroni would fail on it or make an address of nothing, or of a host named by a
 * bare number ("a:2379, 2380" would be the host 2380 on port 2379).
 */
export function splitHostPort(value: string, defaultPort?: number): {readonly host: string; readonly port: number} | undefined {
	const text = value.trim();
	const cut = text.lastIndexOf(':');
	let host = cut < 0 ? text : text.slice(0, cut);
	const port = cut < 0 ? defaultPort : portOf(text.slice(cut + 1));
	if (host.includes(':')) host = host.replace(/^[[\]]+|[[\]]+$/g, '');
	if (port === undefined || !host || /^\d+$/.test(host) || /[\s/,@[\]]/.test(host)) return undefined;
	return {host, port};
}

/** utils.uri: an IPv6 host goes in brackets. */
export function uri(protocol: string, {host, port}: {readonly host: string; readonly port: number}): string {
	return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A `url` or `proxy`: its scheme, host and port (2379 when none, as urlparse's port is None), its credentials. */
function fromUrl(where: string, value: unknown): EtcdSettings {
	let url: URL | undefined;
	try {
		url = typeof value === 'string' ? new URL(value) : undefined;
	} catch {
		url = undefined;
	}
	if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) throw refuse(where, 'http(s)://host:port', value);
	const endpoint = `${url.protocol}//${url.hostname}:${url.port || ETCD_DEFAULT_PORT}`;
	// Patroni takes the url's user and password (urlparse leaves them percent-encoded, as URL does) and no others.
	return {endpoints: [endpoint], ...(url.username ? {username: url.username, password: url.password} : {})};
}

function hostList(where: string, value: unknown, protocol: string, defaultPort: number): string[] {
	if (typeof value !== 'string' && !Array.isArray(value)) throw refuse(where, 'a list of host:port or "host1:port1,host2:port2"', value);
	const items: unknown[] = typeof value === 'string' ? value.split(',') : value;
	if (items.length === 0) throw refuse(where, 'at least one host:port', value);
	return items.map(item => {
		const address = typeof item === 'string' ? splitHostPort(item, defaultPort) : undefined;
		const written = typeof item === 'string' ? item.trim() : item;
		if (!address) throw refuse(where, written === '' ? 'host:port, not an empty entry' : 'host:port', written);
		return uri(protocol, address);
	});
}

/** One `etcd:` / `etcd3:` section (`name`), as Patroni reads it. */
export function etcdSettings(section: unknown, name: string, where: Where): EtcdSettings {
	const config = section === null || section === undefined ? {} : section;
	if (!isMapping(config)) throw refuse(where(name), 'a mapping with hosts, host, url or proxy', section);
	const srv = ['srv', 'discovery_srv', 'srv_domain'].find(key => key in config);
	if (srv) throw new ConfigError(`${where(`${name}.${srv}`)}: DNS SRV discovery is not supported by patroni-tui; give hosts, host or url`);
	// urllib3 lower-cases the scheme it is given.
	const written = config['protocol'] ?? 'http';
	const protocol = typeof written === 'string' ? written.toLowerCase() : written;
	if (protocol !== 'http' && protocol !== 'https') throw refuse(where(`${name}.protocol`), 'http or https', written);
	const port = config['port'] ?? ETCD_DEFAULT_PORT;
	const defaultPort = typeof port === 'number' || typeof port === 'string' ? portOf(String(port)) : undefined;
	if (defaultPort === undefined) throw refuse(where(`${name}.port`), 'a port number from 1 to 65535', port);
	const credentials = etcdCredentials(config, name, where);
	const tls = etcdTls(config, name, where);
	const endpoints = (): EtcdSettings => {
		if ('proxy' in config) return fromUrl(where(`${name}.proxy`), config['proxy']);
		if ('hosts' in config) return {endpoints: hostList(where(`${name}.hosts`), config['hosts'], protocol, defaultPort), ...credentials};
		if ('url' in config) return fromUrl(where(`${name}.url`), config['url']);
		if ('host' in config) {
			const address = typeof config['host'] === 'string' ? splitHostPort(config['host'], ETCD_DEFAULT_PORT) : undefined;
			if (!address) throw refuse(where(`${name}.host`), 'host:port (one host; several go in hosts)', config['host']);
			return {endpoints: [uri(protocol, {host: address.host, port: 'port' in config ? defaultPort : address.port})], ...credentials};
		}
		throw new ConfigError(`${where(name)}: expected hosts, host, url or proxy (Patroni: "Neither srv, hosts, host nor url are defined")`);
	};
	return {...endpoints(), ...(tls ? {tls} : {})};
}

/**
 * `cacert`, `cert` and `key` as get_etcd_client hands them to python-etcd: the CA to verify against (else the
 * system's), and a client certificate, whose key is `key` or, with no `key`, inside the `cert` file itself (urllib3's
 * cert_file). A `key` without `cert` is unused. python-etcd always checks the chain and the host name on https.
 */
function etcdTls(config: Record<string, unknown>, name: string, where: Where): TlsClientSettings | undefined {
	const file = (key: string) => {
		const value = config[key];
		if (!value) return undefined;
		if (typeof value !== 'string') throw refuse(where(`${name}.${key}`), 'a file path', value);
		return readPemFile(value, where(`${name}.${key}`));
	};
	const ca = file('cacert');
	const cert = file('cert');
	const key = cert ? file('key') ?? cert : undefined;
	if (!ca && !cert) return undefined;
	return {...VERIFY_FULLY, ...(ca ? {ca} : {}), ...(cert && key ? {cert, key} : {})};
}

function etcdCredentials(config: Record<string, unknown>, name: string, where: Where): {username?: string; password?: string} {
	const username = config['username'] ? pythonStr(config['username']) : undefined;
	const password = config['password'] === undefined || config['password'] === null ? undefined : pythonStr(config['password']);
	if (config['username'] && username === undefined) throw refuse(where(`${name}.username`), 'a user name', config['username']);
	if (config['password'] !== undefined && config['password'] !== null && password === undefined) {
		throw refuse(where(`${name}.password`), 'a password', config['password']);
	}
	return username ? {username, ...(password === undefined ? {} : {password})} : {};
}
