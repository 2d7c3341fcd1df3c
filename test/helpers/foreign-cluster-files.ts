/**
 * What a foreign cluster is made of, written by hand from Patroni's and etcd's docs (no code from source/lab/):
 * its ports, etcd's command line, each member's Patroni YAML and the minimal patronictl.yaml a user would have.
 */
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export type ForeignDcs = 'etcd3' | 'etcd2';
export type ForeignSpec = {
	readonly scope: string;
	readonly dcs: ForeignDcs;
	readonly etcdPorts: {readonly client: number; readonly peer: number};
	/** One REST and one PostgreSQL port per member, node1 first. */
	readonly restPorts: readonly number[];
	readonly pgPorts: readonly number[];
};

/** Ports no lab uses (labs: etcd 12379+, REST 18008+, PostgreSQL 15433+, HAProxy 15000+/17000+, offsets up to 900). */
export const FOREIGN_V3: ForeignSpec = {scope: 'dummy', dcs: 'etcd3', etcdPorts: {client: 23379, peer: 23380}, restPorts: [28008, 28009, 28010], pgPorts: [25432, 25433, 25434]};
export const FOREIGN_V2: ForeignSpec = {scope: 'dummy2', dcs: 'etcd2', etcdPorts: {client: 24379, peer: 24380}, restPorts: [29008, 29009, 29010], pgPorts: [26432, 26433, 26434]};

/** Where every foreign cluster lives, one folder per scope; scripts/test.sh's trap reads `<scope>/pids` under it. */
export const FOREIGN_ROOT = path.join(os.tmpdir(), 'patroni-tui-test-foreign');
export const HOST = '127.0.0.1';
const PG_BIN = '/usr/lib/postgresql/15/bin';

export type ForeignMember = {readonly name: string; readonly restUrl: string; readonly pgPort: number; readonly dataDir: string; readonly configFile: string};
export type ForeignSecrets = {readonly restUser: string; readonly restPassword: string; readonly superuserPassword: string; readonly replicationPassword: string};

export function foreignMembers(spec: ForeignSpec, dir: string): ForeignMember[] {
	return spec.restPorts.map((restPort, index) => {
		const name = `node${index + 1}`;
		return {name, restUrl: `http://${HOST}:${restPort}`, pgPort: spec.pgPorts[index]!, dataDir: path.join(dir, name, 'data'), configFile: path.join(dir, name, 'patroni.yml')};
	});
}

export function etcdArgs(spec: ForeignSpec, dir: string): string[] {
	const client = `http://${HOST}:${spec.etcdPorts.client}`;
	const peer = `http://${HOST}:${spec.etcdPorts.peer}`;
	const name = `${spec.scope}-etcd`;
	return [
		`--name=${name}`,
		`--data-dir=${path.join(dir, 'etcd')}`,
		`--listen-client-urls=${client}`,
		`--advertise-client-urls=${client}`,
		`--listen-peer-urls=${peer}`,
		`--initial-advertise-peer-urls=${peer}`,
		`--initial-cluster=${name}=${peer}`,
		'--initial-cluster-state=new',
		...(spec.dcs === 'etcd2' ? ['--enable-v2=true'] : []),
	];
}

/** Patroni's `etcd3:` or (v2 API) `etcd:` section. */
function dcsSection(spec: ForeignSpec): Record<string, unknown> {
	return {[spec.dcs === 'etcd3' ? 'etcd3' : 'etcd']: {hosts: [`${HOST}:${spec.etcdPorts.client}`]}};
}

/** A member's YAML, as Patroni's docs (YAML Configuration Settings) describe it; timings small for speed. */
export function patroniYaml(spec: ForeignSpec, member: ForeignMember, secrets: ForeignSecrets): string {
	const folder = path.dirname(member.configFile);
	const address = `${HOST}:${member.pgPort}`;
	const rest = member.restUrl.slice('http://'.length);
	return YAML.stringify({
		scope: spec.scope,
		namespace: '/service/',
		name: member.name,
		restapi: {listen: rest, connect_address: rest, authentication: {username: secrets.restUser, password: secrets.restPassword}},
		...dcsSection(spec),
		bootstrap: {
			// loop_wait + 2 * retry_timeout <= ttl, as Patroni asks.
			dcs: {
				ttl: 15,
				loop_wait: 2,
				retry_timeout: 5,
				maximum_lag_on_failover: 1_048_576,
				postgresql: {
					use_pg_rewind: true,
					use_slots: true,
					parameters: {max_connections: 100, wal_level: 'replica', hot_standby: 'on', wal_log_hints: 'on', max_wal_senders: 10, max_replication_slots: 10, wal_keep_size: '64MB'},
				},
			},
			initdb: [{encoding: 'UTF8'}, {locale: 'C.UTF-8'}],
		},
		postgresql: {
			listen: address,
			connect_address: address,
			data_dir: member.dataDir,
			bin_dir: PG_BIN,
			pgpass: path.join(folder, 'pgpass'),
			authentication: {
				superuser: {username: 'postgres', password: secrets.superuserPassword},
				replication: {username: 'replicator', password: secrets.replicationPassword},
			},
			parameters: {unix_socket_directories: folder, shared_buffers: '16MB'},
			pg_hba: ['local all all peer', `host replication replicator ${HOST}/32 scram-sha-256`, `host all all ${HOST}/32 scram-sha-256`],
		},
	});
}

/** What patronictl needs and nothing more: scope, namespace, the etcd hosts, the REST credentials. */
export function patronictlYaml(spec: ForeignSpec, secrets: ForeignSecrets): string {
	return YAML.stringify({scope: spec.scope, namespace: '/service/', ...dcsSection(spec), restapi: {authentication: {username: secrets.restUser, password: secrets.restPassword}}});
}
