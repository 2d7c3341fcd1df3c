import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {MonitorConfig} from '../../source/config.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';
import type {Monitor} from '../../source/monitor.js';
import {pauseOperation, resumeOperation} from '../../source/operations/cluster-operations.js';
import {containerOperation} from '../../source/operations/container-operation.js';
import {operationContext, type OperationContext} from '../../source/operations/context.js';
import {healthyLeader, switchoverCandidates} from '../../source/operations/eligibility.js';
import {failoverOperation} from '../../source/operations/failover.js';
import {restartOperation} from '../../source/operations/member-operations.js';
import {parameterEditOperation, planParameterEdit} from '../../source/operations/parameter-edit.js';
import {readPgSettings} from '../../source/operations/pg-settings.js';
import {checkReplication} from '../../source/operations/replication-check.js';
import {rollingRestartOperation} from '../../source/operations/rolling-restart.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import {containerState, dockerCli} from '../helpers/docker-cli.js';
import {finish} from '../helpers/finish-operation.js';
import {cli, waitFor} from '../helpers/lab.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restStatus} from '../helpers/rest-witness.js';
import {brokenYamls, monitorOn} from '../helpers/tls-monitor-failures.js';
import {labTlsFiles, trustLab} from '../helpers/witness-tls.js';

// Every operation on a TLS lab whose Patroni keeps its state in etcd's v2 API (`lab up --tls --dcs etcd2`): the
// monitor attaches with --lab alone, REST's unsafe methods need the client certificate (verify_client optional),
// SQL is verify-full. Outcomes from Debian's patronictl (the lab's patronictl.yaml), REST through node:https with
// the lab's CA, psql and the docker CLI. Brought up here and destroyed at the end.
const SCOPE = 'labtlsops';
const STATE_DIR = path.join(os.tmpdir(), 'patroni-tui-test-labtlsops');
const LAB_FLAGS = ['--scope', SCOPE, '--state-dir', STATE_DIR, '--port-offset', '500'];

const run = promisify(execFile);

describe('every operation on lab up --tls --dcs etcd2', () => {
	let status: LabStatus;
	let config: MonitorConfig;
	let monitor: Monitor;
	let context: OperationContext;
	const snapshot = () => monitor.getView().snapshot;
	/** Node's process warnings: in the real app they land on stderr, over the screen. */
	const warnings: string[] = [];
	const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
	const restUrls = () => status.members.map(member => member.restApi);
	const member = (name: string) => status.members.find(each => each.name === name)!;
	const password = () => (JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'secrets.json'), 'utf8')) as Required<LabSecrets>).superuserPassword;
	const sql = (name: string, statement: string, database?: string) => psqlValue(member(name).postgres.port, statement, database, password());

	async function patronictlLeader(): Promise<string | undefined> {
		const {stdout} = await run('patronictl', ['-c', status.patronictlConfig, 'list', '-f', 'json'], {timeout: 30_000});
		return (JSON.parse(stdout) as Array<{Member: string; Role: string}>).find(row => row.Role === 'Leader')?.Member;
	}

	/** Three running members per REST, and the monitor seeing the same leader with two candidates. */
	async function healthy(): Promise<string> {
		return waitFor('a healthy TLS cluster, per REST and on the monitor', async () => {
			const cluster = await restCluster(restUrls()).catch(() => undefined);
			const isRunning = cluster?.members.length === 3 && cluster.members.every(each => each.state === 'running');
			const seen = snapshot();
			return isRunning && seen.state === 'healthy' && switchoverCandidates(seen).eligible.length === 2 ? seen.leader : undefined;
		}, 120_000);
	}

	before(async () => {
		process.on('warning', onWarning);
		const up = await cli(['lab', 'up', '--tls', '--dcs', 'etcd2', ...LAB_FLAGS, '--json']);
		assert.equal(up.code, 0, `lab up --tls --dcs etcd2 failed:\n${up.stderr}`);
		status = JSON.parse(up.stdout) as LabStatus;
		trustLab(status, STATE_DIR);
		const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-tlsops-')), 'events.log');
		config = resolveMonitorConfig({lab: true, scope: SCOPE, stateDir: STATE_DIR, portOffset: 500, logFile});
		monitor = createMonitor(config, message => assert.fail(message));
		monitor.start();
		context = operationContext(config, snapshot);
		await healthy();
	});

	after(async () => {
		process.off('warning', onWarning);
		await monitor?.stop();
		const destroyed = await cli(['lab', 'destroy', '--yes', '--tls', ...LAB_FLAGS]);
		assert.equal(destroyed.code, 0, destroyed.stderr);
	});

	it('attaches with --lab alone over etcd v2 on https, every source fresh, the leader patronictl names', async () => {
		assert.equal(config.dcs.api, 'etcd2');
		assert.ok(config.dcs.endpoints.every(endpoint => endpoint.startsWith('https://')), config.dcs.endpoints.join(', '));
		const leader = await healthy();
		assert.equal(await patronictlLeader(), leader);
		for (const [name, source] of Object.entries(snapshot().sources)) assert.ok(!source.error, `${name}: ${source.error}`);
		assert.ok(snapshot().members.every(row => row.postgresSsl?.protocol?.startsWith('TLS') && row.postgresSsl.verified === 'full'), JSON.stringify(snapshot().members.map(row => row.postgresSsl)));
	});

	it('switches over (POST with the client certificate): patronictl and REST name the candidate', async () => {
		await healthy();
		const candidate = switchoverCandidates(snapshot()).eligible.at(-1)!;
		const result = await finish(switchoverOperation(context, {candidate}));
		assert.ok(result.isOk, result.summary);
		assert.equal(await patronictlLeader(), candidate, 'patronictl list names the candidate');
		assert.equal((await restCluster(restUrls())).members.find(each => each.role === 'leader')?.name, candidate);
	});

	it('restarts a replica, pauses and resumes: postmaster start time and the pause flag per REST', async () => {
		await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const before = (await restStatus(member(replica).restApi)).postmaster_start_time;
		const restarted = await finish(restartOperation(context, {member: replica}));
		assert.ok(restarted.isOk, restarted.summary);
		assert.notEqual((await restStatus(member(replica).restApi)).postmaster_start_time, before);
		const pauseIs = (wanted: boolean) => waitFor(`the pause flag ${wanted}`, async () => (Boolean((await restCluster(restUrls())).pause) === wanted ? true : undefined), 10_000, 100);
		assert.ok((await finish(pauseOperation(context))).isOk);
		await pauseIs(true);
		assert.ok((await finish(resumeOperation(context))).isOk);
		await pauseIs(false);
	});

	it('edits max_connections and restarts in place: SHOW on every member, every postmaster restarted', async () => {
		await healthy();
		const leader = snapshot().leader!;
		const value = Number(await sql(leader, 'show max_connections')) + 10;
		const settings = await readPgSettings(context);
		const plan = await planParameterEdit(context, {name: 'max_connections', value: String(value), settings});
		assert.ok((await finish(parameterEditOperation(context, {name: 'max_connections', value: String(value), settings, plan}))).isOk);
		await waitFor('every member pending a restart', async () => ((await restCluster(restUrls())).members.every(each => each.pending_restart) ? true : undefined), 15_000);
		const startTimes = () => Promise.all(status.members.map(each => sql(each.name, 'select pg_postmaster_start_time()')));
		const startedBefore = await startTimes();
		const rolled = await finish(rollingRestartOperation(context, {mode: 'in-place'}));
		assert.ok(rolled.isOk, rolled.summary);
		for (const each of status.members) assert.equal(await sql(each.name, 'show max_connections'), String(value), `${each.name} runs ${value}, per psql`);
		const startedAfter = await startTimes();
		assert.ok(startedAfter.every((at, index) => at !== startedBefore[index]), `${startedBefore.join(', ')} → ${startedAfter.join(', ')}`);
	});

	it('checks replication through HAProxy over SSL: the marker row on every member, per psql', async () => {
		await healthy();
		const result = await checkReplication(context, {primary: status.haproxy.primary});
		assert.equal(result.members.length, 3);
		for (const each of result.members) assert.ok(each.visibleAfterMs !== undefined, `${each.name}: ${each.error}`);
		for (const each of status.members) assert.equal(await sql(each.name, `select count(*) from words where word = '${result.word.replaceAll("'", "''")}'`, 'replicatest'), '1');
	});

	it("stops and starts a replica's container: docker inspect, then streaming per the leader's REST", async () => {
		const leader = await healthy();
		const replica = switchoverCandidates(snapshot()).eligible[0]!;
		const container = `patroni-tui-${SCOPE}-${replica}`;
		const id = member(replica).container!.id;
		assert.ok((await finish(containerOperation(context, {container, action: 'stop', isLeader: false}))).isOk);
		assert.equal(await containerState(id), 'exited');
		// The start is checked against the monitor's picture (no starting what runs): let it see the stop first.
		await waitFor('the monitor to see it stopped', async () => (snapshot().containers.find(row => row.name === container)?.state === 'exited' ? true : undefined));
		assert.ok((await finish(containerOperation(context, {container, action: 'start', isLeader: false}))).isOk);
		assert.equal(await containerState(id), 'running');
		await waitFor(`${replica} streaming again`, async () => ((await restStatus(member(leader).restApi)).replication?.some(row => row.application_name === replica && row.state === 'streaming') ? true : undefined), 60_000);
	});

	it("fails over to a chosen replica after the leader's container is killed: patronictl names it", async () => {
		const leader = await healthy();
		const candidate = switchoverCandidates(snapshot()).eligible.at(-1)!;
		await dockerCli(['kill', member(leader).container!.id]);
		try {
			await waitFor('the monitor to see the leader gone', async () => (healthyLeader(snapshot()) ? undefined : true), 20_000, 50);
			const result = await finish(failoverOperation(context, {candidate}));
			assert.ok(result.isOk, result.summary);
			assert.equal(await patronictlLeader(), candidate);
		} finally {
			const up = await cli(['lab', 'up', ...LAB_FLAGS, '--json']);
			assert.equal(up.code, 0, up.stderr);
		}
		await healthy();
	});

	// What a user gets wrong, on each etcd API (the lab's etcd serves both, with a root user in each): the source says
	// which, in words; REST, reached with the right ctl files, stays well; the monitor keeps drawing.
	for (const api of ['etcd', 'etcd3'] as const) {
		it(`says what is wrong with the TLS files or the password, over the ${api === 'etcd' ? 'v2' : 'v3'} API, and keeps running`, async () => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), `patroni-tui-tls-broken-${api}-`));
			const yaml = path.join(dir, 'patronictl.yaml');
			fs.writeFileSync(yaml, fs.readFileSync(status.patronictlConfig, 'utf8').replace(/^etcd3?:$/m, `${api}:`), {mode: 0o600});
			const secrets = Object.values(JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'secrets.json'), 'utf8')) as Record<string, string>);
			const expected: Record<string, RegExp> = {
				'a wrong etcd password': /password|authentication/i,
				'a client certificate another CA signed': /certificate|TLS|SSL|handshake/i,
				"an expired client certificate of the lab's CA": /certificate|expired|TLS|SSL|handshake/i,
				'a CA that did not sign the servers': /certificate|CA|issuer|verify/i,
			};
			for (const broken of await brokenYamls(yaml, labTlsFiles(STATE_DIR).ca.replace(/\/ca\.crt$/, ''), dir)) {
				const seen = await monitorOn(broken, restUrls(), path.join(dir, 'events.log'), message => warnings.push(message));
				console.log(`${api}, ${broken.name}: ${JSON.stringify(seen.errors)}`);
				for (const name of broken.failing) assert.match(seen.errors[name] ?? '', expected[broken.name]!, `${broken.name}: ${name}`);
				if (!broken.failing.includes('rest')) assert.equal(seen.errors.rest, undefined, `${broken.name}: REST stays well`);
				assert.ok(seen.framesAfter > 1, `${broken.name}: the monitor kept making views (${seen.framesAfter} in 2 s)`);
				const log = path.join(dir, 'events.log');
				const text = JSON.stringify(seen.errors) + (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
				for (const secret of [...secrets.filter(value => value.length > 12), 'not-the-password']) assert.ok(!text.includes(secret), `${broken.name}: a password in what the monitor showed`);
				assert.doesNotMatch(text, /PRIVATE KEY/);
			}
			fs.rmSync(dir, {recursive: true, force: true});
		});
	}

	it('wrote no process warning while it ran (a rolling restart once tripped MaxListenersExceededWarning)', () => {
		assert.deepEqual(warnings, []);
	});

	it('files of the lab are where patronictl.yaml says: the CA and client certificate it was given', () => {
		const files = labTlsFiles(STATE_DIR);
		const yaml = fs.readFileSync(status.patronictlConfig, 'utf8');
		for (const file of [files.ca, files.cert, files.key]) assert.ok(yaml.includes(file), file);
		assert.equal(fs.statSync(files.key).mode & 0o077, 0, 'the client key is for its owner only');
	});
});
