import os from 'node:os';
import path from 'node:path';
import {ConfigError} from '../config-error.js';

/** Where every lab listener binds: the lab never listens beyond loopback. */
export const LAB_HOST = '127.0.0.1';

export type LabDcs = 'etcd3' | 'etcd2';

export type LabPorts = {
	readonly etcdClient: number;
	readonly etcdPeer: number;
	readonly haproxyPrimary: number;
	readonly haproxyReplicas: number;
	readonly haproxyStats: number;
	/** PostgreSQL port of the first node; node N uses postgresBase + N - 1. */
	readonly postgresBase: number;
	/** REST API port of the first node; node N uses restApiBase + N - 1. */
	readonly restApiBase: number;
};

export type LabConfig = {
	readonly scope: string;
	readonly namespace: string;
	readonly nodeCount: number;
	readonly dcs: LabDcs;
	readonly synchronousMode: boolean;
	/** `lab up --tls`: every channel on TLS with the lab's own CA (tls-certs.ts), etcd with its root user. */
	readonly tls: boolean;
	/** `lab up --standby`: a standby cluster `<scope>-standby` beside it (lab-clusters.ts, which lays out its ports). */
	readonly standby: boolean;
	/** `lab up --clusters N`: how many primary clusters, the lab's own included (N - 1 of one member each). */
	readonly clusters: number;
	readonly stateDir: string;
	readonly ports: LabPorts;
};

/** Away from a system PostgreSQL (5432), etcd (2379) and Patroni (8008) so the lab never clashes with them. */
export const DEFAULT_PORTS: LabPorts = {
	etcdClient: 12379,
	etcdPeer: 12380,
	haproxyPrimary: 15000,
	haproxyReplicas: 15001,
	haproxyStats: 17000,
	postgresBase: 15433,
	restApiBase: 18008,
};

/** One state directory per scope, so a second lab never writes over the first one's data. */
export function defaultStateDir(scope = 'lab', env: NodeJS.ProcessEnv = process.env): string {
	if (env['PATRONI_TUI_LAB_DIR']) return path.resolve(env['PATRONI_TUI_LAB_DIR']);
	const stateHome = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
	return path.join(stateHome, 'patroni-tui', scope);
}

export type LabConfigInput = {
	readonly scope?: string | undefined;
	readonly stateDir?: string | undefined;
	readonly dcs?: string | undefined;
	readonly synchronousMode?: boolean | undefined;
	readonly tls?: boolean | undefined;
	readonly standby?: boolean | undefined;
	readonly clusters?: number | undefined;
	readonly portOffset?: number | undefined;
};

/** The most primary clusters one lab holds, its own included: each is a Patroni and a PostgreSQL (on 2 cores, say). */
export const MAX_CLUSTERS = 10;

/** Builds the lab's configuration from flags, refusing values that would make a broken lab. */
export function labConfig(input: LabConfigInput = {}): LabConfig {
	const scope = input.scope ?? 'lab';
	if (!/^[a-z][a-z0-9-]{0,30}$/.test(scope)) {
		throw new ConfigError(`Scope "${scope}" is not valid: use lowercase letters, digits and dashes, starting with a letter.`);
	}
	const dcs = input.dcs ?? 'etcd3';
	if (dcs !== 'etcd3' && dcs !== 'etcd2') throw new ConfigError(`DCS "${dcs}" is not supported: use etcd3 or etcd2.`);
	const offset = input.portOffset ?? 0;
	if (!Number.isInteger(offset) || offset < -10_000 || offset > 40_000) {
		throw new ConfigError(`Port offset ${offset} is out of range (-10000 to 40000).`);
	}
	const clusters = input.clusters ?? 1;
	if (!Number.isInteger(clusters) || clusters < 1 || clusters > MAX_CLUSTERS) {
		throw new ConfigError(`--clusters ${clusters} is out of range: give a whole number from 1 to ${MAX_CLUSTERS}.`);
	}
	const ports = Object.fromEntries(
		Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, port + offset]),
	) as LabPorts;
	return {
		scope,
		namespace: '/service/',
		nodeCount: 3,
		dcs,
		synchronousMode: input.synchronousMode ?? false,
		tls: input.tls ?? false,
		standby: input.standby ?? false,
		clusters,
		stateDir: path.resolve(input.stateDir ?? defaultStateDir(scope)),
		ports,
	};
}

/** The scheme of the lab's etcd, REST APIs and HAProxy stats page. */
export function labScheme(config: LabConfig): 'http' | 'https' {
	return config.tls ? 'https' : 'http';
}

export function memberName(index: number): string {
	return `node${index + 1}`;
}

export function memberPorts(config: LabConfig, index: number) {
	return {postgres: config.ports.postgresBase + index, restApi: config.ports.restApiBase + index};
}

export function memberNames(config: LabConfig): string[] {
	return Array.from({length: config.nodeCount}, (_, index) => memberName(index));
}
