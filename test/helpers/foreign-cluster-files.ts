/**
 * What a foreign cluster is made of, written by hand from Patroni's and etcd's docs (no code from source/lab/):
 * its ports, etcd's command line, each member's Patroni YAML, the minimal patronictl.yaml a user would have, and
 * the user postgres who owns it all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {ctlTlsKeys, etcdTlsFlags, etcdTlsKeys, libpqTlsKeys, postgresTlsParameters, restapiTlsKeys, tlsHbaLines} from './foreign-cluster-tls.js';
import type {ForeignCerts} from './foreign-cluster-tls.js';

export type ForeignDcs = 'etcd3' | 'etcd2';
export type ForeignSpec = {
	readonly scope: string;
	readonly dcs: ForeignDcs;
	readonly etcdPorts: {readonly client: number; readonly peer: number};
	/** One REST and one PostgreSQL port per member, node1 first. */
	readonly restPorts: readonly number[];
	readonly pgPorts: readonly number[];
	/** Member names, one per port; node1..3 when not given. */
	readonly memberNames?: readonly string[];
	/** etcd on https with client certificates and a root user, REST on https, PostgreSQL hostssl only. */
	readonly tls?: boolean;
};

/** Ports no lab uses (labs: etcd 12379+, REST 18008+, PostgreSQL 15433+, HAProxy 15000+/17000+, offsets up to 900). */
export const FOREIGN_V3: ForeignSpec = {scope: 'dummy', dcs: 'etcd3', etcdPorts: {client: 23379, peer: 23380}, restPorts: [28008, 28009, 28010], pgPorts: [25432, 25433, 25434]};
export const FOREIGN_V2: ForeignSpec = {scope: 'dummy2', dcs: 'etcd2', etcdPorts: {client: 24379, peer: 24380}, restPorts: [29008, 29009, 29010], pgPorts: [26432, 26433, 26434]};
/** Names unlike the lab's, as a company's cluster would have. */
export const FOREIGN_TLS: ForeignSpec = {scope: 'billing-tls', dcs: 'etcd3', etcdPorts: {client: 23479, peer: 23480}, restPorts: [28108, 28109, 28110], pgPorts: [25532, 25533, 25534], memberNames: ['pg-a', 'pg-b', 'pg-c'], tls: true};

/** Where every foreign cluster lives, one folder per scope; scripts/test.sh's trap reads `<scope>/pids` under it. */
export const FOREIGN_ROOT = path.join(os.tmpdir(), 'patroni-tui-test-foreign');
export const HOST = '127.0.0.1';
const PG_BIN = '/usr/lib/postgresql/15/bin';

export type ForeignMember = {readonly name: string; readonly restUrl: string; readonly pgPort: number; readonly dataDir: string; readonly configFile: string};
export type ForeignSecrets = {readonly restUser: string; readonly restPassword: string; readonly superuserPassword: string; readonly replicationPassword: string; readonly etcdRootPassword?: string};

export function foreignMembers(spec: ForeignSpec, dir: string): ForeignMember[] {
	return spec.restPorts.map((restPort, index) => {
		const name = spec.memberNames?.[index] ?? `node${index + 1}`;
		return {name, restUrl: `${spec.tls ? 'https' : 'http'}://${HOST}:${restPort}`, pgPort: spec.pgPorts[index]!, dataDir: path.join(dir, name, 'data'), configFile: path.join(dir, name, 'patroni.yml')};
	});
}

export function etcdArgs(spec: ForeignSpec, dir: string, certs?: ForeignCerts): string[] {
	const client = `${certs ? 'https' : 'http'}://${HOST}:${spec.etcdPorts.client}`;
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
		...(certs ? etcdTlsFlags(certs) : []),
	];
}

/** The TLS files and etcd's root password, for a cluster with `tls`. */
export type ForeignTls = {readonly certs: ForeignCerts; readonly etcdRootPassword: string};

/** Patroni's `etcd3:` or (v2 API) `etcd:` section. */
function dcsSection(spec: ForeignSpec, tls: ForeignTls | undefined): Record<string, unknown> {
	const keys = tls ? etcdTlsKeys(tls.certs, tls.etcdRootPassword) : {};
	return {[spec.dcs === 'etcd3' ? 'etcd3' : 'etcd']: {hosts: [`${HOST}:${spec.etcdPorts.client}`], ...keys}};
}

/** A member's YAML, as Patroni's docs (YAML Configuration Settings) describe it; timings small for speed. */
export function patroniYaml(spec: ForeignSpec, member: ForeignMember, secrets: ForeignSecrets, tls?: ForeignTls): string {
	const folder = path.dirname(member.configFile);
	const address = `${HOST}:${member.pgPort}`;
	const rest = new URL(member.restUrl).host;
	const libpq = tls ? libpqTlsKeys(tls.certs) : {};
	return YAML.stringify({
		scope: spec.scope,
		namespace: '/service/',
		name: member.name,
		restapi: {listen: rest, connect_address: rest, authentication: {username: secrets.restUser, password: secrets.restPassword}, ...(tls ? restapiTlsKeys(tls.certs) : {})},
		...(tls ? {ctl: ctlTlsKeys(tls.certs)} : {}),
		...dcsSection(spec, tls),
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
				superuser: {username: 'postgres', password: secrets.superuserPassword, ...libpq},
				replication: {username: 'replicator', password: secrets.replicationPassword, ...libpq},
			},
			parameters: {unix_socket_directories: folder, shared_buffers: '16MB', ...(tls ? postgresTlsParameters(tls.certs) : {})},
			pg_hba: tls ? tlsHbaLines(HOST) : ['local all all peer', `host replication replicator ${HOST}/32 scram-sha-256`, `host all all ${HOST}/32 scram-sha-256`],
		},
	});
}

/**
 * What patronictl needs and nothing more: scope, namespace, the etcd hosts, the REST credentials. With TLS, as a
 * user writes it: etcd3's protocol, CA, client certificate and user, `ctl`'s CA and client certificate, and how
 * the superuser verifies PostgreSQL (its password stays out: PGPASSWORD).
 */
export function patronictlYaml(spec: ForeignSpec, secrets: ForeignSecrets, tls?: ForeignTls): string {
	const authentication = {username: secrets.restUser, password: secrets.restPassword};
	if (!tls) return YAML.stringify({scope: spec.scope, namespace: '/service/', ...dcsSection(spec, tls), restapi: {authentication}});
	return YAML.stringify({
		scope: spec.scope,
		namespace: '/service/',
		...dcsSection(spec, tls),
		// patronictl 3.0.2 turns restapi.authentication (not ctl's) into the basic auth it sends.
		restapi: {authentication},
		ctl: ctlTlsKeys(tls.certs),
		postgresql: {authentication: {superuser: {username: 'postgres', ...libpqTlsKeys(tls.certs)}}},
	});
}

export type Postgres = {readonly uid: number; readonly gid: number; readonly home: string};

/** Debian's postgres user: every process and file of a foreign cluster is its. */
export function postgresUser(): Postgres {
	const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find(entry => entry.startsWith('postgres:'));
	if (!line) throw new Error('no user postgres: install Debian\'s postgresql');
	const [, , uid, gid, , home] = line.split(':');
	return {uid: Number(uid), gid: Number(gid), home: home ?? '/var/lib/postgresql'};
}

export function chownTree(dir: string, {uid, gid}: Postgres): void {
	fs.chownSync(dir, uid, gid);
	for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) chownTree(full, {uid, gid, home: ''});
		else fs.chownSync(full, uid, gid);
	}
}
