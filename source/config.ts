import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError} from './config-error.js';
import {DEFAULT_THRESHOLDS, type Thresholds} from './model/alerts.js';
import type {RestCredentials} from './clients/patroni.js';
import type {TlsClientSettings} from './clients/tls-files.js';
import type {PostgresSsl} from './clients/postgres-ssl.js';
import {environmentSettings, patchConfig, type Document} from './patroni-env.js';
import {parsePatroniYaml} from './patroni-yaml.js';
import type {Where} from './etcd-section.js';

export {ConfigError};

/** Everything the monitor needs to reach a cluster. Credentials live here and nowhere that is printed. */
export type MonitorConfig = {
	readonly scope: string;
	readonly namespace: string;
	readonly dcs: {
		readonly api: 'etcd3' | 'etcd2';
		readonly endpoints: readonly string[];
		readonly username?: string;
		readonly password?: string;
		readonly tls?: TlsClientSettings;
	};
	readonly restSeeds: readonly string[];
	readonly restCredentials?: RestCredentials;
	/** How members' https APIs are verified and which client certificate goes to them (ctl, as patronictl reads it). */
	readonly restTls: TlsClientSettings;
	/** `ssl`: libpq's sslmode and files as the superuser section, PGSSL* and ~/.postgresql/ give them; none: libpq's default. */
	readonly postgres: {readonly user: string; readonly password?: string; readonly ssl?: PostgresSsl};
	/** `primary` is HAProxy's primary listener, where the write probe and the replication check write. */
	readonly haproxy: {
		readonly statsUrl?: string;
		readonly socketPath?: string;
		readonly primary?: {readonly host: string; readonly port: number};
		/** For a stats page on https: whom to trust (the lab's CA; else Node's store and NODE_EXTRA_CA_CERTS). */
		readonly tls?: TlsClientSettings;
	};
	/** The engine's socket; undefined when Docker is off (none asked for and none at the default path), and why. */
	readonly dockerSocket?: string;
	readonly dockerOffReason?: string;
	readonly intervalMs: number;
	/** The polls' interval once nothing has happened for a while (see Cadence); never below intervalMs. */
	readonly calmIntervalMs: number;
	readonly thresholds: Thresholds;
	readonly logFile?: string;
	/** The event log is rotated past this size (--log-max-bytes; source/event-log-file.ts). */
	readonly logMaxBytes?: number;
	readonly isReadOnly: boolean;
};

/** patronictl's lookup order: -c, then PATRONICTL_CONFIG_FILE, then ~/.config/patroni/patronictl.yaml. */
export function patronictlConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
	if (flag) return flag;
	if (env['PATRONICTL_CONFIG_FILE']) return env['PATRONICTL_CONFIG_FILE'];
	const fallback = path.join(os.homedir(), '.config', 'patroni', 'patronictl.yaml');
	return fs.existsSync(fallback) ? fallback : undefined;
}

function parseDocument(text: string, what: string): Document {
	let parsed: unknown;
	try {
		parsed = parsePatroniYaml(text);
	} catch (error) {
		const message = (error as Error).message.split('\n')[0];
		throw new ConfigError(`${what} is not valid YAML: ${message}`);
	}
	if (parsed === null || parsed === undefined) return {};
	if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${what} is not a YAML mapping.`);
	return parsed as Document;
}

export function readYamlConfig(file: string): Document {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(`Cannot read the config file ${file}: ${(error as Error).message}`);
	}
	return parseDocument(text, `The config file ${file}`);
}

/** A configuration as Patroni puts it together, and how to name each key's origin in a message. */
export type PatroniSource = {readonly document: Document; readonly where: Where};

/**
 * What Patroni's Config reads: the file patched by the PATRONI_* variables; with no file, PATRONI_CONFIGURATION
 * (and then no other variable), else the variables alone.
 */
export function patroniSource(file: string | undefined, env: NodeJS.ProcessEnv): PatroniSource {
	if (file) {
		const {document, variables} = environmentSettings(env);
		return {document: patchConfig(readYamlConfig(file), document), where: key => variables.get(key) ?? `${file}: ${key}`};
	}
	const whole = env['PATRONI_CONFIGURATION'];
	if (whole) return {document: parseDocument(whole, 'PATRONI_CONFIGURATION'), where: key => `PATRONI_CONFIGURATION: ${key}`};
	const {document, variables} = environmentSettings(env);
	return {document, where: key => variables.get(key) ?? `the PATRONI_* variables: ${key}`};
}

export function normaliseNamespace(namespace: string): string {
	const trimmed = namespace.replace(/^\/+|\/+$/g, '');
	return trimmed ? `/${trimmed}/` : '/';
}

export const DEFAULT_INTERVAL_MS = 1000;
/** A calm cluster is polled this many times less often (see Cadence). */
export const CALM_INTERVAL_FACTOR = 3;
export {DEFAULT_THRESHOLDS};
