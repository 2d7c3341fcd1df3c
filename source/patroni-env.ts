/**
 * The PATRONI_* variables Patroni turns into configuration (patroni/config.py, _build_environment_configuration, read
 * at v3.0.2), for the keys the monitor reads, and how they patch the file (utils.patch_config). Each value remembers
 * its variable, so a bad one is named in the message.
 */
import {ConfigError} from './config-error.js';
import {isMapping, parsePatroniYaml} from './patroni-yaml.js';

export type Document = Record<string, unknown>;
export type EnvSettings = {readonly document: Document; readonly variables: ReadonlyMap<string, string>};

const PREFIX = 'PATRONI_';

/** What config.py files under a DCS section as PATRONI_<DCS>_<SUFFIX> (the section is named by the part before). */
const DCS_SUFFIXES = new Set(
	(
		'HOST HOSTS PORT USE_PROXIES PROTOCOL SRV SRV_SUFFIX URL PROXY CACERT CERT KEY VERIFY TOKEN CHECKS DC CONSISTENCY ' +
		'REGISTER_SERVICE SERVICE_CHECK_INTERVAL SERVICE_CHECK_TLS_SERVER_NAME SERVICE_TAGS NAMESPACE CONTEXT USE_ENDPOINTS ' +
		'SCOPE_LABEL ROLE_LABEL POD_IP PORTS LABELS BYPASS_API_SERVICE RETRIABLE_HTTP_CODES KEY_PASSWORD USE_SSL SET_ACLS GROUP DATABASE'
	).split(' '),
);

/** The single values the monitor reads, each a variable of its own (`if value:` in config.py: empty is unset). */
const SECTION_VALUES: ReadonlyArray<readonly [path: string, variable: string]> = [
	['name', 'NAME'],
	['namespace', 'NAMESPACE'],
	['scope', 'SCOPE'],
	['restapi.listen', 'RESTAPI_LISTEN'],
	['restapi.connect_address', 'RESTAPI_CONNECT_ADDRESS'],
	['restapi.certfile', 'RESTAPI_CERTFILE'],
	['restapi.keyfile', 'RESTAPI_KEYFILE'],
	['restapi.keyfile_password', 'RESTAPI_KEYFILE_PASSWORD'],
	['restapi.cafile', 'RESTAPI_CAFILE'],
	['ctl.insecure', 'CTL_INSECURE'],
	['ctl.cacert', 'CTL_CACERT'],
	['ctl.certfile', 'CTL_CERTFILE'],
	['ctl.keyfile', 'CTL_KEYFILE'],
	['ctl.keyfile_password', 'CTL_KEYFILE_PASSWORD'],
	['postgresql.listen', 'POSTGRESQL_LISTEN'],
	['postgresql.connect_address', 'POSTGRESQL_CONNECT_ADDRESS'],
	// ctl's pair is Patroni 3.1's (patronictl 3.0 reads restapi's alone); the monitor reads ctl's first, as 3.1 does.
	['ctl.authentication.username', 'CTL_USERNAME'],
	['ctl.authentication.password', 'CTL_PASSWORD'],
	['restapi.authentication.username', 'RESTAPI_USERNAME'],
	['restapi.authentication.password', 'RESTAPI_PASSWORD'],
	['postgresql.authentication.superuser.username', 'SUPERUSER_USERNAME'],
	['postgresql.authentication.superuser.password', 'SUPERUSER_PASSWORD'],
	// _get_auth('superuser', _AUTH_ALLOWED_PARAMETERS): the SSL keys Patroni's own superuser connection uses.
	['postgresql.authentication.superuser.sslmode', 'SUPERUSER_SSLMODE'],
	['postgresql.authentication.superuser.sslrootcert', 'SUPERUSER_SSLROOTCERT'],
	['postgresql.authentication.superuser.sslcert', 'SUPERUSER_SSLCERT'],
	['postgresql.authentication.superuser.sslkey', 'SUPERUSER_SSLKEY'],
	['postgresql.authentication.superuser.sslpassword', 'SUPERUSER_SSLPASSWORD'],
];

function setPath(document: Document, path: string, value: unknown): void {
	const keys = path.split('.');
	let target = document;
	for (const key of keys.slice(0, -1)) {
		if (!isMapping(target[key])) target[key] = {};
		target = target[key] as Document;
	}
	target[keys.at(-1)!] = value;
}

/** utils.parse_bool: on/true/yes/1 and off/false/no/0, any case; anything else is no value. */
function parseBool(value: string): boolean | undefined {
	const text = value.toLowerCase();
	if (['on', 'true', 'yes', '1'].includes(text)) return true;
	if (['off', 'false', 'no', '0'].includes(text)) return false;
	return undefined;
}

/** config.py's _parse_list: `'h1:p','h2:p'` is read as the YAML list `['h1:p','h2:p']`. */
function parseList(variable: string, value: string): unknown {
	const text = value.trim().startsWith('-') || value.includes('[') ? value : `[${value}]`;
	try {
		return parsePatroniYaml(text);
	} catch {
		throw new ConfigError(`${variable}: expected a list such as 'host1:2379','host2:2379', got ${JSON.stringify(value)}`);
	}
}

/** The configuration the PATRONI_* variables make on their own: what patronictl reads when there is no file. */
export function environmentSettings(env: NodeJS.ProcessEnv): EnvSettings {
	const document: Document = {};
	const variables = new Map<string, string>();
	for (const [path, name] of SECTION_VALUES) {
		const value = env[PREFIX + name];
		if (!value) continue;
		// config.py runs parse_bool over PATRONI_CTL_INSECURE and drops a value it cannot read.
		const parsed = path === 'ctl.insecure' ? parseBool(value) : value;
		if (parsed === undefined) continue;
		setPath(document, path, parsed);
		variables.set(path, PREFIX + name);
	}
	const dcsSections = new Set<string>();
	for (const [variable, value] of Object.entries(env)) {
		if (!variable.startsWith(PREFIX) || value === undefined) continue;
		const [section = '', suffix = ''] = variable.slice(PREFIX.length).split(/_(.*)/s);
		if (!section || !DCS_SUFFIXES.has(suffix)) continue;
		const key = suffix.toLowerCase();
		const parsed = suffix === 'HOSTS' && value ? parseList(variable, value) : suffix === 'PORT' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
		setPath(document, `${section.toLowerCase()}.${key}`, parsed);
		variables.set(`${section.toLowerCase()}.${key}`, variable);
		dcsSections.add(section);
	}
	// etcd's own credentials are read only for a section another variable made (config.py's _get_auth(dcs)).
	for (const section of ['ETCD', 'ETCD3'].filter(name => dcsSections.has(name))) {
		for (const key of ['USERNAME', 'PASSWORD']) {
			const variable = `${PREFIX}${section}_${key}`;
			if (!env[variable]) continue;
			setPath(document, `${section.toLowerCase()}.${key.toLowerCase()}`, env[variable]);
			variables.set(`${section.toLowerCase()}.${key.toLowerCase()}`, variable);
		}
	}
	return {document, variables};
}

/** utils.patch_config: the variables' values replace the file's, a mapping merges into a mapping. */
export function patchConfig(config: Document, patch: Document): Document {
	for (const [key, value] of Object.entries(patch)) {
		config[key] = isMapping(value) && isMapping(config[key]) ? patchConfig(config[key], value) : value;
	}
	return config;
}
