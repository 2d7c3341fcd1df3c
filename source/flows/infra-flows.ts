/** Container start/stop/restart/kill and HAProxy server states: pick the target, then the action, then confirm. */
import type {ServerState} from '../clients/haproxy.js';
import type {FlowContext} from '../flows.js';
import type {ClusterSnapshot, InfraContainer} from '../model/snapshot-types.js';
import {containerOperation, type ContainerAction} from '../operations/container-operation.js';
import type {OperationContext} from '../operations/context.js';
import {haproxyServerOperation, routesWrites} from '../operations/haproxy-operation.js';
import {choose, close, confirm, optionsOf, run, typed} from './dialogs.js';

const ACTION_WORDS: Readonly<Record<ContainerAction, string>> = {start: 'Start', stop: 'Stop', restart: 'Restart', kill: 'Kill (SIGKILL)'};

function label(container: InfraContainer): string {
	return container.member ? `${container.member} (${container.name})` : `${container.role} (${container.name})`;
}

/** Taking the leader's, etcd's or HAProxy's container down needs the name typed out: it changes who leads, or cuts every client off. */
function needsTypedName(container: InfraContainer, action: ContainerAction, leader: string | undefined): boolean {
	if (action === 'start') return false;
	return (container.role === 'member' && container.member === leader) || container.role === 'etcd' || container.role === 'haproxy';
}

/** Only what applies to the container as Docker sees it, the likely one first: no Start for a running one. */
export function applicableActions(state: string): readonly ContainerAction[] {
	if (state === 'running' || state === 'restarting') return ['stop', 'restart', 'kill'];
	if (state === 'exited' || state === 'created' || state === 'dead') return ['start'];
	return [];
}

function whyTyped(container: InfraContainer, isLeader: boolean, expected: string): string {
	if (isLeader) return `${expected} is the leader: Patroni fails over to a replica.`;
	if (container.role === 'etcd') return 'Without etcd, Patroni demotes the leader after its TTL.';
	return 'Every client reaches the cluster through HAProxy: they are cut off until it is back.';
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
			const applicable = applicableActions(container.state);
			if (applicable.length === 0) return close(`${label(container)} is ${container.state}: start, stop, restart and kill do not apply; nothing was sent.`);
			const actions = optionsOf(applicable.map(action => [action, ACTION_WORDS[action]] as const));
			return choose(`${label(container)}: which action?`, [`It is ${container.state}.`], actions, answer => {
				const action = answer as ContainerAction;
				const isLeader = container.role === 'member' && container.member === snapshot.leader;
				const title = `${ACTION_WORDS[action]} ${label(container)}?`;
				const input = {container: container.name, action, isLeader};
				if (!needsTypedName(container, action, snapshot.leader)) return confirm(title, [], () => run(containerOperation(ops(), input)));
				const expected = container.member ?? container.name;
				const named = isLeader && snapshot.leader ? {expectedLeader: snapshot.leader} : {};
				return typed(title, [whyTyped(container, isLeader, expected)], expected, confirmedName => run(containerOperation(ops(), {...input, confirmedName, ...named})));
			});
		}, selected?.container?.name);
	};
}

const STATE_WORDS: Readonly<Record<ServerState, string>> = {ready: 'back in rotation', drain: 'no new connections', maint: 'out of rotation, connections cut'};

/** The states a server can be set to from where it is, the likely one first: no "ready" for a server already ready. */
export function applicableStates(status: string): readonly ServerState[] {
	if (status.startsWith('MAINT')) return ['ready', 'drain'];
	if (status.startsWith('DRAIN')) return ['ready', 'maint'];
	return ['drain', 'maint'];
}

export function haproxyServerFlow(ops: () => OperationContext) {
	return (context: FlowContext) => {
		const {socketPath} = ops().clients.haproxy;
		if (!socketPath) return close('No HAProxy admin socket configured (--haproxy-socket): server states cannot be set.');
		const {snapshot} = context;
		const servers = snapshot.backends.filter(server => server.server !== 'FRONTEND' && server.server !== 'BACKEND');
		if (servers.length === 0) return close('HAProxy shows no server.');
		const options = optionsOf(servers.map(server => [`${server.proxy}/${server.server}`, `${server.proxy}/${server.server}`, server.status] as const));
		return choose('Which HAProxy server?', [], options, key => {
			const row = servers.find(server => `${server.proxy}/${server.server}` === key)!;
			const {proxy, server} = row;
			const states = optionsOf(applicableStates(row.status).map(state => [state, state, STATE_WORDS[state]] as const));
			return choose(`${key}: which state?`, [`It is ${row.status}.`], states, answer => {
				const state = answer as ServerState;
				const input = {socketPath, proxy, server, state};
				const title = `Set ${key} to ${state}?`;
				if (state === 'ready' || !routesWrites(snapshot, proxy, server)) return confirm(title, [], () => run(haproxyServerOperation(ops(), input)));
				// The server writes go to: named by its name typed out, and (when it is the leader's) the leader checked again.
				const isLeaders = server === snapshot.leader;
				const why = `HAProxy routes writes to ${key}${isLeaders ? ` (${server} is the leader)` : ''}: ${state} cuts every client's writes off.`;
				const expectedLeader = isLeaders ? server : undefined;
				return typed(title, [why], server, confirmedName => run(haproxyServerOperation(ops(), {...input, confirmedName, ...(expectedLeader ? {expectedLeader} : {})})));
			});
		});
	};
}
