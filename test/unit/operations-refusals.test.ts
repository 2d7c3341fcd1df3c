import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {DockerClient} from '../../source/clients/docker.js';
import {answerOf, type PatroniAnswer, type PatroniApi} from '../../source/clients/patroni.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {SourceStates} from '../../source/model/source-state.js';
import {cancelScheduledSwitchover, pauseOperation, resumeOperation} from '../../source/operations/cluster-operations.js';
import {containerOperation} from '../../source/operations/container-operation.js';
import type {OperationContext} from '../../source/operations/context.js';
import {failoverOperation} from '../../source/operations/failover.js';
import {haproxyServerOperation} from '../../source/operations/haproxy-operation.js';
import {cancelScheduledRestart, reinitializeOperation, reloadOperation, restartOperation} from '../../source/operations/member-operations.js';
import {OperationRefused, type Operation, type OperationEvent} from '../../source/operations/operation.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {contextOn} from '../helpers/operation-context.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;
type Mutable<T> = {-readonly [K in keyof T]: Mutable<T[K]>};

/** Where the monitor reaches the test lab's etcd and HAProxy, as run-monitor.tsx gives them for --lab. */
const LAB_ENDPOINTS = {etcd: ['http://127.0.0.1:12479'], haproxy: ['http://127.0.0.1:17100/;csv', '127.0.0.1:15100']};

function scenario(edit: (states: Mutable<SourceStates>) => void = () => undefined): ClusterSnapshot {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	edit(states);
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW, endpoints: LAB_ENDPOINTS});
}

const leaderGone = (states: Mutable<SourceStates>) => {
	states.rest.data!.members['node1'] = {error: 'connect ECONNREFUSED 127.0.0.1:18108', at: NOW};
	states.postgres.data!.members['node1'] = {error: 'connect ECONNREFUSED 127.0.0.1:15533', at: NOW};
};

/** A context whose REST client and Docker engine only write down what they were asked: proof that nothing was sent. */
function recordingContext(snapshot: ClusterSnapshot, isReadOnly = false): OperationContext & {calls: string[]} {
	const calls: string[] = [];
	const ok: PatroniAnswer = {status: 200, text: 'ok', body: 'ok'};
	const patroni = (baseUrl: string): PatroniApi => {
		const record = (name: string) => async (...args: unknown[]) => {
			const body = args.find(arg => arg !== undefined && !(arg instanceof AbortSignal));
			calls.push(`${name} ${baseUrl}${body ? ` ${JSON.stringify(body)}` : ''}`);
			return ok;
		};
		return {baseUrl, ...Object.fromEntries(['request', 'cluster', 'status', 'history', 'config', 'switchover', 'cancelSwitchover', 'failover', 'restart', 'cancelRestart', 'reload', 'reinitialize', 'patchConfig'].map(name => [name, record(name)]))} as PatroniApi;
	};
	const docker = {getContainer: (id: string) => (calls.push(`docker ${id}`), {})} as unknown as DockerClient;
	return {...contextOn(() => snapshot, {isReadOnly, followMs: 0, pollMs: 1}, {patroni, docker}), calls};
}

async function events(operation: Operation): Promise<OperationEvent[]> {
	const seen: OperationEvent[] = [];
	for await (const event of operation.run(new AbortController().signal)) seen.push(event);
	return seen;
}

/** The refusal's sentence; fails if the operation yielded anything (a step means it started acting) first. */
async function refusal(operation: Operation): Promise<string> {
	try {
		for await (const event of operation.run(new AbortController().signal)) assert.fail(`"${operation.title}" yielded before refusing: ${JSON.stringify(event)}`);
	} catch (error) {
		if (!(error instanceof OperationRefused)) throw error;
		return error.message;
	}
	return assert.fail(`"${operation.title}" was not refused`);
}

describe('operations refuse before anything is sent', () => {
	it('read-only mode refuses every operation', async () => {
		const context = recordingContext(scenario(), true);
		const all = [
			switchoverOperation(context, {candidate: 'node2'}),
			failoverOperation(context, {candidate: 'node2', confirmedName: 'node2'}),
			restartOperation(context, {member: 'node2'}),
			reloadOperation(context),
			reinitializeOperation(context, {member: 'node2', confirmedName: 'node2'}),
			pauseOperation(context),
			resumeOperation(context),
			cancelScheduledSwitchover(context),
			cancelScheduledRestart(context, 'node2'),
			containerOperation(context, {container: 'patroni-tui-labtest-node2', action: 'stop', isLeader: false}),
			haproxyServerOperation(context, {socketPath: '/tmp/none.sock', proxy: 'replicas', server: 'node2', state: 'drain'}),
		];
		for (const operation of all) {
			assert.ok(operation.isMutating, operation.title);
			assert.match(await refusal(operation), /^Read-only mode: ".+" would change the cluster and was not sent\.$/);
		}
		assert.deepEqual(context.calls, []);
	});

	it('switchover: no such member, the leader itself, a lagging replica, a time in the past, no leader', async () => {
		const context = recordingContext(scenario());
		assert.equal(await refusal(switchoverOperation(context, {candidate: 'node9'})), 'Cannot switch over: node9 is not a member of labtest (members: node1, node2, node3).');
		assert.equal(await refusal(switchoverOperation(context, {candidate: 'node1'})), 'node1 is already the leader: choose a replica.');
		assert.match(await refusal(switchoverOperation(context, {candidate: 'node2', scheduledAt: new Date(Date.now() - 60_000)})), /is in the past/);
		const lagging = recordingContext(scenario(states => {
			states.postgres.data!.members['node1']!.replication!.find(row => row.applicationName === 'node3')!.replayLagBytes = 50 << 20;
		}));
		assert.match(await refusal(switchoverOperation(lagging, {candidate: 'node3'})), /^Cannot switch over: node3 replays 50 MiB behind/);
		const headless = recordingContext(scenario(states => (states.dcs.data!.leader = undefined)));
		assert.match(await refusal(switchoverOperation(headless, {candidate: 'node2'})), /has no leader to switch over from/);
		assert.deepEqual([...context.calls, ...lagging.calls, ...headless.calls], []);
	});

	it('failover with a healthy leader needs the candidate typed out', async () => {
		const context = recordingContext(scenario());
		assert.match(await refusal(failoverOperation(context, {candidate: 'node2'})), /node1 is a healthy leader: .* type "node2" to confirm\.$/);
		assert.match(await refusal(failoverOperation(context, {candidate: 'node2', confirmedName: 'node3'})), /\("node3" was typed\)/);
		assert.deepEqual(context.calls, []);
		await events(failoverOperation(context, {candidate: 'node2', confirmedName: ' node2 '}));
		assert.deepEqual(context.calls, ['failover http://127.0.0.1:18108 {"candidate":"node2","leader":"node1"}'], "sent to the leader's API");
	});

	it('failover after the leader is gone needs no typed name and goes to the candidate', async () => {
		const context = recordingContext(scenario(leaderGone));
		assert.match(await refusal(failoverOperation(context, {candidate: 'node1'})), /node1 is the leader that failed/);
		await events(failoverOperation(context, {candidate: 'node3'}));
		assert.deepEqual(context.calls, ['failover http://127.0.0.1:18110 {"candidate":"node3"}']);
	});

	it('member operations: unknown member, reinitializing the leader or without the typed name, nothing scheduled', async () => {
		const context = recordingContext(scenario());
		assert.equal(await refusal(restartOperation(context, {member: 'node7'})), 'node7 is not a member of labtest (members: node1, node2, node3).');
		assert.match(await refusal(restartOperation(context, {member: 'node2', schedule: new Date(0)})), /valid time in the future/);
		assert.match(await refusal(reinitializeOperation(context, {member: 'node1', confirmedName: 'node1'})), /node1 is the leader: only a replica can be reinitialized/);
		assert.match(await refusal(reinitializeOperation(context, {member: 'node2'})), /wipes its data directory: type "node2" to confirm/);
		assert.equal(await refusal(cancelScheduledRestart(context, 'node2')), 'node2 has no scheduled restart.');
		assert.equal(await refusal(cancelScheduledSwitchover(context)), 'labtest has no scheduled switchover.');
		assert.equal(await refusal(resumeOperation(context)), 'labtest is already running under Patroni (not paused).');
		const gone = recordingContext(scenario(leaderGone));
		assert.match(await refusal(restartOperation(gone, {member: 'node1'})), /node1's Patroni REST API does not answer \(connect ECONNREFUSED/);
		assert.deepEqual([...context.calls, ...gone.calls], []);
	});

	it("containers: only this cluster's; the leader's or etcd's taken down only with the name typed", async () => {
		const context = recordingContext(scenario());
		const refuse = (container: string, action: 'start' | 'stop' | 'kill', confirmedName?: string) =>
			refusal(containerOperation(context, {container, action, isLeader: false, ...(confirmedName ? {confirmedName} : {})}));
		assert.equal(await refuse('patroni-tui-lab-node2', 'stop'), "patroni-tui-lab-node2 is not one of labtest's containers.", "another lab's container");
		assert.match(await refuse('patroni-tui-labtest-node1', 'kill'), /runs the leader, node1: this forces a failover\. Type "node1" to confirm\.$/);
		assert.match(await refuse('patroni-tui-labtest-node1', 'stop', 'node2'), /\("node2" was typed\)/);
		assert.match(await refuse('patroni-tui-labtest-etcd', 'stop'), /is the DCS/);
		assert.equal(await refuse('patroni-tui-labtest-node2', 'start'), 'patroni-tui-labtest-node2 is already running.');
		assert.deepEqual(context.calls, []);
	});

	it('HAProxy: no admin socket, a name that would smuggle a command, a server HAProxy does not have', async () => {
		const context = recordingContext(scenario());
		const refuse = (socketPath: string | undefined, server: string) => refusal(haproxyServerOperation(context, {socketPath, proxy: 'replicas', server, state: 'drain'}));
		assert.match(await refuse(undefined, 'node2'), /admin socket is not configured/);
		assert.match(await refuse('/tmp/x.sock', 'node2 state ready\nshutdown sessions'), /is not a HAProxy name/);
		assert.equal(await refuse('/tmp/x.sock', 'node9'), 'HAProxy has no server replicas/node9.');
	});
});

describe("Patroni's answers", () => {
	it('keep its text exactly, and turn its HTML error pages into the status line', () => {
		assert.deepEqual(answerOf(412, 'Precondition Failed', 'candidate does not exists'), {status: 412, text: 'candidate does not exists', body: 'candidate does not exists'});
		assert.equal(answerOf(401, 'Unauthorized', 'not authenticated').text, 'not authenticated');
		assert.equal(answerOf(409, 'Conflict', '<!DOCTYPE HTML>\n<html><body>Error code: 409</body></html>').text, '409 Conflict');
		assert.equal(answerOf(200, 'OK', '{"pause":true}').text, '200 OK');
	});
});
