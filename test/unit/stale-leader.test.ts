/**
 * An operation confirmed against a named leader re-checks, from a fresh GET /cluster, that it still leads, and
 * sends nothing when it does not. Payloads recorded from Patroni 3.0.2 (the lab); Patroni's own refusal text is
 * its is_failover_possible's, from Debian's 3.0.2 patroni/api.py. The REST client is a recorder: every request
 * it was asked to make is written down, so "nothing was sent" is a list with no POST in it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import type {PatroniAnswer, PatroniApi} from '../../source/clients/patroni.js';
import type {PatroniCluster} from '../../source/clients/patroni-types.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import type {OperationContext} from '../../source/operations/context.js';
import {containerOperation} from '../../source/operations/container-operation.js';
import {failoverOperation} from '../../source/operations/failover.js';
import {haproxyServerOperation} from '../../source/operations/haproxy-operation.js';
import {restartOperation} from '../../source/operations/member-operations.js';
import {OperationRefused, type Operation, type OperationEvent} from '../../source/operations/operation.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {contextOn} from '../helpers/operation-context.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
/** GET /cluster as Patroni 3.0.2 answered it: node1 leads. */
const clusterNow = JSON.parse(fs.readFileSync('test/fixtures/rest-cluster-patroni-3.0.2.json', 'utf8')) as PatroniCluster;
/** The same answer after a failover to node3 (roles swapped as Patroni writes them). */
const clusterAfter: PatroniCluster = {
	...clusterNow,
	members: clusterNow.members.map(member => ({...member, role: member.name === 'node3' ? 'leader' : 'replica'})),
};
const snapshot = buildSnapshot(recorded.states, {scope: 'labtest', now: recorded.states.rest.updatedAt! + 500});

function recordingContext(cluster: PatroniCluster, answers: Partial<Record<string, PatroniAnswer>> = {}, followMs = 0): OperationContext & {calls: string[]} {
	const calls: string[] = [];
	const ok: PatroniAnswer = {status: 200, text: 'ok', body: 'ok'};
	const patroni = (baseUrl: string): PatroniApi => {
		const record = (name: string) => async (...args: unknown[]) => {
			const body = args.find(arg => arg !== undefined && !(arg instanceof AbortSignal));
			calls.push(`${name} ${baseUrl}${body ? ` ${JSON.stringify(body)}` : ''}`);
			return name === 'cluster' ? cluster : (answers[name] ?? ok);
		};
		return {baseUrl, ...Object.fromEntries(['request', 'cluster', 'status', 'history', 'config', 'switchover', 'failover', 'restart', 'reload'].map(name => [name, record(name)]))} as PatroniApi;
	};
	return {...contextOn(() => snapshot, {followMs, pollMs: 1}, {patroni}), calls};
}

async function refusal(operation: Operation): Promise<string> {
	try {
		for await (const event of operation.run(new AbortController().signal)) assert.fail(`"${operation.title}" yielded before refusing: ${JSON.stringify(event)}`);
	} catch (error) {
		if (!(error instanceof OperationRefused)) throw error;
		return error.message;
	}
	return assert.fail(`"${operation.title}" was not refused`);
}

async function events(operation: Operation): Promise<OperationEvent[]> {
	const seen: OperationEvent[] = [];
	for await (const event of operation.run(new AbortController().signal)) seen.push(event);
	return seen;
}

const sent = (calls: readonly string[]) => calls.filter(call => !call.startsWith('cluster '));

describe('the leader the dialog named is checked again before anything is sent', () => {
	it('switchover: node1 named, node3 leads per GET /cluster: refused, only reads were made', async () => {
		assert.equal(snapshot.leader, 'node1');
		const context = recordingContext(clusterAfter);
		assert.equal(await refusal(switchoverOperation(context, {candidate: 'node2', expectedLeader: 'node1'})), 'node1 is no longer the leader (node3 is now); nothing was sent.');
		assert.ok(context.calls.length > 0 && context.calls.every(call => call.startsWith('cluster ')), context.calls.join('\n'));
	});

	it('switchover: the picture itself already names another leader: refused without a request at all', async () => {
		const context = recordingContext(clusterNow);
		assert.equal(await refusal(switchoverOperation(context, {candidate: 'node2', expectedLeader: 'node3'})), 'node3 is no longer the leader (node1 is now); nothing was sent.');
		assert.deepEqual(context.calls, []);
	});

	it("switchover: still node1: sent with leader node1, and Patroni's own refusal shown as Patroni wrote it", async () => {
		// Followed long enough for the answer (at once, from the recorder) to be read.
		const context = recordingContext(clusterNow, {switchover: {status: 412, text: 'leader name does not match', body: 'leader name does not match'}}, 5000);
		const seen = await events(switchoverOperation(context, {candidate: 'node2', expectedLeader: 'node1'}));
		assert.deepEqual(sent(context.calls), ['switchover http://127.0.0.1:18108 {"leader":"node1","candidate":"node2"}']);
		const end = seen.at(-1);
		assert.deepEqual(end?.kind === 'done' && [end.isOk, end.summary], [false, 'Patroni answered 412: leader name does not match']);
	});

	it('failover with a healthy leader named: refused once another leads', async () => {
		const context = recordingContext(clusterAfter);
		assert.equal(await refusal(failoverOperation(context, {candidate: 'node2', confirmedName: 'node2', expectedLeader: 'node1'})), 'node1 is no longer the leader (node3 is now); nothing was sent.');
		assert.deepEqual(sent(context.calls), []);
	});

	it("the leader's restart: its name typed, and refused if it no longer leads; a replica's refused if it has become the leader", async () => {
		const moved = recordingContext(clusterAfter);
		assert.match(await refusal(restartOperation(moved, {member: 'node1', expectedLeader: 'node1'})), /node1 is the leader: writes stop until it is back: type "node1" to confirm\./);
		assert.equal(await refusal(restartOperation(moved, {member: 'node1', expectedLeader: 'node1', confirmedName: 'node1'})), 'node1 is no longer the leader (node3 is now); nothing was sent.');
		assert.equal(await refusal(restartOperation(moved, {member: 'node3', expectedLeader: 'node1'})), 'node3 has become the leader since it was confirmed as a replica; nothing was sent.');
		assert.deepEqual(sent(moved.calls), []);
		const still = recordingContext(clusterNow);
		await events(restartOperation(still, {member: 'node3', expectedLeader: 'node1'}));
		assert.deepEqual(sent(still.calls), ['restart http://127.0.0.1:18110 {}']);
	});

	it("maint of the leader's server in HAProxy's primary listener: the server's name typed, and the leader checked again", async () => {
		const context = recordingContext(clusterAfter);
		const input = {socketPath: '/tmp/patroni-tui-no.sock', proxy: 'primary', server: 'node1', state: 'maint'} as const;
		assert.match(await refusal(haproxyServerOperation(context, input)), /HAProxy routes writes to primary\/node1: maint cuts them off: type "node1" to confirm\./);
		assert.equal(await refusal(haproxyServerOperation(context, {...input, confirmedName: 'node1', expectedLeader: 'node1'})), 'node1 is no longer the leader (node3 is now); nothing was sent.');
	});

	it("the leader's container stopped, its name typed: refused once another leads", async () => {
		const context = recordingContext(clusterAfter);
		const input = {container: 'patroni-tui-labtest-node1', action: 'stop', isLeader: true, confirmedName: 'node1', expectedLeader: 'node1'} as const;
		assert.equal(await refusal(containerOperation(context, input)), 'node1 is no longer the leader (node3 is now); nothing was sent.');
	});

	it('no member answers GET /cluster: refused, saying the check could not be made', async () => {
		const context = recordingContext(clusterNow);
		const unreachable = {...context, clients: {...context.clients, patroni: (baseUrl: string) => ({...context.clients.patroni(baseUrl), cluster: async () => Promise.reject(new Error(`GET ${baseUrl}/cluster: connect ECONNREFUSED`))})}};
		assert.match(await refusal(switchoverOperation(unreachable, {candidate: 'node2', expectedLeader: 'node1'})), /^Could not check that node1 is still the leader \(GET http:\/\/127\.0\.0\.1:181\d\d\/cluster: connect ECONNREFUSED.*\); nothing was sent\.$/);
	});
});
