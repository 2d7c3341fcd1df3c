import {
	ConfigError,
	dcsFromYaml,
	CALM_INTERVAL_FACTOR,
	DEFAULT_INTERVAL_MS,
	DEFAULT_THRESHOLDS,
	normaliseNamespace,
	patronictlConfigFile,
	positiveNumber,
	readYamlConfig,
	restCredentialsFrom,
	type MonitorConfig,
} from './config.js';
import {LAB_HOST, memberPorts} from './lab/lab-config.js';
import {resolveLabConfig} from './lab/lab-settings.js';
import {haproxySocketPath, patronictlConfigPath} from './lab/lab-files.js';
import {readSecrets} from './lab/secrets.js';

export type MonitorFlags = {
	readonly lab?: boolean;
	readonly config?: string;
	readonly scope?: string;
	readonly namespace?: string;
	readonly etcd?: string;
	readonly etcdApi?: string;
	readonly rest?: string;
	readonly pgUser?: string;
	readonly haproxyStats?: string;
	readonly haproxySocket?: string;
	readonly haproxyPrimary?: string;
	readonly dockerSocket?: string;
	readonly interval?: number;
	readonly calmInterval?: number;
	readonly lagBytes?: number;
	readonly lagSeconds?: number;
	readonly logFile?: string;
	readonly readOnly?: boolean;
	readonly stateDir?: string;
	readonly portOffset?: number;
};

function hostPort(flag: string, value: string): {host: string; port: number} {
	const match = /^([^:\s]+):(\d{1,5})$/.exec(value.trim());
	if (!match || Number(match[2]) > 65_535) throw new ConfigError(`--${flag} must be host:port, not "${value}".`);
	return {host: match[1]!, port: Number(match[2])};
}

function list(value: string | undefined): string[] {
	return (value ?? '').split(',').map(item => item.trim()).filter(Boolean);
}

/** The local lab's endpoints and credentials, read from its state directory. */
function fromLab(flags: MonitorFlags): Partial<MonitorConfig> {
	const lab = resolveLabConfig({scope: flags.scope, stateDir: flags.stateDir, portOffset: flags.portOffset}).config;
	const secrets = readSecrets(lab.stateDir);
	if (!secrets) throw new ConfigError(`No lab found in ${lab.stateDir}: bring it up with "patroni-tui lab up".`);
	// Which API the lab's Patroni uses was chosen at `lab up --dcs`; its patronictl.yaml (`etcd:` or `etcd3:`) says.
	const written = dcsFromYaml(readYamlConfig(patronictlConfigPath(lab)), {});
	return {
		scope: lab.scope,
		namespace: lab.namespace,
		dcs: {api: written?.api ?? lab.dcs, endpoints: [`http://${LAB_HOST}:${lab.ports.etcdClient}`]},
		restSeeds: Array.from({length: lab.nodeCount}, (_, index) => `http://${LAB_HOST}:${memberPorts(lab, index).restApi}`),
		restCredentials: {username: secrets.restApiUsername, password: secrets.restApiPassword},
		postgres: {user: 'postgres', password: secrets.superuserPassword},
		haproxy: {
			statsUrl: `http://${LAB_HOST}:${lab.ports.haproxyStats}/;csv`,
			socketPath: haproxySocketPath(lab),
			primary: {host: LAB_HOST, port: lab.ports.haproxyPrimary},
		},
	};
}

/** A patronictl config or a Patroni node's YAML, read the way patronictl reads it (with PATRONI_* overrides). */
function fromYaml(file: string, env: NodeJS.ProcessEnv): Partial<MonitorConfig> {
	const document = readYamlConfig(file);
	const superuser = document['postgresql']?.['authentication']?.['superuser'];
	const restAddress = document['restapi']?.['connect_address'] ?? document['restapi']?.['listen'];
	const dcs = dcsFromYaml(document, env);
	const credentials = restCredentialsFrom(document, env);
	return {
		...(env['PATRONI_SCOPE'] ?? document['scope'] ? {scope: String(env['PATRONI_SCOPE'] ?? document['scope'])} : {}),
		...(env['PATRONI_NAMESPACE'] ?? document['namespace'] ? {namespace: String(env['PATRONI_NAMESPACE'] ?? document['namespace'])} : {}),
		...(dcs ? {dcs} : {}),
		...(credentials ? {restCredentials: credentials} : {}),
		...(restAddress ? {restSeeds: [`http://${String(restAddress)}`]} : {}),
		postgres: {
			user: String(env['PATRONI_SUPERUSER_USERNAME'] ?? superuser?.['username'] ?? 'postgres'),
			password: env['PATRONI_SUPERUSER_PASSWORD'] ?? superuser?.['password'] ?? env['PGPASSWORD'],
		},
	};
}

/** Flags over environment over config file over the lab: what the monitor attaches to. Refuses what can't work. */
export function resolveMonitorConfig(flags: MonitorFlags, env: NodeJS.ProcessEnv = process.env): MonitorConfig {
	const file = flags.lab ? undefined : patronictlConfigFile(flags.config, env);
	const base: Partial<MonitorConfig> = flags.lab ? fromLab(flags) : file ? fromYaml(file, env) : {};
	const etcd = list(flags.etcd);
	const intervalMs = positiveNumber('interval', flags.interval, DEFAULT_INTERVAL_MS / 1000) * 1000;
	const api = flags.etcdApi ?? base.dcs?.api ?? 'etcd3';
	if (api !== 'etcd3' && api !== 'etcd2') throw new ConfigError(`--etcd-api must be etcd3 or etcd2, not "${api}".`);
	const endpoints = etcd.length > 0 ? etcd.map(host => (host.includes('://') ? host : `http://${host}`)) : base.dcs?.endpoints ?? [];
	const scope = flags.scope ?? base.scope;
	if (!scope) throw new ConfigError('Which cluster? Give --scope, a patronictl config (-c), or --lab.');
	if (endpoints.length === 0 && list(flags.rest).length === 0 && (base.restSeeds ?? []).length === 0) {
		throw new ConfigError('Where is the cluster? Give --etcd host:port, --rest http://host:port, a patronictl config (-c), or --lab.');
	}
	return {
		scope,
		namespace: normaliseNamespace(flags.namespace ?? base.namespace ?? '/service/'),
		dcs: {api, endpoints},
		restSeeds: list(flags.rest).length > 0 ? list(flags.rest) : base.restSeeds ?? [],
		restCredentials: base.restCredentials,
		postgres: {user: flags.pgUser ?? base.postgres?.user ?? 'postgres', password: base.postgres?.password ?? env['PGPASSWORD']},
		haproxy: {
			statsUrl: flags.haproxyStats ?? base.haproxy?.statsUrl,
			socketPath: flags.haproxySocket ?? base.haproxy?.socketPath,
			primary: flags.haproxyPrimary ? hostPort('haproxy-primary', flags.haproxyPrimary) : base.haproxy?.primary,
		},
		dockerSocket: flags.dockerSocket,
		intervalMs,
		calmIntervalMs: Math.max(intervalMs, positiveNumber('calm-interval', flags.calmInterval, (CALM_INTERVAL_FACTOR * intervalMs) / 1000) * 1000),
		thresholds: {
			lagBytes: positiveNumber('lag-bytes', flags.lagBytes, DEFAULT_THRESHOLDS.lagBytes),
			lagSeconds: positiveNumber('lag-seconds', flags.lagSeconds, DEFAULT_THRESHOLDS.lagSeconds),
		},
		logFile: flags.logFile,
		isReadOnly: Boolean(flags.readOnly),
	};
}
