import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {MonitorConfig} from '../../source/config.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {Monitor} from '../../source/monitor.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import {cancelScheduledSwitchover, pauseOperation, resumeOperation} from '../../source/operations/cluster-operations.js';
import {containerOperation} from '../../source/operations/container-operation.js';
import {operationContext, type OperationContext} from '../../source/operations/context.js';
import {healthyLeader, switchoverCandidates} from '../../source/operations/eligibility.js';
import {failoverOperation} from '../../source/operations/failover.js';
import {haproxyServerOperation} from '../../source/operations/haproxy-operation.js';
import {cancelScheduledRestart, reinitializeOperation, reloadOperation, restartOperation} from '../../source/operations/member-operations.js';
import {OperationRunner} from '../../source/operations/runner.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {containerStartedAt, containerState, dockerCli} from '../helpers/docker-cli.js';
import {finish, refusal} from '../helpers/finish-operation.js';
import {haproxyServers as haproxyWitness} from '../helpers/haproxy-witness.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster as restWitnessCluster, restStatus, type WitnessCluster} from '../helpers/rest-witness.js';
import {ensureTestLab, patronictl, TEST_PORT_OFFSET, TEST_SCOPE, TEST_STATE_DIR, waitFor} from '../helpers/lab.js';

describe('operations against the lab', () => {
	let status: LabStatus;
	let config: MonitorConfig;
	let monitor: Monitor;
	let context: OperationContext;
	/** Every REST client an operation built: a refusal must leave this empty. */
	const built: string[] = [];
	const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-ops-')), 'events.log');

	const snapshot = () => monitor.getView().snapshot;

	/** GET /cluster from the first member that answers, through fetch: Patroni's own word, not our state or client. */
	const restCluster = (): Promise<WitnessCluster> => restWitnessCluster(status.members.map(member => member.restApi));
	const restLeader = async () => (await restCluster()).members.find(member => member.role === 'leader')?.name;
	const restApi = (name: string) => status.members.find(member => member.name === name)!.restApi;
	/** HAProxy's show stat from its admin socket, read by the test's own parser (the product's is under test). */
	const haproxyServers = () => haproxyWitness(status.haproxy.socket);

	/** A healthy cluster with two eligible replicas, as both Patroni and the monitor see it. */
	async function healthy(): Promise<string> {
		return waitFor(
			'a healthy cluster with two switchover candidates',
			async () => {
				const cluster = await restCluster();
				const isRunning = cluster.members.length === 3 && cluster.members.every(member => member.state === 'running');
				const seen = snapshot();
				const isSeen = seen.state === 'healthy' && switchoverCandidates(seen).eligible.length === 2 && seen.leaderBy.haproxy?.length === 1;
				return isRunning && isSeen ? seen.leader : undefined;
			},
			120_000,
		);
	}

	before(async () => {
		status = await ensureTestLab();
		config = resolveMonitorConfig({lab: true, scope: TEST_SCOPE, stateDir: TEST_STATE_DIR, portOffset: TEST_PORT_OFFSET, logFile});
		monitor = createMonitor(config, message => assert.fail(message));
		monitor.start();
		const base = operationContext(config, snapshot);
		context = {...base, clients: {...base.clients, patroni: url => (built.push(url), base.clients.patroni(url))}};
		await healthy();
	});

	after(async () => {
		await monitor?.stop();
	});

	it('refuses a switchover to a member that does not exist, or is not eligible, before any request', async () => {
		const leader = await healthy();
		const history = (await restCluster()).members.find(member => member.name === leader)!.timeline;
		built.length = 0;
		assert.match(await refusal(switchoverOperation(context, {candidate: 'node9'})), /node9 is not a member of opsa|node9 is not a member/);
		assert.equal(await refusal(switchoverOperation(context, {candidate: leader})), `${leader} is already the leader: choose a replica.`);
		assert.match(await refusal(failoverOperation(context, {candidate: leader, confirmedName: leader})), /is the leader/);
		assert.deepEqual(built, [], 'no REST client was even built');
		assert.equal(await restLeader(), leader, 'the leader is the same, per REST');
		assert.equal((await restCluster()).members.find(member => member.name === leader)!.timeline, history, 'no new timeline');
	});

	it('refuses a failover while the leader is healthy unless the candidate is typed out', async () => {
		const leader = await healthy();
		const candidate = switchoverCandidates(snapshot()).eligible[0]!;
		built.length = 0;
		assert.match(await refusal(failoverOperation(context, {candidate})), new RegExp(`${leader} is a healthy leader: .*type "${candidate}" to confirm`));
		assert.deepEqual(built, []);
		assert.equal(await restLeader(), leader);
	});

	it("shows Patroni's own text for a wrong REST password (401) and changes nothing", async () => {
		const leader = await healthy();
		const wrong: OperationContext = operationContext({...config, restCredentials: {username: config.restCredentials!.username, password: 'wrong-password'}}, snapshot);
		const candidate = switchoverCandidates(snapshot()).eligible[0]!;
		const switched = await finish(switchoverOperation(wrong, {candidate}));
		assert.equal(switched.isOk, false);
		assert.equal(switched.summary, 'Patroni answered 401: not authenticated');
		const paused = await finish(pauseOperation(wrong));
		assert.equal(paused.summary, 'Patroni answered 401: not authenticated');
		const cluster = await restCluster();
		assert.equal(cluster.members.find(member => member.role === 'leader')?.name, leader);
		assert.ok(!cluster.pause, 'not paused');
	});

	it('read-only mode refuses every operation, and the cluster is as it was', async () => {
		const leader = await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const readOnly: OperationContext = {...context, isReadOnly: true};
		const containers = Object.fromEntries(await Promise.all(status.members.map(async m => [m.name, await containerStartedAt(m.container!.id)] as const)));
		const servers = (await haproxyServers()).map(server => `${server.proxy}/${server.server} ${server.status}`);
		built.length = 0;
		const all = [
			switchoverOperation(readOnly, {candidate: replica}),
			failoverOperation(readOnly, {candidate: replica, confirmedName: replica}),
			restartOperation(readOnly, {member: replica}),
			reloadOperation(readOnly),
			reinitializeOperation(readOnly, {member: replica, confirmedName: replica}),
			pauseOperation(readOnly),
			resumeOperation(readOnly),
			cancelScheduledSwitchover(readOnly),
			cancelScheduledRestart(readOnly, replica),
			containerOperation(readOnly, {container: `patroni-tui-${TEST_SCOPE}-${leader}`, action: 'kill', isLeader: true, confirmedName: leader}),
			haproxyServerOperation(readOnly, {socketPath: config.haproxy.socketPath, proxy: 'replicas', server: replica, state: 'maint'}),
		];
		for (const operation of all) assert.match(await refusal(operation), /^Read-only mode: /, operation.title);
		// The runner refuses too, without calling the operation.
		const runner = new OperationRunner({isReadOnly: true});
		await runner.start(switchoverOperation(context, {candidate: replica}));
		assert.equal(runner.getView().operations[0]?.state, 'refused');
		assert.deepEqual(built, []);
		const cluster = await restCluster();
		assert.equal(cluster.members.find(member => member.role === 'leader')?.name, leader);
		assert.ok(!cluster.pause);
		for (const member of status.members) assert.equal(await containerStartedAt(member.container!.id), containers[member.name]);
		assert.deepEqual((await haproxyServers()).map(server => `${server.proxy}/${server.server} ${server.status}`), servers);
	});

	it('switches over to a chosen replica: the new leader per REST and patronictl, in the DCS and at HAProxy', async () => {
		const leader = await healthy();
		const candidate = switchoverCandidates(snapshot()).eligible.at(-1)!;
		const result = await finish(switchoverOperation(context, {candidate}));
		assert.ok(result.isOk, result.summary);
		const sentAt = result.events[0]!.at;
		const dcsAt = result.events.find(event => event.kind === 'step' && event.text.startsWith('the DCS leader key'))!.at;
		const haproxyAt = result.events.find(event => event.kind === 'step' && event.text.startsWith("HAProxy's primary listener"))!.at;
		console.log(`switchover ${leader} → ${candidate}: DCS after ${dcsAt - sentAt} ms, HAProxy after ${haproxyAt - sentAt} ms (${result.summary})`);
		assert.equal(await restLeader(), candidate, "Patroni's REST API names the candidate");
		const listed = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string}>;
		assert.equal(listed.find(row => row.Role === 'Leader')?.Member, candidate, 'patronictl list names the candidate');
		const primaries = (await haproxyServers()).filter(server => server.proxy === 'primary' && server.status === 'UP').map(server => server.server);
		assert.deepEqual(primaries, [candidate], "HAProxy's own stats route writes to the candidate only");
	});

	it('restarts a replica: a new postmaster start time, running again', async () => {
		await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const before = (await restStatus(restApi(replica))).postmaster_start_time;
		const result = await finish(restartOperation(context, {member: replica}));
		assert.ok(result.isOk, result.summary);
		assert.ok(result.events.some(event => event.kind === 'step' && event.text === 'Patroni: restarted successfully'), JSON.stringify(result.events));
		const after = await restStatus(restApi(replica));
		assert.notEqual(after.postmaster_start_time, before);
		assert.equal(after.state, 'running');
	});

	it('reloads every member: pg_conf_load_time moves on each, per psql', async () => {
		await healthy();
		const loaded = () => Promise.all(status.members.map(member => psqlValue(member.postgres.port, 'select pg_conf_load_time()')));
		const before = await loaded();
		const result = await finish(reloadOperation(context));
		assert.ok(result.isOk, result.summary);
		assert.deepEqual(result.events.filter(event => event.kind === 'step').map(event => event.kind === 'step' && event.text), ['node1: reload scheduled', 'node2: reload scheduled', 'node3: reload scheduled']);
		// Patroni reloads on its next loop: the new load time follows the answer by up to loop_wait.
		await waitFor('every member to have reloaded, per psql', async () => ((await loaded()).every((at, index) => at !== before[index]) ? true : undefined), 30_000);
	});

	it("pauses and resumes: /cluster's pause flag", async () => {
		await healthy();
		const paused = await finish(pauseOperation(context));
		assert.ok(paused.isOk, paused.summary);
		// PATCH /config goes to one member; the member the witness asks answers /cluster from its own copy of the
		// DCS, which its watch brings up to date a moment later (CI once saw the old flag 240 ms after the answer).
		const pauseIs = (wanted: boolean) => waitFor(`/cluster's pause flag to be ${wanted}`, async () => (Boolean((await restCluster()).pause) === wanted ? true : undefined), 10_000, 100);
		await pauseIs(true);
		const resumed = await finish(resumeOperation(context));
		assert.ok(resumed.isOk, resumed.summary);
		await pauseIs(false);
	});

	it('schedules a switchover and a restart, and cancels both', async () => {
		const leader = await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const inAnHour = new Date(Date.now() + 3_600_000);
		const scheduled = await finish(switchoverOperation(context, {candidate: replica, scheduledAt: inAnHour}));
		assert.ok(scheduled.isOk, scheduled.summary);
		assert.equal((await restCluster()).scheduled_switchover?.to, replica);
		await waitFor('the monitor to see the schedule', async () => snapshot().scheduledSwitchover);
		assert.ok((await finish(cancelScheduledSwitchover(context))).isOk);
		assert.equal((await restCluster()).scheduled_switchover, undefined);
		assert.ok((await finish(restartOperation(context, {member: replica, schedule: inAnHour}))).isOk);
		assert.ok((await restCluster()).members.find(member => member.name === replica)?.scheduled_restart);
		await waitFor('the monitor to see the scheduled restart', async () => snapshot().members.find(member => member.name === replica)?.scheduledRestart);
		const cancelled = await finish(cancelScheduledRestart(context, replica));
		assert.equal(cancelled.summary, 'scheduled restart deleted');
		assert.equal((await restCluster()).members.find(member => member.name === replica)?.scheduled_restart, undefined);
		assert.equal(await restLeader(), leader);
	});

	it("drains a replica's HAProxy server and makes it ready again: HAProxy's CSV", async () => {
		await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const statusOf = async () => (await haproxyServers()).find(server => server.proxy === 'replicas' && server.server === replica)?.status;
		const drained = await finish(haproxyServerOperation(context, {socketPath: config.haproxy.socketPath, proxy: 'replicas', server: replica, state: 'drain'}));
		assert.ok(drained.isOk, drained.summary);
		assert.equal(await statusOf(), 'DRAIN');
		const ready = await finish(haproxyServerOperation(context, {socketPath: config.haproxy.socketPath, proxy: 'replicas', server: replica, state: 'ready'}));
		assert.ok(ready.isOk, ready.summary);
		assert.equal(await statusOf(), 'UP');
	});

	it("stops and starts a replica's container: docker inspect, then streaming again per REST", async () => {
		const leader = await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const container = `patroni-tui-${TEST_SCOPE}-${replica}`;
		const id = status.members.find(member => member.name === replica)!.container!.id;
		const stopped = await finish(containerOperation(context, {container, action: 'stop', isLeader: false}));
		assert.ok(stopped.isOk, stopped.summary);
		assert.equal(await containerState(id), 'exited', 'per the docker CLI');
		await waitFor('the monitor to see it stopped', async () => (snapshot().containers.find(row => row.name === container)?.state === 'exited' ? true : undefined));
		const started = await finish(containerOperation(context, {container, action: 'start', isLeader: false}));
		assert.ok(started.isOk, started.summary);
		assert.equal(await containerState(id), 'running', 'per the docker CLI');
		const replication = (await restStatus(restApi(leader))).replication ?? [];
		assert.equal(replication.find(row => row.application_name === replica)?.state, 'streaming', "the leader's REST API shows it streaming");
		console.log(`container stop → start of ${replica}: ${started.summary}`);
	});

	it('reinitializes a replica (name typed): a fresh postmaster, streaming again', async () => {
		const leader = await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const before = (await restStatus(restApi(replica))).postmaster_start_time;
		const result = await finish(reinitializeOperation(context, {member: replica, confirmedName: replica}));
		assert.ok(result.isOk, result.summary);
		assert.notEqual((await restStatus(restApi(replica))).postmaster_start_time, before);
		const replication = (await restStatus(restApi(leader))).replication ?? [];
		assert.equal(replication.find(row => row.application_name === replica)?.state, 'streaming');
	});

	it("fails over to a chosen replica after the leader's container is killed", async () => {
		const leader = await healthy();
		const candidate = switchoverCandidates(snapshot()).eligible.at(-1)!;
		const id = status.members.find(member => member.name === leader)!.container!.id;
		await dockerCli(['kill', id]);
		try {
			const killedAt = Date.now();
			await waitFor('the monitor to see the leader gone', async () => (healthyLeader(snapshot()) ? undefined : true), 20_000, 50);
			const result = await finish(failoverOperation(context, {candidate}));
			assert.ok(result.isOk, result.summary);
			const startedAt = result.events[0]!.at;
			console.log(`failover after kill of ${leader}: seen gone ${startedAt - killedAt} ms after the kill, ${candidate} leads ${result.events.at(-1)!.at - killedAt} ms after it (${result.summary})`);
			for (const event of result.events) if (event.kind === 'step') console.log(`  +${event.at - startedAt} ms ${event.text}`);
			assert.equal(await restLeader(), candidate, "Patroni's REST API names the chosen candidate");
			assert.equal(await containerState(id), 'exited', 'the killed leader exited, per the docker CLI');
		} finally {
			await ensureTestLab();
		}
		await healthy();
	});
});
