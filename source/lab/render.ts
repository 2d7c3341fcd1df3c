import YAML from 'yaml';
import {extraMemberPorts, type ExtraCluster} from './lab-clusters.js';
import {LAB_HOST, memberName, memberNames, memberPorts, type LabConfig} from './lab-config.js';
import {
	ctlTlsKeys,
	etcdTlsFlags,
	etcdTlsKeys,
	haproxyCheckTls,
	haproxyStatsBindTls,
	libpqTlsKeys,
	postgresTlsParameters,
	restapiTlsKeys,
	tlsHbaLines,
} from './render-tls.js';
import type {LabSecrets} from './secrets.js';
import {CONTAINER_TLS, labTlsDir, tlsPaths, type TlsPaths} from './tls-certs.js';

/** Where a container sees its own piece of the state directory. */
export const CONTAINER_LAB_DIR = '/lab';

/**
 * Timings for a lab that reacts within seconds. Patroni keeps the leader key for `ttl` seconds; a loop every
 * 2 s with 5 s retries fits inside it (loop_wait + 2 * retry_timeout <= ttl).
 */
export const LAB_TIMINGS = {ttl: 15, loop_wait: 2, retry_timeout: 5} as const;

/** The TLS lab's files as its containers see them, or undefined for a lab without TLS. */
function containerTls(config: LabConfig): TlsPaths | undefined {
	return config.tls ? CONTAINER_TLS : undefined;
}

/** The same files as the host sees them, for patronictl.yaml. */
function hostTls(config: LabConfig): TlsPaths | undefined {
	return config.tls ? tlsPaths(labTlsDir(config.stateDir)) : undefined;
}

function etcdPassword(secrets: LabSecrets): string {
	if (secrets.etcdRootPassword === undefined) throw new Error("secrets.json has no etcdRootPassword, which a TLS lab's etcd needs");
	return secrets.etcdRootPassword;
}

function dcsSection(config: LabConfig, secrets: LabSecrets, tls: TlsPaths | undefined): Record<string, unknown> {
	const endpoint = `${LAB_HOST}:${config.ports.etcdClient}`;
	const section = {hosts: [endpoint], ...(tls ? etcdTlsKeys(tls, etcdPassword(secrets)) : {})};
	return config.dcs === 'etcd3' ? {etcd3: section} : {etcd: section};
}

/**
 * A standby cluster replicates from whichever member leads the lab: HAProxy's primary listener follows the leader
 * through a switchover. Patroni 3.0.2 connects with its own replication credentials (the lab's, as the standby
 * shares secrets.json), which the lab's pg_hba lets in from 127.0.0.1.
 */
function standbyClusterSection(config: LabConfig): Record<string, unknown> {
	return {host: LAB_HOST, port: config.ports.haproxyPrimary, create_replica_methods: ['basebackup']};
}

/** Member `index` of the lab's cluster, or of `cluster` (one of lab-clusters.ts's) when given. */
export function renderPatroniConfig(config: LabConfig, secrets: LabSecrets, index: number, pgBinDir: string, cluster?: ExtraCluster): string {
	const {postgres, restApi} = cluster ? extraMemberPorts(config, cluster, index) : memberPorts(config, index);
	const tls = containerTls(config);
	const libpq = tls ? libpqTlsKeys(tls) : {};
	const document = {
		scope: cluster?.scope ?? config.scope,
		namespace: config.namespace,
		name: memberName(index),
		log: {level: 'INFO'},
		restapi: {
			listen: `${LAB_HOST}:${restApi}`,
			connect_address: `${LAB_HOST}:${restApi}`,
			authentication: {username: secrets.restApiUsername, password: secrets.restApiPassword},
			...(tls ? restapiTlsKeys(tls) : {}),
		},
		...(tls ? {ctl: ctlTlsKeys(tls)} : {}),
		...dcsSection(config, secrets, tls),
		bootstrap: {
			dcs: {
				...LAB_TIMINGS,
				maximum_lag_on_failover: 1_048_576,
				synchronous_mode: cluster ? false : config.synchronousMode,
				...(cluster?.kind === 'standby' ? {standby_cluster: standbyClusterSection(config)} : {}),
				postgresql: {
					use_pg_rewind: true,
					use_slots: true,
					parameters: {
						max_connections: 100,
						max_wal_senders: 10,
						max_replication_slots: 10,
						wal_level: 'replica',
						hot_standby: 'on',
						wal_log_hints: 'on',
						wal_keep_size: '64MB',
						shared_buffers: '32MB',
						track_commit_timestamp: 'off',
					},
				},
			},
			initdb: [{encoding: 'UTF8'}, {locale: 'C.UTF-8'}, 'data-checksums'],
		},
		postgresql: {
			listen: `${LAB_HOST}:${postgres}`,
			connect_address: `${LAB_HOST}:${postgres}`,
			data_dir: `${CONTAINER_LAB_DIR}/data`,
			bin_dir: pgBinDir,
			pgpass: `${CONTAINER_LAB_DIR}/pgpass`,
			authentication: {
				superuser: {username: 'postgres', password: secrets.superuserPassword, ...libpq},
				replication: {username: 'replicator', password: secrets.replicationPassword, ...libpq},
				rewind: {username: 'rewind_user', password: secrets.rewindPassword, ...libpq},
			},
			parameters: {unix_socket_directories: CONTAINER_LAB_DIR, ...(tls ? postgresTlsParameters(tls) : {})},
			pg_hba: tls
				? tlsHbaLines(LAB_HOST)
				: ['local all all peer', `host replication replicator ${LAB_HOST}/32 scram-sha-256`, `host all all ${LAB_HOST}/32 scram-sha-256`],
		},
		tags: {nofailover: false, noloadbalance: false, clonefrom: false, nosync: false},
	};
	return YAML.stringify(document);
}

/**
 * patronictl's own config for the lab, so Debian's patronictl can be pointed at it with -c. On a TLS lab it also
 * says how PostgreSQL is verified (the superuser's sslmode and sslrootcert; its password stays in secrets.json).
 */
export function renderPatronictlConfig(config: LabConfig, secrets: LabSecrets, scope = config.scope): string {
	const tls = hostTls(config);
	// One object each: YAML would write a shared one as an anchor and an alias.
	const authentication = () => ({username: secrets.restApiUsername, password: secrets.restApiPassword});
	return YAML.stringify({
		scope,
		namespace: config.namespace,
		...dcsSection(config, secrets, tls),
		restapi: {authentication: authentication()},
		ctl: {authentication: authentication(), ...(tls ? ctlTlsKeys(tls) : {})},
		...(tls ? {postgresql: {authentication: {superuser: {username: 'postgres', ...libpqTlsKeys(tls)}}}} : {}),
	});
}

function haproxyListener(config: LabConfig, name: string, port: number, check: string): string[] {
	const tls = containerTls(config);
	const servers = memberNames(config).map((member, index) => {
		const ports = memberPorts(config, index);
		return `    server ${member} ${LAB_HOST}:${ports.postgres} check port ${ports.restApi}${tls ? ` ${haproxyCheckTls(tls)}` : ''}`;
	});
	return [
		`listen ${name}`,
		`    bind ${LAB_HOST}:${port}`,
		'    balance roundrobin',
		`    option httpchk OPTIONS ${check}`,
		'    http-check expect status 200',
		'    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions',
		...servers,
		'',
	];
}

/** HAProxy routes by asking each member's Patroni whether it is the primary or a replica. */
export function renderHaproxyConfig(config: LabConfig): string {
	const tls = containerTls(config);
	return [
		'global',
		'    maxconn 256',
		`    stats socket ${CONTAINER_LAB_DIR}/haproxy.sock mode 600 level admin`,
		'    stats timeout 30s',
		'',
		'defaults',
		'    mode tcp',
		'    timeout connect 2s',
		'    timeout client 30m',
		'    timeout server 30m',
		'    timeout check 1s',
		'',
		'listen stats',
		'    mode http',
		`    bind ${LAB_HOST}:${config.ports.haproxyStats}${tls ? ` ${haproxyStatsBindTls(tls)}` : ''}`,
		'    stats enable',
		'    stats uri /',
		'',
		...haproxyListener(config, 'primary', config.ports.haproxyPrimary, '/primary'),
		...haproxyListener(config, 'replicas', config.ports.haproxyReplicas, '/replica'),
	].join('\n');
}

export function etcdCommand(config: LabConfig): string[] {
	const tls = containerTls(config);
	const client = `${tls ? 'https' : 'http'}://${LAB_HOST}:${config.ports.etcdClient}`;
	const peer = `http://${LAB_HOST}:${config.ports.etcdPeer}`;
	return [
		'/usr/bin/etcd',
		'--name=lab-etcd',
		`--data-dir=${CONTAINER_LAB_DIR}/data`,
		`--listen-client-urls=${client}`,
		`--advertise-client-urls=${client}`,
		`--listen-peer-urls=${peer}`,
		`--initial-advertise-peer-urls=${peer}`,
		`--initial-cluster=lab-etcd=${peer}`,
		'--initial-cluster-state=new',
		'--enable-v2=true',
		'--auto-compaction-retention=1h',
		...(tls ? etcdTlsFlags(tls) : []),
	];
}
