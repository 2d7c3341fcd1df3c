import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {DEFAULT_THRESHOLDS, type Thresholds} from './model/alerts.js';
import type {RestCredentials} from './clients/patroni.js';

/** Everything the monitor needs to reach a cluster. Credentials live here and nowhere that is printed. */
export type MonitorConfig = {
	readonly scope: string;
	readonly namespace: string;
	readonly dcs: {readonly api: 'etcd3' | 'etcd2'; readonly endpoints: readonly string[]};
	readonly restSeeds: readonly string[];
	readonly restCredentials?: RestCredentials;
	readonly postgres: {readonly user: string; readonly password?: string};
	/** `primary` is HAProxy's primary listener, where the write probe and the replication check write. */
	readonly haproxy: {readonly statsUrl?: string; readonly socketPath?: string; readonly primary?: {readonly host: string; readonly port: number}};
	readonly dockerSocket?: string;
	readonly intervalMs: number;
	/** The polls' interval once nothing has happened for a while (see Cadence); never below intervalMs. */
	readonly calmIntervalMs: number;
	readonly thresholds: Thresholds;
	readonly logFile?: string;
	readonly isReadOnly: boolean;
};

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** patronictl's lookup order: -c, then PATRONICTL_CONFIG_FILE, then ~/.config/patroni/patronictl.yaml. */
export function patronictlConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
	if (flag) return flag;
	if (env['PATRONICTL_CONFIG_FILE']) return env['PATRONICTL_CONFIG_FILE'];
	const fallback = path.join(os.homedir(), '.config', 'patroni', 'patronictl.yaml');
	return fs.existsSync(fallback) ? fallback : undefined;
}

// Patroni's YAML is open-ended and read field by field with fallbacks, so its values are deliberately untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type YamlConfig = Record<string, any>;

export function readYamlConfig(file: string): YamlConfig {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(`Cannot read the config file ${file}: ${(error as Error).message}`);
	}
	let parsed: unknown;
	try {
		parsed = YAML.parse(text);
	} catch (error) {
		const message = (error as Error).message.split('\n')[0];
		throw new ConfigError(`The config file ${file} is not valid YAML: ${message}`);
	}
	if (parsed === null || parsed === undefined) return {};
	if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`The config file ${file} is not a YAML mapping.`);
	return parsed as YamlConfig;
}

/** Patroni's host lists come as "h:p,h:p", a YAML list, or a single `host`/`url`; all become http:// URLs. */
export function etcdEndpoints(section: YamlConfig | undefined, envHosts: string | undefined): string[] {
	const raw = envHosts ?? section?.['hosts'] ?? section?.['host'] ?? section?.['url'] ?? section?.['urls'];
	if (raw === undefined) return [];
	const list: string[] = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
	const protocol = section?.['protocol'] ?? 'http';
	return list.map(host => host.trim()).filter(Boolean).map(host => (host.includes('://') ? host : `${protocol}://${host}`));
}

/** The DCS section the way Patroni chooses it: `etcd3:` means the v3 API, `etcd:` the v2 API. */
export function dcsFromYaml(document: YamlConfig, env: NodeJS.ProcessEnv): MonitorConfig['dcs'] | undefined {
	const v3 = etcdEndpoints(document['etcd3'], env['PATRONI_ETCD3_HOSTS'] ?? env['PATRONI_ETCD3_HOST']);
	if (v3.length > 0) return {api: 'etcd3', endpoints: v3};
	const v2 = etcdEndpoints(document['etcd'], env['PATRONI_ETCD_HOSTS'] ?? env['PATRONI_ETCD_HOST']);
	if (v2.length > 0) return {api: 'etcd2', endpoints: v2};
	return undefined;
}

export function restCredentialsFrom(document: YamlConfig, env: NodeJS.ProcessEnv): RestCredentials | undefined {
	const username = env['PATRONI_RESTAPI_USERNAME'] ?? document['ctl']?.['authentication']?.['username'] ?? document['restapi']?.['authentication']?.['username'];
	const password = env['PATRONI_RESTAPI_PASSWORD'] ?? document['ctl']?.['authentication']?.['password'] ?? document['restapi']?.['authentication']?.['password'];
	return username && password !== undefined ? {username: String(username), password: String(password)} : undefined;
}

export function normaliseNamespace(namespace: string): string {
	const trimmed = namespace.replace(/^\/+|\/+$/g, '');
	return trimmed ? `/${trimmed}/` : '/';
}

export function positiveNumber(name: string, value: number | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`--${name} must be a positive number, not ${value}.`);
	return value;
}

export const DEFAULT_INTERVAL_MS = 1000;
/** A calm cluster is polled this many times less often (see Cadence). */
export const CALM_INTERVAL_FACTOR = 3;
export {DEFAULT_THRESHOLDS};
