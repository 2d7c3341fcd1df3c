import type Docker from 'dockerode';
import type {MonitorConfig} from '../config.js';
import {createDockerClient, dockerSocketPath} from '../clients/docker.js';
import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';
import type {RestCredentials} from '../clients/patroni.js';
import {OperationRefused} from './operation.js';
import {apiBase, PatroniAdmin, type PatroniAdminApi} from './patroni-admin.js';

/** What every operation is given: the mode, a way to look at the cluster, and the means to act on it. */
export type OperationContext = {
	readonly isReadOnly: boolean;
	/** The current picture of the cluster, e.g. `() => monitor.getView().snapshot`: how outcomes are followed. */
	readonly observe: () => ClusterSnapshot;
	/** Basic auth for Patroni's unsafe endpoints. */
	readonly credentials?: RestCredentials | undefined;
	/** Builds the REST client for one member's API root; tests stand in a recorder. */
	readonly admin?: (baseUrl: string) => PatroniAdminApi;
	readonly docker?: Docker;
	/** How long an outcome is followed before it is called failed (default 60 s). */
	readonly followMs?: number;
	/** How often the picture is looked at while following (default 100 ms). */
	readonly pollMs?: number;
};

/** The context the app builds from its config; `observe` is usually the Monitor's view. */
export function operationContext(config: MonitorConfig, observe: () => ClusterSnapshot): OperationContext {
	return {
		isReadOnly: config.isReadOnly,
		observe,
		credentials: config.restCredentials,
		docker: createDockerClient(dockerSocketPath(config.dockerSocket)),
	};
}

export function adminFor(context: OperationContext, member: MemberRow): PatroniAdminApi {
	const base = apiBase(member.apiUrl!);
	return context.admin ? context.admin(base) : new PatroniAdmin(base, context.credentials);
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
		apiBase(member.apiUrl);
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
