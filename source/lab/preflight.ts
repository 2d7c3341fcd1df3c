import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {extraClusters, extraMemberNames, extraMemberPorts} from './lab-clusters.js';
import {LAB_HOST, memberName, memberPorts, type LabConfig} from './lab-config.js';
import type {LabComponent} from '../model/container-labels.js';
import {ETCDCTL} from './etcd-auth.js';
import {OPENSSL} from './tls-certs.js';

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest PostgreSQL that Debian's packages installed, e.g. /usr/lib/postgresql/15/bin. */
export function findPostgresBinDir(root = POSTGRES_ROOT): string | undefined {
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter(version => fs.existsSync(path.join(root, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

const REQUIRED_PROGRAMS: ReadonlyArray<readonly [file: string, debianPackage: string]> = [
	['/usr/bin/patroni', 'patroni'],
	['/usr/bin/etcd', 'etcd-server'],
	['/usr/sbin/haproxy', 'haproxy'],
	['/usr/bin/tini', 'tini'],
];

/** What `lab up --tls` runs on the host: openssl makes the certificates, etcdctl etcd's users. */
const TLS_PROGRAMS: ReadonlyArray<readonly [file: string, debianPackage: string]> = [
	[OPENSSL, 'openssl'],
	[ETCDCTL, 'etcd-client'],
];

/** Names the Debian packages the lab needs that are not installed. */
export function missingPackages(isTls = false): string[] {
	const programs = isTls ? [...REQUIRED_PROGRAMS, ...TLS_PROGRAMS] : REQUIRED_PROGRAMS;
	const missing = programs.filter(([file]) => !fs.existsSync(file)).map(([, name]) => name);
	if (!findPostgresBinDir()) missing.push('postgresql');
	return missing;
}

/** `scope` names an extra cluster's member (lab-clusters.ts); absent: the lab's own. */
export type PortUse = {readonly port: number; readonly purpose: string; readonly component: LabComponent; readonly member?: string; readonly scope?: string};

function extraPorts(config: LabConfig): PortUse[] {
	return extraClusters(config).flatMap(cluster =>
		extraMemberNames(cluster).flatMap((member, index) => {
			const own = extraMemberPorts(config, cluster, index);
			const common = {component: 'member' as const, member, scope: cluster.scope};
			return [
				{port: own.postgres, purpose: `${cluster.scope} ${member} PostgreSQL`, ...common},
				{port: own.restApi, purpose: `${cluster.scope} ${member} Patroni REST API`, ...common},
			];
		}),
	);
}

export function labPorts(config: LabConfig): PortUse[] {
	const {ports} = config;
	const members = Array.from({length: config.nodeCount}, (_, index) => {
		const member = memberName(index);
		const own = memberPorts(config, index);
		return [
			{port: own.postgres, purpose: `${member} PostgreSQL`, component: 'member' as const, member},
			{port: own.restApi, purpose: `${member} Patroni REST API`, component: 'member' as const, member},
		];
	});
	return [
		{port: ports.etcdClient, purpose: 'etcd client', component: 'etcd'},
		{port: ports.etcdPeer, purpose: 'etcd peer', component: 'etcd'},
		{port: ports.haproxyPrimary, purpose: 'HAProxy primary listener', component: 'haproxy'},
		{port: ports.haproxyReplicas, purpose: 'HAProxy replicas listener', component: 'haproxy'},
		{port: ports.haproxyStats, purpose: 'HAProxy stats', component: 'haproxy'},
		...members.flat(),
		...extraPorts(config),
	];
}

/** True when nothing listens on 127.0.0.1:port (we could bind it ourselves). */
export function isPortFree(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({host: LAB_HOST, port, exclusive: true}, () => server.close(() => resolve(true)));
	});
}

/** The ports, among those given, that something else already holds. */
export async function takenPorts(uses: readonly PortUse[]): Promise<PortUse[]> {
	const results = await Promise.all(uses.map(async use => ({use, free: await isPortFree(use.port)})));
	return results.filter(result => !result.free).map(result => result.use);
}
