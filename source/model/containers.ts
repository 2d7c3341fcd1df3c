import {findInfraContainers, matchContainersToMembers, namesScope, type MemberRef} from './container-match.js';
import type {InfraContainer} from './snapshot-types.js';
import type {ContainerView} from './views.js';

export type ContainerMatch = {
	readonly byMember: Readonly<Record<string, ContainerView | undefined>>;
	/** The cluster's containers for the Containers pane: members first, then etcd and HAProxy. */
	readonly infra: readonly InfraContainer[];
};

function infraRow(container: ContainerView, role: InfraContainer['role'], member?: string): InfraContainer {
	return {id: container.id, name: container.name, state: container.state, startedAt: container.startedAt, restartCount: container.restartCount, role, member};
}

/** Among several etcd (or HAProxy) containers on one host, those that name the scope are this cluster's. */
function ofScope(containers: readonly ContainerView[], scope: string): readonly ContainerView[] {
	const named = containers.filter(container => namesScope(container, scope));
	return named.length > 0 ? named : containers;
}

/** Which container runs each member, and which run the cluster's etcd and HAProxy. */
export function matchContainers(containers: readonly ContainerView[], members: readonly MemberRef[], scope: string): ContainerMatch {
	const byMember = matchContainersToMembers(members, containers, {scope});
	const infra = findInfraContainers(containers);
	const memberRows = Object.entries(byMember)
		.filter((entry): entry is [string, ContainerView] => entry[1] !== undefined)
		.map(([name, container]) => infraRow(container, 'member', name));
	return {
		byMember,
		infra: [
			...memberRows,
			...ofScope(infra.etcd, scope).map(container => infraRow(container, 'etcd')),
			...ofScope(infra.haproxy, scope).map(container => infraRow(container, 'haproxy')),
		],
	};
}
