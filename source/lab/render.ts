import YAML from 'yaml';
import {LAB_HOST, memberName, memberNames, memberPorts, type LabConfig} from './lab-config.js';
import type {LabSecrets} from './secrets.js';

/** Where a container sees its own piece of the state directory. */
export const CONTAINER_LAB_DIR = '/lab';

/**
 * Timings for a lab that reacts within seconds. Patroni keeps the leader key for `ttl` seconds; a loop every
 * 2 s with 5 s retries fits inside it (loop_wait + 2 * retry_timeout <= ttl).
 */
export const LAB_TIMINGS = {ttl: 15, loop_wait: 2, retry_timeout: 5} as const;

function dcsSection(config: LabConfig): Record<string, unknown> {
	const endpoint = `${LAB_HOST}:${config.ports.etcdClient}`;
	return config.dcs === 'etcd3' ? {etcd3: {hosts: [endpoint]}} : {etcd: {hosts: [endpoint]}};
}

export function renderPatroniConfig(config: LabConfig, secrets: LabSecrets, index: number, pgBinDir: string): string {
	const {postgres, restApi} = memberPorts(config, index);
	const document = {
		scope: config.scope,
		namespace: config.namespace,
		name: memberName(index),
		log: {level: 'INFO'},
		restapi: {
			listen: `${LAB_HOST}:${restApi}`,
			connect_address: `${LAB_HOST}:${restApi}`,
			authentication: {username: secrets.restApiUsername, password: secrets.restApiPassword},
		},
		...dcsSection(config),
		bootstrap: {
			dcs: {
				...LAB_TIMINGS,
				maximum_lag_on_failover: 1_048_576,
				synchronous_mode: config.synchronousMode,
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
				superuser: {username: 'postgres', password: secrets.superuserPassword},
				replication: {username: 'replicator', password: secrets.replicationPassword},
				rewind: {username: 'rewind_user', password: secrets.rewindPassword},
			},
			parameters: {unix_socket_directories: CONTAINER_LAB_DIR},
			pg_hba: [
				'local all all peer',
				`host replication replicator ${LAB_HOST}/32 scram-sha-256`,
				`host all all ${LAB_HOST}/32 scram-sha-256`,
			],
		},
		tags: {nofailover: false, noloadbalance: false, clonefrom: false, nosync: false},
	};
	return YAML.stringify(document);
}

/** patronictl's own config for the lab, so Debian's patronictl can be pointed at it with -c. */
export function renderPatronictlConfig(config: LabConfig, secrets: LabSecrets): string {
	return YAML.stringify({
		scope: config.scope,
		namespace: config.namespace,
		...dcsSection(config),
		restapi: {authentication: {username: secrets.restApiUsername, password: secrets.restApiPassword}},
		ctl: {authentication: {username: secrets.restApiUsername, password: secrets.restApiPassword}},
	});
}

function haproxyListener(config: LabConfig, name: string, port: number, check: string): string[] {
	const servers = memberNames(config).map((member, index) => {
		const ports = memberPorts(config, index);
		return `    server ${member} ${LAB_HOST}:${ports.postgres} check port ${ports.restApi}`;
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
		`    bind ${LAB_HOST}:${config.ports.haproxyStats}`,
		'    stats enable',
		'    stats uri /',
		'',
		...haproxyListener(config, 'primary', config.ports.haproxyPrimary, '/primary'),
		...haproxyListener(config, 'replicas', config.ports.haproxyReplicas, '/replica'),
	].join('\n');
}

export function etcdCommand(config: LabConfig): string[] {
	const client = `http://${LAB_HOST}:${config.ports.etcdClient}`;
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
	];
}
