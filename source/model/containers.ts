import {findInfraContainers, matchContainersToMembers, type EvidenceContext, type MemberRef, type ProvenContainer} from './container-match.js';
import {withoutUndefined} from './members.js';
import type {InfraContainer, MemberContainer} from './snapshot-types.js';
import type {ContainerView} from './views.js';

export type ContainerMatch = {
	readonly byMember: Readonly<Record<string, MemberContainer | undefined>>;
	/** The containers proven to be the cluster's, for the Containers pane: members first, then etcd and HAProxy. */
	readonly infra: readonly InfraContainer[];
};

function memberContainer({container, proof}: ProvenContainer): MemberContainer {
	const {id, name, state, startedAt, restartCount} = container;
	return withoutUndefined({id, name, state, startedAt, restartCount, proof});
}

/** Which container runs each member, and which run the cluster's etcd and HAProxy: only those something proves. */
export function matchContainers(containers: readonly ContainerView[], members: readonly MemberRef[], context: EvidenceContext): ContainerMatch {
	const matched = matchContainersToMembers(members, containers, context);
	const proven = Object.entries(matched).filter((entry): entry is [string, ProvenContainer] => entry[1] !== undefined);
	const infra = findInfraContainers(containers, context, new Set(proven.map(([, found]) => found.container.id)));
	return {
		byMember: Object.fromEntries(Object.entries(matched).map(([member, found]) => [member, found && memberContainer(found)])),
		infra: [
			...proven.map(([member, found]): InfraContainer => ({...memberContainer(found), role: 'member', member})),
			...infra.etcd.map((found): InfraContainer => ({...memberContainer(found), role: 'etcd'})),
			...infra.haproxy.map((found): InfraContainer => ({...memberContainer(found), role: 'haproxy'})),
		],
	};
}
