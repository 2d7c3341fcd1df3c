import {
	ConfigError,
	CALM_INTERVAL_FACTOR,
	DEFAULT_INTERVAL_MS,
	DEFAULT_THRESHOLDS,
	normaliseNamespace,
	patroniSource,
	patronictlConfigFile,
	readYamlConfig,
	type MonitorConfig,
	type PatroniSource,
} from './config.js';
import {chooseDocker} from './docker-choice.js';
import {logMaxBytes} from './event-log-file.js';
import {etcdFlag, haproxyStatsFlag, hostPortFlag, restFlag} from './endpoint-flags.js';
import {checkNumber, type NumberFlag} from './flag-values.js';
import {LAB_HOST, labScheme, memberPorts} from './lab/lab-config.js';
import {resolveLabConfig} from './lab/lab-settings.js';
import {haproxySocketPath, patronictlConfigPath} from './lab/lab-files.js';
import {readSecrets} from './lab/secrets.js';
import {dcsFrom, dcsSectionName, restCredentialsFrom, restSeedFrom, restTlsFrom, superuserFrom, textFrom} from './patroni-config.js';
import {etcdAccess} from './etcd-access.js';
import {readPemFile, VERIFY_FULLY} from './clients/tls-files.js';
import {labTlsDir, tlsPaths} from './lab/tls-certs.js';
import {resolvePostgresSsl, sslUnlessDefault} from './clients/postgres-ssl.js';

export type MonitorFlags = {
	readonly lab?: boolean;
	readonly config?: string;
	readonly scope?: string;
	readonly namespace?: string;
	readonly etcd?: string;
	readonly etcdApi?: string;
	readonly etcdCacert?: string;
	readonly etcdCert?: string;
	readonly etcdKey?: string;
	readonly etcdUser?: string;
	readonly rest?: string;
	readonly pgUser?: string;
	readonly haproxyStats?: string;
	readonly haproxySocket?: string;
	readonly haproxyPrimary?: string;
	readonly haproxyCacert?: string;
	readonly dockerSocket?: string;
	readonly interval?: number;
	readonly calmInterval?: number;
	readonly lagBytes?: number;
	readonly lagSeconds?: number;
	readonly logFile?: string;
	readonly logMaxBytes?: number;
	readonly readOnly?: boolean;
	readonly stateDir?: string;
	readonly portOffset?: number;
	/** The fleet: every scope in the namespace, even when a config or --scope names one. */
	readonly all?: boolean;
};

type Base = Partial<MonitorConfig> & {readonly dcsApi?: MonitorConfig['dcs']['api']};

/**
 * The local lab's endpoints and credentials, read from its state directory. A lab made with --tls is reached the way
 * patronictl reaches it: its patronictl.yaml names the etcd user, the CA and the client certificate, and the SQL
 * connection's verify-full; the stats page is trusted by the lab's CA.
 */
function fromLab(flags: MonitorFlags, env: NodeJS.ProcessEnv): Base {
	const lab = resolveLabConfig({scope: flags.scope, stateDir: flags.stateDir, portOffset: flags.portOffset}).config;
	const secrets = readSecrets(lab.stateDir);
	if (!secrets) throw new ConfigError(`No lab found in ${lab.stateDir}: bring it up with "patroni-tui lab up".`);
	const file = patronictlConfigPath(lab);
	const source: PatroniSource = {document: readYamlConfig(file), where: key => `${file}: ${key}`};
	// Which API the lab's Patroni uses was chosen at `lab up --dcs`; its patronictl.yaml (`etcd:` or `etcd3:`) says.
	const written = dcsSectionName(source.document);
	const scheme = labScheme(lab);
	const tls = lab.tls ? dcsFrom(source) : undefined;
	return {
		scope: lab.scope,
		namespace: lab.namespace,
		dcs: {
			api: written === 'etcd' ? 'etcd2' : written === 'etcd3' ? 'etcd3' : lab.dcs,
			endpoints: [`${scheme}://${LAB_HOST}:${lab.ports.etcdClient}`],
			...(tls ? {username: tls.username, password: tls.password, tls: tls.tls} : {}),
		},
		restSeeds: Array.from({length: lab.nodeCount}, (_, index) => `${scheme}://${LAB_HOST}:${memberPorts(lab, index).restApi}`),
		restCredentials: {username: secrets.restApiUsername, password: secrets.restApiPassword},
		restTls: restTlsFrom(source),
		postgres: {
			user: 'postgres',
			password: secrets.superuserPassword,
			...(lab.tls ? sslUnlessDefault(resolvePostgresSsl(superuserFrom(source).ssl, env)) : {}),
		},
		haproxy: {
			statsUrl: `${scheme}://${LAB_HOST}:${lab.ports.haproxyStats}/;csv`,
			socketPath: haproxySocketPath(lab),
			primary: {host: LAB_HOST, port: lab.ports.haproxyPrimary},
			...(lab.tls ? {tls: {...VERIFY_FULLY, ca: readPemFile(tlsPaths(labTlsDir(lab.stateDir)).ca, `the lab's CA`)}} : {}),
		},
	};
}

/**
 * A patronictl config or a Patroni node's YAML with the PATRONI_* variables over it, or the variables alone: read as
 * Patroni reads them, every value checked. With --etcd the file's DCS section is not read, as patronictl's --dcs-url.
 */
function fromPatroni(file: string | undefined, env: NodeJS.ProcessEnv, isDcsGiven: boolean): Base {
	const source = patroniSource(file, env);
	const scope = textFrom(source, 'scope');
	const namespace = textFrom(source, 'namespace');
	textFrom(source, 'name');
	const section = dcsSectionName(source.document);
	const dcs = isDcsGiven ? undefined : dcsFrom(source);
	const credentials = restCredentialsFrom(source);
	const restTls = restTlsFrom(source);
	const seed = restSeedFrom(source);
	const superuser = superuserFrom(source);
	return {
		...(scope ? {scope} : {}),
		...(namespace ? {namespace} : {}),
		...(dcs ? {dcs} : {}),
		...(section === 'etcd' ? {dcsApi: 'etcd2'} : section === 'etcd3' ? {dcsApi: 'etcd3'} : {}),
		...(credentials ? {restCredentials: credentials} : {}),
		restTls,
		...(seed ? {restSeeds: [seed]} : {}),
		postgres: {user: superuser.user ?? 'postgres', ...(superuser.password === undefined ? {} : {password: superuser.password}), ...sslUnlessDefault(resolvePostgresSsl(superuser.ssl, env))},
	};
}

function numberOr(name: NumberFlag, value: number | undefined, fallback: number): number {
	return value === undefined ? fallback : checkNumber(name, value);
}

/**
 * The stats page's TLS: --haproxy-cacert's CA (a private CA, as HAProxy's own `crt` often is), else the lab's, else
 * Node's store for an https URL. HAProxy is no part of Patroni's config, so only the flag names a CA for it.
 */
function haproxyTls(cacert: string | undefined, statsUrl: string | undefined, fallback: MonitorConfig['haproxy']['tls']): Pick<MonitorConfig['haproxy'], 'tls'> {
	if (cacert === undefined) return fallback ? {tls: fallback} : {};
	if (!statsUrl?.startsWith('https:')) throw new ConfigError(`--haproxy-cacert is for a stats page on https; ${statsUrl ? `${statsUrl} is not` : 'no --haproxy-stats URL is given'}`);
	return {tls: {...VERIFY_FULLY, ca: readPemFile(cacert, '--haproxy-cacert')}};
}

/**
 * What the command line points at: one cluster (a scope from --scope, the config or the lab), or the fleet (no
 * scope anywhere, or --all) of every scope in the DCS's namespace. The fleet's config has the scope '' and is the
 * template each cluster opened from it is made of (fleetClusterConfig); `named` is the scope the config named.
 */
export type MonitorTarget =
	| {readonly kind: 'cluster'; readonly config: MonitorConfig}
	| {readonly kind: 'fleet'; readonly config: MonitorConfig; readonly named?: string};

export function resolveMonitorTarget(flags: MonitorFlags, env: NodeJS.ProcessEnv = process.env, socketExists?: (path: string) => boolean): MonitorTarget {
	const config = resolveConfig(flags, env, socketExists, true);
	if (config.scope && !flags.all) return {kind: 'cluster', config};
	if (config.dcs.endpoints.length === 0) throw new ConfigError('The fleet is read from etcd: give --etcd host:port or a patronictl config (-c) with an etcd section, or a --scope to watch one cluster by its REST API.');
	return {kind: 'fleet', config: {...config, scope: ''}, ...(config.scope ? {named: config.scope} : {})};
}

/**
 * One cluster of the fleet: the fleet's settings with its scope. The config's REST seeds and HAProxy belong to the
 * cluster the config describes, so another scope is found through the DCS alone.
 */
export function fleetClusterConfig(target: Extract<MonitorTarget, {kind: 'fleet'}>, scope: string): MonitorConfig {
	if (scope === target.named) return {...target.config, scope};
	return {...target.config, scope, restSeeds: [], haproxy: {}};
}

/** Flags over environment over config file over the lab: what the monitor attaches to. Refuses what can't work. */
export function resolveMonitorConfig(flags: MonitorFlags, env: NodeJS.ProcessEnv = process.env, socketExists?: (path: string) => boolean): MonitorConfig {
	return resolveConfig(flags, env, socketExists, false);
}

function resolveConfig(flags: MonitorFlags, env: NodeJS.ProcessEnv, socketExists: ((path: string) => boolean) | undefined, isScopeOptional: boolean): MonitorConfig {
	const etcd = etcdFlag(flags.etcd);
	const rest = restFlag(flags.rest);
	const statsUrl = haproxyStatsFlag(flags.haproxyStats);
	const primary = hostPortFlag('haproxy-primary', flags.haproxyPrimary);
	const base: Base = flags.lab ? fromLab(flags, env) : fromPatroni(patronictlConfigFile(flags.config, env), env, etcd.length > 0);
	const intervalMs = numberOr('interval', flags.interval, DEFAULT_INTERVAL_MS / 1000) * 1000;
	const api = flags.etcdApi ?? base.dcs?.api ?? base.dcsApi ?? 'etcd3';
	if (api !== 'etcd3' && api !== 'etcd2') throw new ConfigError(`--etcd-api must be etcd3 or etcd2, not "${api}".`);
	const endpoints = etcd.length > 0 ? etcd : base.dcs?.endpoints ?? [];
	const access = etcdAccess(flags, etcd.length > 0 ? undefined : base.dcs, {api, endpoints}, env);
	const scope = flags.scope ?? base.scope ?? '';
	if (!scope && !isScopeOptional) throw new ConfigError('Which cluster? Give --scope, a patronictl config (-c), or --lab.');
	const restSeeds = rest.length > 0 ? rest : base.restSeeds ?? [];
	if (endpoints.length === 0 && restSeeds.length === 0) {
		throw new ConfigError('Where is the cluster? Give --etcd host:port, --rest http://host:port, a patronictl config (-c), or --lab.');
	}
	const docker = chooseDocker(flags.dockerSocket, env, socketExists);
	return {
		scope,
		namespace: normaliseNamespace(flags.namespace ?? base.namespace ?? '/service/'),
		dcs: {api, endpoints, ...access},
		restSeeds,
		restCredentials: base.restCredentials,
		restTls: base.restTls ?? VERIFY_FULLY,
		postgres: {
			user: flags.pgUser ?? base.postgres?.user ?? 'postgres',
			password: base.postgres?.password ?? env['PGPASSWORD'],
			// fromPatroni resolved its superuser section's with the environment already; the lab has the environment's.
			...(base.postgres?.ssl ? {ssl: base.postgres.ssl} : flags.lab ? sslUnlessDefault(resolvePostgresSsl({}, env)) : {}),
		},
		haproxy: {
			statsUrl: statsUrl ?? base.haproxy?.statsUrl,
			socketPath: flags.haproxySocket ?? base.haproxy?.socketPath,
			primary: primary ?? base.haproxy?.primary,
			...haproxyTls(flags.haproxyCacert, statsUrl ?? base.haproxy?.statsUrl, base.haproxy?.tls),
		},
		...('socketPath' in docker ? {dockerSocket: docker.socketPath} : {dockerOffReason: docker.offReason}),
		intervalMs,
		calmIntervalMs: Math.max(intervalMs, numberOr('calmInterval', flags.calmInterval, (CALM_INTERVAL_FACTOR * intervalMs) / 1000) * 1000),
		thresholds: {
			lagBytes: numberOr('lagBytes', flags.lagBytes, DEFAULT_THRESHOLDS.lagBytes),
			lagSeconds: numberOr('lagSeconds', flags.lagSeconds, DEFAULT_THRESHOLDS.lagSeconds),
		},
		logFile: flags.logFile,
		logMaxBytes: logMaxBytes(flags.logMaxBytes),
		isReadOnly: Boolean(flags.readOnly),
	};
}
