import {PatroniClient} from '../clients/patroni.js';
import type {PatroniCluster} from '../clients/patroni-types.js';
import {isLeaderRole} from '../model/roles.js';
import {withPostgres} from '../clients/postgres.js';
import {LAB_HOST, memberNames, memberPorts, type LabConfig} from './lab-config.js';
import type {LabSecrets} from './secrets.js';

export type LabHealth = {
	readonly isHealthy: boolean;
	/** What is not right yet, for a person: empty when healthy. */
	readonly problems: readonly string[];
	readonly leader?: string | undefined;
};

function restUrl(config: LabConfig, index: number): string {
	return `http://${LAB_HOST}:${memberPorts(config, index).restApi}`;
}

async function firstClusterView(config: LabConfig): Promise<PatroniCluster | undefined> {
	for (let index = 0; index < config.nodeCount; index++) {
		try {
			return await new PatroniClient(restUrl(config, index), {timeoutMs: 1500}).cluster();
		} catch {
			// This member does not answer yet; ask the next.
		}
	}
	return undefined;
}

function superuser(secrets: LabSecrets, port: number) {
	return {host: LAB_HOST, port, user: 'postgres', password: secrets.superuserPassword};
}

/**
 * The lab is healthy when Patroni names one leader and every other member as a running replica, the leader's
 * PostgreSQL streams to every replica, and HAProxy's primary listener reaches the leader. Each fact is asked of
 * the real system (REST API, PostgreSQL, a connection through HAProxy), not of the lab's own bookkeeping.
 */
export async function checkLabHealth(config: LabConfig, secrets: LabSecrets): Promise<LabHealth> {
	const cluster = await firstClusterView(config);
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
		const streaming = await withPostgres(superuser(secrets, leader.port), async client => {
			const result = await client.query<{count: string}>("select count(*) from pg_stat_replication where state = 'streaming'");
			return Number(result.rows[0]?.count ?? 0);
		});
		if (streaming < config.nodeCount - 1) problems.push(`${streaming} of ${config.nodeCount - 1} replicas are streaming`);
	} catch (error) {
		problems.push(`the leader's PostgreSQL does not answer: ${errorText(error)}`);
	}
	try {
		const routed = await withPostgres(superuser(secrets, config.ports.haproxyPrimary), async client => {
			const result = await client.query<{port: number; recovery: boolean}>(
				'select inet_server_port() as port, pg_is_in_recovery() as recovery',
			);
			return result.rows[0];
		});
		if (routed?.port !== leader.port || routed.recovery) problems.push("HAProxy's primary listener does not reach the leader yet");
	} catch (error) {
		problems.push(`HAProxy's primary listener does not answer: ${errorText(error)}`);
	}
	return {isHealthy: problems.length === 0, problems, leader: leader.name};
}

export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
