/**
 * Whether the extra clusters are up: each primary one with a running leader whose PostgreSQL takes writes, the
 * standby with a running standby leader whose WAL receiver streams from the lab (through HAProxy) and its other
 * member streaming from it. Asked of the real system (REST API, PostgreSQL), as health.ts does for the lab.
 */
import {PatroniClient} from '../clients/patroni.js';
import type {PatroniCluster} from '../clients/patroni-types.js';
import {isLeaderRole} from '../model/roles.js';
import {errorText, type LabProbes} from './health.js';
import {extraClusters, extraMemberNames, extraMemberPorts, type ExtraCluster} from './lab-clusters.js';
import {LAB_HOST, labScheme, type LabConfig} from './lab-config.js';

async function clusterView(config: LabConfig, cluster: ExtraCluster, probes: LabProbes): Promise<PatroniCluster | undefined> {
	for (let index = 0; index < cluster.nodeCount; index++) {
		const url = `${labScheme(config)}://${LAB_HOST}:${extraMemberPorts(config, cluster, index).restApi}`;
		try {
			return await new PatroniClient(url, {timeoutMs: 1500, tls: probes.restTls}).cluster();
		} catch {
			// This member does not answer yet; ask the next.
		}
	}
	return undefined;
}

async function clusterProblems(config: LabConfig, cluster: ExtraCluster, probes: LabProbes): Promise<string[]> {
	const view = await clusterView(config, cluster, probes);
	if (!view) return ['no Patroni REST API answers yet'];
	const wanted = cluster.kind === 'standby' ? 'standby_leader' : undefined;
	const leaders = view.members.filter(member => (wanted ? member.role === wanted : isLeaderRole(member.role) && member.role !== 'standby_leader'));
	const problems: string[] = [];
	const leader = leaders.length === 1 ? leaders[0] : undefined;
	if (!leader) problems.push(`Patroni reports ${leaders.length} ${wanted ? 'standby leaders' : 'leaders'}`);
	for (const name of extraMemberNames(cluster)) {
		const member = view.members.find(candidate => candidate.name === name);
		if (!member) problems.push(`${name} is not registered in the DCS`);
		else if (member.state !== 'running' && member.state !== 'streaming') problems.push(`${name} is ${member.state || 'in an unknown state'}`);
	}
	if (!leader?.port) return problems;
	try {
		if (cluster.kind === 'standby') {
			if (!(await probes.sql.isReceiving(leader.port))) problems.push('the standby leader does not stream from the lab yet');
			const streaming = await probes.sql.streamingReplicas(leader.port);
			if (streaming < cluster.nodeCount - 1) problems.push(`${streaming} of ${cluster.nodeCount - 1} replicas are streaming`);
		} else {
			const served = await probes.sql.servedBy(leader.port);
			if (!served || served.isInRecovery) problems.push("the leader's PostgreSQL is still in recovery");
		}
	} catch (error) {
		problems.push(`the leader's PostgreSQL does not answer: ${errorText(error)}`);
	}
	return problems;
}

/** What is not right yet in the extra clusters, each problem naming its scope; empty when all are healthy. */
export async function extraClustersProblems(config: LabConfig, probes: LabProbes): Promise<string[]> {
	const found = await Promise.all(
		extraClusters(config).map(async cluster => (await clusterProblems(config, cluster, probes)).map(problem => `${cluster.scope}: ${problem}`)),
	);
	return found.flat();
}
