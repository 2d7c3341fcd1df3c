import type {ClusterSnapshot, InfraContainer} from '../model/snapshot-types.js';
import {dockerCall} from '../clients/docker.js';
import {errorMessage} from '../errors.js';
import {seconds, type OperationContext} from './context.js';
import {waitForSnapshot} from './follow.js';
import {requireLeaderStill} from './leader-check.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';

export const CONTAINER_ACTIONS = ['start', 'stop', 'restart', 'kill'] as const;
export type ContainerAction = (typeof CONTAINER_ACTIONS)[number];

export type ContainerInput = {
	/** The container's name or id, as the snapshot lists it. */
	readonly container: string;
	readonly action: ContainerAction;
	/** Whether it runs the leader (the snapshot is asked too: either one makes it the leader's). */
	readonly isLeader: boolean;
	/** The member's (or, for etcd/HAProxy, the container's) name typed out; needed to take the leader or etcd down. */
	readonly confirmedName?: string;
	/** The leader the confirmation named (the container is its): refused, from a fresh read, if another leads now. */
	readonly expectedLeader?: string;
};

/** Only this cluster's containers, as the snapshot matched them: never another lab's, never an arbitrary id. */
export function validateContainer(snapshot: ClusterSnapshot, input: ContainerInput): InfraContainer {
	if (!CONTAINER_ACTIONS.includes(input.action)) throw new OperationRefused(`"${String(input.action)}" is not a container action (start, stop, restart, kill).`);
	const row = snapshot.containers.find(container => container.name === input.container || container.id === input.container);
	if (!row) throw new OperationRefused(`${input.container} is not one of ${snapshot.scope}'s containers.`);
	const isRunning = row.state === 'running' || row.state === 'restarting';
	if (input.action === 'start' && isRunning) throw new OperationRefused(`${row.name} is already running.`);
	if ((input.action === 'stop' || input.action === 'kill') && !isRunning) throw new OperationRefused(`${row.name} is not running (${row.state}).`);
	const isLeader = input.isLeader || (row.member !== undefined && row.member === snapshot.leader);
	// Taking the leader's container down is an unplanned failover; taking etcd down makes Patroni demote the leader;
	// taking HAProxy down cuts every client off.
	if (input.action !== 'start' && (isLeader || row.role === 'etcd' || row.role === 'haproxy')) {
		const name = row.member ?? row.name;
		const typed = input.confirmedName?.trim();
		if (typed !== name && typed !== row.name) {
			const what = isLeader
				? `${row.name} runs the leader, ${name}: this forces a failover`
				: row.role === 'etcd'
					? `${row.name} is the DCS: without it Patroni demotes the leader`
					: `${row.name} is HAProxy: every client reaches the cluster through it`;
			throw new OperationRefused(`${what}. Type "${name}" to confirm${typed ? ` ("${typed}" was typed)` : ''}.`);
		}
	}
	return row;
}

const after = (action: ContainerAction) => (action === 'stop' || action === 'kill' ? 'exited' : 'running');

/** docker start/stop/restart/kill of one of the cluster's containers, followed until Docker and Patroni agree. */
export function containerOperation(context: OperationContext, input: ContainerInput): Operation {
	const row = context.observe().containers.find(container => container.name === input.container || container.id === input.container);
	const title = `docker ${input.action} ${row?.name ?? input.container}`;
	return mutation(context.isReadOnly, title, row?.member ?? row?.name ?? input.container, async function* (signal) {
		const snapshot = context.observe();
		const container = validateContainer(snapshot, input);
		if (input.expectedLeader !== undefined) await requireLeaderStill(context, input.expectedLeader, signal);
		if (!context.clients.docker) throw new OperationRefused('No Docker engine is configured: containers cannot be managed.');
		const handle = context.clients.docker.getContainer(container.id);
		yield step(`docker ${input.action} ${container.name}`, 'running');
		const startedAt = Date.now();
		try {
			// A stop or restart gives the container 10 s before the engine kills it: the deadline leaves room for that.
			await dockerCall(input.action, input.action === 'start' || input.action === 'kill' ? 15_000 : 30_000, signal, abortSignal => {
				if (input.action === 'start') return handle.start({abortSignal});
				if (input.action === 'stop') return handle.stop({t: 10, abortSignal});
				if (input.action === 'restart') return handle.restart({t: 10, abortSignal});
				return handle.kill({abortSignal});
			});
		} catch (error) {
			return yield done(false, `Docker: ${errorMessage(error)}`);
		}
		const state = (await dockerCall('inspect', 5000, signal, abortSignal => handle.inspect({abortSignal}))).State;
		const isAsExpected = state.Status === after(input.action);
		yield step(`Docker says ${container.name} is ${state.Status} (${seconds(Date.now() - startedAt)})`, isAsExpected ? 'done' : 'failed');
		if (!isAsExpected) return yield done(false, `${container.name} is ${state.Status}, not ${after(input.action)}`);
		if (!container.member || after(input.action) !== 'running') return yield done(true, `${container.name} is ${state.Status}`);
		const member = container.member;
		const isReplica = member !== snapshot.leader;
		const tookMs = await waitForSnapshot(context, signal, seen => {
			const row = seen.members.find(candidate => candidate.name === member);
			return Boolean(row && !row.restError && row.state === 'running' && (!isReplica || row.replicationState === 'streaming'));
		});
		const back = isReplica ? 'running and streaming' : 'running';
		yield tookMs === undefined
			? done(false, `${container.name} is running, but ${member} is not ${back} in Patroni yet`)
			: done(true, `${member} is ${back} again (${seconds(Date.now() - startedAt)} after docker ${input.action})`);
	});
}
