import {PatroniClient} from '../clients/patroni.js';
import type {PatroniCluster} from '../clients/patroni-types.js';
import type {TlsClientSettings} from '../clients/tls-files.js';
import {isLeaderRole} from '../model/roles.js';
import {LAB_HOST, labScheme, memberNames, memberPorts, type LabConfig} from './lab-config.js';
import type {LabSql} from './lab-sql.js';

export type LabHealth = {
	readonly isHealthy: boolean;
	/** What is not right yet, for a person: empty when healthy. */
	readonly problems: readonly string[];
	readonly leader?: string | undefined;
};

/** How the health check reaches the lab: PostgreSQL's two answers, and (TLS lab) whom REST's https must show. */
export type LabProbes = {readonly sql: LabSql; readonly restTls?: TlsClientSettings | undefined};

function restUrl(config: LabConfig, index: number): string {
	return `${labScheme(config)}://${LAB_HOST}:${memberPorts(config, index).restApi}`;
}

async function firstClusterView(config: LabConfig, tls: TlsClientSettings | undefined): Promise<PatroniCluster | undefined> {
	for (let index = 0; index < config.nodeCount; index++) {
		try {
			return await new PatroniClient(restUrl(config, index), {timeoutMs: 1500, tls}).cluster();
		} catch {
			// This member does not answer yet; ask the next.
		}
	}
	return undefined;
}

/**
 * The lab is healthy when Patroni names one leader and every other member as a running replica, the leader's
 * PostgreSQL streams to every replica, and HAProxy's primary listener reaches the leader. Each fact is asked of
 * the real system (REST API, PostgreSQL, a connection through HAProxy), not of the lab's own bookkeeping.
 */
export async function checkLabHealth(config: LabConfig, probes: LabProbes): Promise<LabHealth> {
	const cluster = await firstClusterView(config, probes.restTls);
	if (!cluster) return {isHealthy: false, problems: ['no Patroni REST API answers yet']};
	const problems: string[] = [];
	const leaders = cluster.members.filter(member => isLeaderRole(member.role));
	const leader = leaders.length === 1 ? leaders[0] : undefined;
	if (!leader) problems.push(`Patroni reports ${leaders.length} leaders`);
	for (const name of memberNames(config)) {
		const member = cluster.members.find(candidate => candidate.name === name);
		if (!member) problems.push(`${name} is not registered in the DCS`);
		else if (member.state !== 'running' && member.state !== 'streaming') problems.push(`${name} is ${member.state || 'in an unknown state'}`);
	}
	if (!leader?.port) return {isHealthy: false, problems, leader: leader?.name};
	try {
		const streaming = await probes.sql.streamingReplicas(leader.port);
		if (streaming < config.nodeCount - 1) problems.push(`${streaming} of ${config.nodeCount - 1} replicas are streaming`);
	} catch (error) {
		problems.push(`the leader's PostgreSQL does not answer: ${errorText(error)}`);
	}
	try {
		const routed = await probes.sql.servedBy(config.ports.haproxyPrimary);
		if (routed?.port !== leader.port || routed.isInRecovery) problems.push("HAProxy's primary listener does not reach the leader yet");
	} catch (error) {
		problems.push(`HAProxy's primary listener does not answer: ${errorText(error)}`);
	}
	return {isHealthy: problems.length === 0, problems, leader: leader.name};
}

export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
