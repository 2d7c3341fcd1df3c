import type {PostgresSsl} from '../clients/postgres-ssl.js';
import {createDockerClient, type DockerClient} from '../clients/docker.js';
import {PatroniClient, type PatroniApi} from '../clients/patroni.js';
import type {MonitorConfig} from '../config.js';
import type {Thresholds} from '../model/alerts.js';
import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';
import {OperationRefused} from './operation.js';

export type HostPort = {readonly host: string; readonly port: number};

/** The means to act on the cluster. Every operation reaches the outside only through these. */
export type OperationClients = {
	/** The REST client for one member's API root; tests stand in a recorder. */
	readonly patroni: (baseUrl: string) => PatroniApi;
	/** Who the operations connect to PostgreSQL as; the addresses come from the DCS. */
	readonly postgres: {readonly user: string; readonly password?: string | undefined; readonly ssl?: PostgresSsl | undefined};
	readonly docker?: DockerClient | undefined;
	/** The admin socket (server states) and the primary listener (write probe, replication check). */
	readonly haproxy: {readonly socketPath?: string | undefined; readonly primary?: HostPort | undefined};
};

/** What every operation and every flow is given: the mode, the current picture, and the means to act. */
export type OperationContext = {
	readonly isReadOnly: boolean;
	/** The current picture of the cluster, e.g. `() => monitor.getView().snapshot`: where members' APIs are found, and how outcomes are followed. */
	readonly observe: () => ClusterSnapshot;
	readonly clients: OperationClients;
	readonly thresholds: Thresholds;
	/** REST addresses given by flag or config: asked only when no member the DCS names answers. */
	readonly restSeeds: readonly string[];
	/** How long an outcome is followed before it is called failed (default 60 s). */
	readonly followMs?: number;
	/** How often the picture is looked at while following (default 100 ms). */
	readonly pollMs?: number;
};

/** The context the app builds from its config; `observe` is usually the Monitor's view. */
export function operationContext(config: MonitorConfig, observe: () => ClusterSnapshot): OperationContext {
	const credentials = config.restCredentials;
	const tls = config.restTls;
	return {
		isReadOnly: config.isReadOnly,
		observe,
		clients: {
			patroni: baseUrl => new PatroniClient(baseUrl, {credentials, tls, timeoutMs: 5000}),
			postgres: config.postgres,
			docker: config.dockerSocket === undefined ? undefined : createDockerClient(config.dockerSocket),
			haproxy: {socketPath: config.haproxy.socketPath, primary: config.haproxy.primary},
		},
		thresholds: config.thresholds,
		restSeeds: config.restSeeds,
	};
}

export function adminFor(context: OperationContext, member: MemberRow): PatroniApi {
	return context.clients.patroni(new URL(member.apiUrl!).origin);
}

/** The leader's PostgreSQL address as the DCS publishes it; undefined while nobody holds the leader key. */
export function leaderAddress(snapshot: ClusterSnapshot): HostPort | undefined {
	const leader = snapshot.members.find(member => member.name === snapshot.leader);
	return leader?.host && leader.port ? {host: leader.host, port: leader.port} : undefined;
}

/** The named member, or a refusal that lists the members there are. */
export function requireMember(snapshot: ClusterSnapshot, name: string): MemberRow {
	const member = snapshot.members.find(candidate => candidate.name === name);
	if (!member) {
		const names = snapshot.members.map(candidate => candidate.name).join(', ') || 'none seen';
		throw new OperationRefused(`${name} is not a member of ${snapshot.scope} (members: ${names}).`);
	}
	return requireApi(member);
}

export function requireApi(member: MemberRow): MemberRow {
	if (!member.apiUrl) throw new OperationRefused(`${member.name} has no known REST API address: it is not registered in the DCS.`);
	try {
		new URL(member.apiUrl);
	} catch {
		throw new OperationRefused(`${member.name}'s REST API address "${member.apiUrl}" is not a URL.`);
	}
	return member;
}

/** For cluster-wide requests (config, scheduled switchover): the leader's API if it answers, else any that does. */
export function anyApiMember(snapshot: ClusterSnapshot): MemberRow {
	const withApi = snapshot.members.filter(member => member.apiUrl && !member.restError);
	const chosen = withApi.find(member => member.name === snapshot.leader) ?? withApi[0];
	if (!chosen) throw new OperationRefused('No member\'s Patroni REST API answers: there is nobody to send this to.');
	return requireApi(chosen);
}

/** A confirmation typed by a person: compared trimmed, exactly (a name is not case-insensitive in Patroni). */
export function requireTypedName(confirmedName: string | undefined, name: string, why: string): void {
	if (confirmedName?.trim() !== name) {
		const typed = confirmedName?.trim() ? ` ("${confirmedName.trim()}" was typed)` : '';
		throw new OperationRefused(`${why}: type "${name}" to confirm${typed}.`);
	}
}

export const followMs = (context: OperationContext) => context.followMs ?? 60_000;
export const pollMs = (context: OperationContext) => context.pollMs ?? 100;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
