/** Container start/stop/restart/kill and HAProxy server states: pick the target, then the action, then confirm. */
import type {ServerState} from '../clients/haproxy.js';
import type {FlowContext} from '../flows.js';
import type {ClusterSnapshot, InfraContainer} from '../model/snapshot-types.js';
import {CONTAINER_ACTIONS, containerOperation, type ContainerAction} from '../operations/container-operation.js';
import type {OperationContext} from '../operations/context.js';
import {haproxyServerOperation} from '../operations/haproxy-operation.js';
import {choose, close, confirm, optionsOf, run, typed} from './dialogs.js';

const ACTION_WORDS: Readonly<Record<ContainerAction, string>> = {start: 'Start', stop: 'Stop', restart: 'Restart', kill: 'Kill (SIGKILL)'};

function label(container: InfraContainer): string {
	return container.member ? `${container.member} (${container.name})` : `${container.role} (${container.name})`;
}

/** Taking the leader's or etcd's container down needs the name typed out: it changes who leads. */
function needsTypedName(container: InfraContainer, action: ContainerAction, leader: string | undefined): boolean {
	if (action === 'start') return false;
	return (container.role === 'member' && container.member === leader) || container.role === 'etcd';
}

/** Why nothing is offered: containers are acted on only when proven the cluster's, never on a guess by name. */
function unproven(snapshot: ClusterSnapshot, whose: string): string {
	const docker = snapshot.sources.docker;
	const reason = !docker.isEnabled
		? `Docker is off${docker.offReason ? ` (${docker.offReason})` : ''}`
		: docker.updatedAt === undefined
			? `Docker has not answered${docker.error ? ` (${docker.error})` : ' yet'}`
			: 'no label, environment, hostname or listening port names it';
	return `No container is proven to be ${whose}: ${reason}.`;
}

export function containerFlow(ops: () => OperationContext) {
	return (context: FlowContext) => {
		const {snapshot} = context;
		const selected = snapshot.members[context.selection.members];
		if (snapshot.containers.length === 0) return close(unproven(snapshot, selected ? `${selected.name}'s` : `${snapshot.scope}'s`));
		const notes = selected && !selected.container ? [unproven(snapshot, `${selected.name}'s`)] : [];
		const options = optionsOf(snapshot.containers.map(container => [container.name, label(container), container.state] as const));
		return choose('Which container?', notes, options, name => {
			const container = snapshot.containers.find(candidate => candidate.name === name)!;
			const actions = optionsOf(CONTAINER_ACTIONS.map(action => [action, ACTION_WORDS[action]] as const));
			return choose(`${label(container)}: which action?`, [`It is ${container.state}.`], actions, answer => {
				const action = answer as ContainerAction;
				const isLeader = container.role === 'member' && container.member === snapshot.leader;
				const title = `${ACTION_WORDS[action]} ${label(container)}?`;
				const input = {container: container.name, action, isLeader};
				if (!needsTypedName(container, action, snapshot.leader)) return confirm(title, [], () => run(containerOperation(ops(), input)));
				const expected = container.member ?? container.name;
				const why = isLeader ? `${expected} is the leader: Patroni fails over to a replica.` : 'Without etcd, Patroni demotes the leader after its TTL.';
				return typed(title, [why], expected, confirmedName => run(containerOperation(ops(), {...input, confirmedName})));
			});
		}, selected?.container?.name);
	};
}

export function haproxyServerFlow(ops: () => OperationContext) {
	return (context: FlowContext) => {
		const {socketPath} = ops().clients.haproxy;
		if (!socketPath) return close('No HAProxy admin socket configured (--haproxy-socket): server states cannot be set.');
		const servers = context.snapshot.backends;
		if (servers.length === 0) return close('HAProxy shows no server.');
		const options = optionsOf(servers.map(server => [`${server.proxy}/${server.server}`, `${server.proxy}/${server.server}`, server.status] as const));
		return choose('Which HAProxy server?', [], options, key => {
			const [proxy, server] = key.split('/') as [string, string];
			const states = optionsOf([['ready', 'ready', 'back in rotation'], ['drain', 'drain', 'no new connections'], ['maint', 'maint', 'out of rotation, connections cut']]);
			return choose(`${key}: which state?`, [], states, state =>
				confirm(`Set ${key} to ${state}?`, [], () => run(haproxyServerOperation(ops(), {socketPath, proxy, server, state: state as ServerState}))),
			);
		});
	};
}
