/**
 * The clusters `lab up --standby` and `--clusters N` add beside the lab's own: a standby cluster of two members
 * that replicates from the lab's leader through HAProxy's primary listener, and N - 1 primary clusters of one member
 * each. They share the lab's etcd, namespace, passwords and image; each has its own scope (its containers carry it,
 * with the lab's state directory) and its own ports.
 *
 * Port layout (every port moves with --port-offset, as the lab's do): the lab's members take postgresBase and
 * restApiBase + 0..2; the extra members take + 10 onwards, one slot each: the standby's two members slots 0 and 1,
 * cluster K (2..N) slot K. So they stay within 30 ports of the lab's first member, and labs 100 ports apart
 * (the test labs) never meet.
 */
import path from 'node:path';
import {memberName, type LabConfig} from './lab-config.js';

export const STANDBY_MEMBERS = 2;
/** Where the extra members' ports start, past the lab's own members. */
export const EXTRA_PORT_START = 10;

export type ExtraCluster = {
	readonly scope: string;
	readonly kind: 'standby' | 'primary';
	readonly nodeCount: number;
	/** The first member's slot in the extra ports; member N uses slot + N - 1. */
	readonly slot: number;
};

export function standbyScope(config: LabConfig): string {
	return `${config.scope}-standby`;
}

/** The clusters besides the lab's own, standby first, then `<scope>-2` … `<scope>-N`. */
export function extraClusters(config: LabConfig): ExtraCluster[] {
	const standby: ExtraCluster[] = config.standby ? [{scope: standbyScope(config), kind: 'standby', nodeCount: STANDBY_MEMBERS, slot: 0}] : [];
	const primaries = Array.from({length: config.clusters - 1}, (_, index): ExtraCluster => {
		const number = index + 2;
		return {scope: `${config.scope}-${number}`, kind: 'primary', nodeCount: 1, slot: STANDBY_MEMBERS + index};
	});
	return [...standby, ...primaries];
}

export function extraMemberPorts(config: LabConfig, cluster: ExtraCluster, index: number): {postgres: number; restApi: number} {
	const shift = EXTRA_PORT_START + cluster.slot + index;
	return {postgres: config.ports.postgresBase + shift, restApi: config.ports.restApiBase + shift};
}

export function extraMemberNames(cluster: ExtraCluster): string[] {
	return Array.from({length: cluster.nodeCount}, (_, index) => memberName(index));
}

/** A member's folder in the state directory: `<scope>-node1`, beside the lab's own `node1`. */
export function extraMemberDirName(cluster: ExtraCluster, member: string): string {
	return `${cluster.scope}-${member}`;
}

export function extraPatronictlName(cluster: ExtraCluster): string {
	return `patronictl-${cluster.scope}.yaml`;
}

export function extraPatronictlPath(config: LabConfig, cluster: ExtraCluster): string {
	return path.join(config.stateDir, extraPatronictlName(cluster));
}

/** Every name the extra clusters add to the state directory. */
export function extraEntries(config: LabConfig): string[] {
	return extraClusters(config).flatMap(cluster => [
		extraPatronictlName(cluster),
		...extraMemberNames(cluster).map(member => extraMemberDirName(cluster, member)),
	]);
}

/** Every scope the lab's containers carry: its own, then the extra clusters'. */
export function labScopes(config: LabConfig): string[] {
	return [config.scope, ...extraClusters(config).map(cluster => cluster.scope)];
}
