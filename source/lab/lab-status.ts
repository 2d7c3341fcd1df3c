import type Docker from 'dockerode';
import {listOwnContainersOf, type LabContainer} from './containers.js';
import {extraClusters, extraMemberNames, extraMemberPorts, extraPatronictlPath, labScopes, type ExtraCluster} from './lab-clusters.js';
import {LAB_HOST, labScheme, memberName, memberPorts, type LabConfig} from './lab-config.js';
import {haproxySocketPath, patronictlConfigPath} from './lab-files.js';
import {labTlsDir, tlsPaths} from './tls-certs.js';

export type LabContainerStatus = {readonly id: string; readonly name: string; readonly state: string} | null;

export type LabMemberStatus = {
	readonly name: string;
	readonly restApi: string;
	readonly postgres: {readonly host: string; readonly port: number};
	readonly container: LabContainerStatus;
};

/** An extra cluster (`--standby`, `--clusters N`): its scope, its members, and patronictl's config for it. */
export type LabClusterStatus = {
	readonly scope: string;
	readonly kind: 'standby' | 'primary';
	readonly patronictlConfig: string;
	/** The standby's source: the lab's HAProxy primary listener, which follows the lab's leader. */
	readonly replicatesFrom?: {readonly host: string; readonly port: number};
	readonly members: readonly LabMemberStatus[];
};

/** Where everything in the lab listens. Deliberately holds no credential: it is printed and serialised. */
export type LabStatus = {
	readonly scope: string;
	readonly namespace: string;
	readonly dcs: string;
	readonly stateDir: string;
	readonly patronictlConfig: string;
	/** `lab up --tls`: every channel on TLS; `ca` is where the lab's CA certificate is (a path, never a key). */
	readonly tls: {readonly enabled: boolean; readonly ca?: string};
	readonly etcd: {readonly endpoints: readonly string[]; readonly v2Enabled: true; readonly container: LabContainerStatus};
	readonly members: readonly LabMemberStatus[];
	/** `lab up --standby`: the standby cluster `<scope>-standby`. */
	readonly standby?: LabClusterStatus;
	/** `lab up --clusters N`: the N - 1 other primary clusters, `<scope>-2` onwards. */
	readonly clusters?: readonly LabClusterStatus[];
	readonly haproxy: {
		readonly primary: {readonly host: string; readonly port: number};
		readonly replicas: {readonly host: string; readonly port: number};
		readonly statsUrl: string;
		readonly statsCsvUrl: string;
		readonly socket: string;
		readonly container: LabContainerStatus;
	};
};

function pick(containers: readonly LabContainer[], scope: string, component: string, member?: string): LabContainerStatus {
	const found = containers.find(container => container.scope === scope && container.component === component && container.member === member);
	return found ? {id: found.id, name: found.name, state: found.state} : null;
}

export async function labStatus(config: LabConfig, docker: Docker | undefined): Promise<LabStatus> {
	// Only this state directory's lab: a container of the same scope that another directory's lab made is not ours.
	const containers = docker ? (await listOwnContainersOf(docker, labScopes(config), config.stateDir)).ours : [];
	const scheme = labScheme(config);
	const stats = `${scheme}://${LAB_HOST}:${config.ports.haproxyStats}/`;
	return {
		scope: config.scope,
		namespace: config.namespace,
		dcs: config.dcs,
		stateDir: config.stateDir,
		patronictlConfig: patronictlConfigPath(config),
		tls: config.tls ? {enabled: true, ca: tlsPaths(labTlsDir(config.stateDir)).ca} : {enabled: false},
		etcd: {endpoints: [`${scheme}://${LAB_HOST}:${config.ports.etcdClient}`], v2Enabled: true, container: pick(containers, config.scope, 'etcd')},
		members: Array.from({length: config.nodeCount}, (_, index) => {
			const name = memberName(index);
			const ports = memberPorts(config, index);
			return {
				name,
				restApi: `${scheme}://${LAB_HOST}:${ports.restApi}`,
				postgres: {host: LAB_HOST, port: ports.postgres},
				container: pick(containers, config.scope, 'member', name),
			};
		}),
		...extraStatus(config, containers),
		haproxy: {
			primary: {host: LAB_HOST, port: config.ports.haproxyPrimary},
			replicas: {host: LAB_HOST, port: config.ports.haproxyReplicas},
			statsUrl: stats,
			statsCsvUrl: `${stats};csv`,
			socket: haproxySocketPath(config),
			container: pick(containers, config.scope, 'haproxy'),
		},
	};
}

function clusterStatus(config: LabConfig, cluster: ExtraCluster, containers: readonly LabContainer[]): LabClusterStatus {
	const scheme = labScheme(config);
	return {
		scope: cluster.scope,
		kind: cluster.kind,
		patronictlConfig: extraPatronictlPath(config, cluster),
		...(cluster.kind === 'standby' ? {replicatesFrom: {host: LAB_HOST, port: config.ports.haproxyPrimary}} : {}),
		members: extraMemberNames(cluster).map((name, index) => {
			const ports = extraMemberPorts(config, cluster, index);
			return {
				name,
				restApi: `${scheme}://${LAB_HOST}:${ports.restApi}`,
				postgres: {host: LAB_HOST, port: ports.postgres},
				container: pick(containers, cluster.scope, 'member', name),
			};
		}),
	};
}

/** Only what the lab has: a lab without --standby or --clusters prints as it always did. */
function extraStatus(config: LabConfig, containers: readonly LabContainer[]): Pick<LabStatus, 'standby' | 'clusters'> {
	const all = extraClusters(config).map(cluster => clusterStatus(config, cluster, containers));
	const standby = all.find(cluster => cluster.kind === 'standby');
	const clusters = all.filter(cluster => cluster.kind === 'primary');
	return {...(standby ? {standby} : {}), ...(clusters.length > 0 ? {clusters} : {})};
}

function clusterLines(cluster: LabClusterStatus): string[] {
	const from = cluster.replicatesFrom ? `, standby of ${cluster.replicatesFrom.host}:${cluster.replicatesFrom.port} (HAProxy primary)` : '';
	return [
		'',
		`  cluster ${cluster.scope}${from}`,
		`  patronictl        patronictl -c ${cluster.patronictlConfig} list`,
		...cluster.members.map(memberLine),
	];
}

function memberLine(member: LabMemberStatus): string {
	return `  ${member.name.padEnd(17)} REST ${member.restApi}  PostgreSQL ${member.postgres.host}:${member.postgres.port}   ${containerText(member.container)}`;
}

function containerText(container: LabContainerStatus): string {
	return container ? `${container.state.padEnd(8)} ${container.name} ${container.id.slice(0, 12)}` : 'no container';
}

/** The same facts as --json, laid out for a person. */
export function formatLabStatus(status: LabStatus): string {
	const lines = [
		`Lab "${status.scope}" (namespace ${status.namespace}, DCS ${status.dcs})`,
		`  state directory   ${status.stateDir}`,
		`  patronictl        patronictl -c ${status.patronictlConfig} list`,
		...(status.tls.enabled ? [`  TLS               on: etcd (client certificates, user root), REST, PostgreSQL (hostssl only), HAProxy; CA ${status.tls.ca}`] : []),
		'',
		`  etcd              ${status.etcd.endpoints.join(', ')} (v3, v2 enabled)   ${containerText(status.etcd.container)}`,
		...status.members.map(memberLine),
		`  haproxy           primary ${status.haproxy.primary.host}:${status.haproxy.primary.port}  replicas ${status.haproxy.replicas.host}:${status.haproxy.replicas.port}   ${containerText(status.haproxy.container)}`,
		`                    stats ${status.haproxy.statsUrl} (CSV: ${status.haproxy.statsCsvUrl})`,
		`                    admin socket ${status.haproxy.socket}`,
		...[...(status.standby ? [status.standby] : []), ...(status.clusters ?? [])].flatMap(clusterLines),
	];
	return lines.join('\n');
}
