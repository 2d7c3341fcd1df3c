import {infraProof, MEMBER_RULES, namesOtherEndpoint, namesOtherScope, type EvidenceContext, type MemberRef} from './container-evidence.js';
import type {ContainerProof} from './snapshot-types.js';
import type {ContainerView} from './views.js';

export type {EvidenceContext, InfraEndpoints, MemberRef} from './container-evidence.js';

export type ProvenContainer = {readonly container: ContainerView; readonly proof: ContainerProof};

/**
 * Which container runs which Patroni member, on evidence only (container-evidence.ts), strongest first. A rule
 * assigns a container only when it proves exactly one free container to be the member's; a member nothing proves
 * gets none. A container whose labels or settings name another scope, or whose lab labels name this scope but
 * other endpoints (another lab of the same scope name), is never this cluster's.
 */
export function matchContainersToMembers(
	members: readonly MemberRef[],
	containers: readonly ContainerView[],
	context: EvidenceContext,
): Record<string, ProvenContainer | undefined> {
	const matched: Record<string, ProvenContainer | undefined> = Object.fromEntries(members.map(member => [member.name, undefined]));
	const eligible = containers.filter(container => !namesOtherScope(container, context.scope) && !namesOtherEndpoint(container, members, context));
	const taken = new Set<string>();
	for (const rule of MEMBER_RULES) {
		for (const member of members) {
			if (matched[member.name]) continue;
			const candidates = eligible.flatMap(container => {
				const proof = taken.has(container.id) ? undefined : rule(member, container, context);
				return proof ? [{container, proof}] : [];
			});
			if (candidates.length !== 1) continue;
			matched[member.name] = candidates[0];
			taken.add(candidates[0]!.container.id);
		}
	}
	return matched;
}

export type InfraContainers = {readonly etcd: readonly ProvenContainer[]; readonly haproxy: readonly ProvenContainer[]};

/** The cluster's etcd and HAProxy containers, on the same kind of evidence; `taken` are the members' already. */
export function findInfraContainers(containers: readonly ContainerView[], context: EvidenceContext, taken: ReadonlySet<string> = new Set()): InfraContainers {
	const free = containers.filter(container => !taken.has(container.id) && !namesOtherScope(container, context.scope) && !namesOtherEndpoint(container, [], context));
	const proven = (component: 'etcd' | 'haproxy') =>
		free.flatMap(container => {
			const proof = infraProof(container, component, context);
			return proof ? [{container, proof}] : [];
		});
	const etcd = proven('etcd');
	const etcdIds = new Set(etcd.map(found => found.container.id));
	return {etcd, haproxy: proven('haproxy').filter(found => !etcdIds.has(found.container.id))};
}
