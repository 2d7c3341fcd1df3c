import type {MonitorConfig} from './config.js';
import {createDockerClient} from './clients/docker.js';
import type {SourceName} from './model/snapshot-types.js';
import type {MonitorSources, MonitorView} from './monitor.js';
import {dockerSource} from './sources/docker-source.js';
import {etcd2Source} from './sources/etcd2-source.js';
import {etcd3Source} from './sources/etcd3-source.js';
import {haproxySource} from './sources/haproxy-source.js';
import {postgresSource, type PostgresEndpoint} from './sources/postgres-source.js';
import {restSource} from './sources/rest-source.js';
import type {Pace} from './sources/cadence.js';

/** Every request to the cluster gives up after this long: a frozen member must never freeze the monitor. */
const TIMEOUT_MS = 1500;

/**
 * Builds one source per real system from the config. `currentView` lets the PostgreSQL source follow the
 * members the other sources discover (each poll asks it for the current member addresses).
 */
export function buildSources(config: MonitorConfig, currentView: () => MonitorView | undefined, pace?: Pace): MonitorSources {
	const endpoints = (): PostgresEndpoint[] =>
		(currentView()?.snapshot.members ?? [])
			.filter(member => member.host !== undefined && member.port !== undefined)
			.map(member => ({name: member.name, host: member.host!, port: member.port!}));
	const {statsUrl, socketPath, tls} = config.haproxy;
	const {api, ...etcd} = config.dcs;
	const interval = pace ?? config.intervalMs;
	// With only etcd given, the members' REST APIs are found where Patroni registers them: api_url in the DCS.
	const dcsApiUrls = (): string[] =>
		(currentView()?.snapshot.members ?? []).map(member => member.apiUrl).filter((url): url is string => url !== undefined);
	return {
		...(config.dcs.endpoints.length > 0
			? {dcs: dcsSource(api)({...etcd, namespace: config.namespace, scope: config.scope, requestTimeoutMs: TIMEOUT_MS})}
			: {}),
		rest: restSource({
			seeds: config.restSeeds.length > 0 ? config.restSeeds : dcsApiUrls,
			interval,
			timeoutMs: TIMEOUT_MS,
			credentials: config.restCredentials,
			tls: config.restTls,
			scope: config.scope,
		}),
		postgres: postgresSource({
			endpoints,
			user: config.postgres.user,
			password: config.postgres.password,
			ssl: config.postgres.ssl,
			interval,
			connectTimeoutMs: TIMEOUT_MS,
			statementTimeoutMs: TIMEOUT_MS,
		}),
		...(statsUrl || socketPath
			? {haproxy: haproxySource({statsUrl, socketPath, interval, timeoutMs: TIMEOUT_MS, tls})}
			: {}),
		...(config.dockerSocket === undefined ? {} : {docker: dockerSource({docker: createDockerClient(config.dockerSocket)})}),
	};
}

/** Why a source the config leaves out is off: shown beside "off" in the help and the pane that would draw it. */
export function offReasons(config: MonitorConfig): Partial<Record<SourceName, string>> {
	const {statsUrl, socketPath} = config.haproxy;
	return {
		...(config.dcs.endpoints.length > 0 ? {} : {dcs: 'no etcd endpoint given (--etcd, or the etcd/etcd3 section of the config)'}),
		...(statsUrl || socketPath ? {} : {haproxy: 'no --haproxy-stats or --haproxy-socket given'}),
		...(config.dockerOffReason === undefined ? {} : {docker: config.dockerOffReason}),
	};
}

/** Patroni's `etcd:` section means etcd's v2 keyspace, `etcd3:` the v3 one: they never see each other's keys. */
function dcsSource(api: MonitorConfig['dcs']['api']) {
	return api === 'etcd2' ? etcd2Source : etcd3Source;
}
