import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {Monitor} from '../../source/monitor.js';
import {operationContext, type OperationContext} from '../../source/operations/context.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import {waitHealthy} from '../../source/operations/cluster-health.js';
import {OperationRefused, type Operation, type OperationEvent} from '../../source/operations/operation.js';
import {parameterEditOperation, planParameterEdit} from '../../source/operations/parameter-edit.js';
import {readPgSettings, type PgSetting} from '../../source/operations/pg-settings.js';
import {checkReplication} from '../../source/operations/replication-check.js';
import {rollingRestartOperation} from '../../source/operations/rolling-restart.js';
import {OperationRunner} from '../../source/operations/runner.js';
import {ensureTestLab, TEST_PORT_OFFSET, TEST_SCOPE, TEST_STATE_DIR, testLabSecrets, waitFor} from '../helpers/lab.js';
import {sql} from '../helpers/postgres.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restGet, restStatus} from '../helpers/rest-witness.js';
import {startWriteWitness} from '../helpers/write-witness.js';

/** Runs an operation to its end, printing each step with its time since the start. */
async function collect(operation: Operation): Promise<OperationEvent[]> {
	const events: OperationEvent[] = [];
	const startedAt = Date.now();
	for await (const event of operation.run(new AbortController().signal)) {
		events.push(event);
		const text = event.kind === 'step' ? `${event.status.padEnd(7)} ${event.text}` : `${event.isOk ? 'OK' : 'FAILED'}: ${event.summary}`;
		console.log(`  +${((event.at - startedAt) / 1000).toFixed(1).padStart(5)} s  ${text}`);
	}
	return events;
}

type Sample = {readonly at: number; readonly down: readonly string[]};

/**
 * Every ~200 ms, each member from outside: its own REST API (through fetch) must say "running" and its PostgreSQL
 * must answer a query on a fresh direct connection (pg, not our client). Anything else counts as down.
 */
function sampleMembers(status: LabStatus): {stop: () => Promise<Sample[]>} {
	const samples: Sample[] = [];
	let isRunning = true;
	const isUp = async (member: LabStatus['members'][number]) => {
		try {
			const rest = await restStatus(member.restApi, 1000);
			if (rest.state !== 'running') return false;
			await sql(member.postgres.port, 'select 1');
			return true;
		} catch {
			return false;
		}
	};
	const loop = (async () => {
		while (isRunning) {
			const at = Date.now();
			const states = await Promise.all(status.members.map(isUp));
			samples.push({at, down: status.members.filter((_, index) => !states[index]).map(member => member.name)});
			await new Promise(resolve => setTimeout(resolve, Math.max(0, 200 - (Date.now() - at))));
		}
	})();
	return {stop: async () => ((isRunning = false), await loop, samples)};
}

/** Per member: the longest run of samples in which it was down, from its first down sample to the next up one. */
function downtimes(samples: readonly Sample[], names: readonly string[]): Record<string, number> {
	return Object.fromEntries(
		names.map(name => {
			let longest = 0;
			let since: number | undefined;
			for (const sample of samples) {
				if (sample.down.includes(name)) since ??= sample.at;
				else if (since !== undefined) [longest, since] = [Math.max(longest, sample.at - since), undefined];
			}
			return [name, longest];
		}),
	);
}

describe('parameter edit, rolling restart, write probe and replication check on the lab', () => {
	let status: LabStatus;
	let monitor: Monitor;
	let context: OperationContext;
	let settings: PgSetting[];
	let password: string;
	let credentials: {username: string; password: string};
	const restUrls = () => status.members.map(member => member.restApi);
	/** Patroni's own word through fetch (test/helpers/rest-witness.ts), not the product's client. */
	const rest = () => ({config: () => restGet<unknown>(restUrls(), '/config'), cluster: () => restCluster(restUrls())});

	before(async () => {
		status = await ensureTestLab();
		const secrets = testLabSecrets();
		password = secrets.superuserPassword;
		credentials = {username: secrets.restApiUsername, password: secrets.restApiPassword};
		const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-params-')), 'events.log');
		const config = resolveMonitorConfig({lab: true, scope: TEST_SCOPE, stateDir: TEST_STATE_DIR, portOffset: TEST_PORT_OFFSET, logFile});
		monitor = createMonitor(config, message => assert.fail(message));
		monitor.start();
		await monitor.untilComplete(10_000);
		context = operationContext(config, () => monitor.getView().snapshot);
		await waitHealthy(context, new AbortController().signal, 120_000);
		settings = await readPgSettings(context);
	});

	after(async () => {
		await monitor?.stop();
	});

	it('refuses a bad value before any PATCH, and the DCS config stays as it was', async () => {
		const configBefore = await rest().config();
		const runner = new OperationRunner({isReadOnly: false});
		const refusals: Array<[string, string, RegExp]> = [
			['max_connections', 'abc', /max_connections takes an integer, not "abc"/],
			['max_connections', '300000', /max_connections must be between 1 and 262143/],
			['max_connectionz', '120', /"max_connectionz" is not a PostgreSQL parameter/],
			['max_connections', '20', /Patroni refuses max_connections below 25/],
		];
		for (const [name, value, reason] of refusals) {
			await assert.rejects(collect(parameterEditOperation(context, {name, value, settings})), (error: Error) => error instanceof OperationRefused && reason.test(error.message));
			await runner.start(parameterEditOperation(context, {name, value, settings}));
			assert.equal(runner.getView().operations.at(-1)?.state, 'refused', `${name} = ${value} is shown as refused`);
		}
		const readOnly = new OperationRunner({isReadOnly: true});
		await readOnly.start(parameterEditOperation(context, {name: 'max_connections', value: '120', settings}));
		assert.equal(readOnly.getView().operations.at(-1)?.state, 'refused');
		assert.deepEqual(await rest().config(), configBefore);
	});

	it('reports a change made between plan and apply instead of overwriting it', async () => {
		// Moved from whatever the DCS holds now (another test, or another run, may have left work_mem set).
		const current = ((await rest().config()) as {postgresql?: {parameters?: Record<string, unknown>}}).postgresql?.parameters?.['work_mem'];
		const theirs = current === '6MB' ? '7MB' : '6MB';
		const ours = current === '8MB' ? '9MB' : '8MB';
		const plan = await planParameterEdit(context, {name: 'work_mem', value: ours, settings});
		// Someone else's edit, sent with Node's own fetch: not through our client.
		const patch = async (value: unknown) => {
			const response = await fetch(`${status.members[0]!.restApi}/config`, {
				method: 'PATCH',
				headers: {'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`},
				body: JSON.stringify({postgresql: {parameters: {work_mem: value}}}),
			});
			assert.equal(response.status, 200, await response.text());
		};
		await patch(theirs); // someone else sets work_mem meanwhile
		try {
			// Each member answers GET /config from its own view of the DCS: the change has landed once all show it.
			await waitFor(`work_mem = ${theirs} in every member's GET /config`, async () => {
				const seen = await Promise.all(restUrls().map(async url => (await restGet<{postgresql?: {parameters?: Record<string, unknown>}}>([url], '/config')).postgresql?.parameters?.['work_mem']));
				return seen.every(value => value === theirs) ? true : undefined;
			}, 10_000);
			await assert.rejects(collect(parameterEditOperation(context, {name: 'work_mem', value: ours, settings, plan})), /changed since this edit was planned \(postgresql\.parameters\.work_mem\)/);
			const config = (await rest().config()) as {postgresql: {parameters: Record<string, unknown>}};
			assert.equal(config.postgresql.parameters['work_mem'], theirs, 'the concurrent change is kept');
		} finally {
			await patch(null); // null deletes the key again in PATCH /config
		}
	});

	/** max_connections as the leader runs it now, per SQL: each case moves it from wherever the last run left it. */
	async function maxConnectionsNow(): Promise<number> {
		const leader = (await rest().cluster()).members.find(member => member.role === 'leader');
		const port = status.members.find(member => member.name === leader?.name)?.postgres.port ?? assert.fail('a leader');
		return Number((await sql<{max_connections: string}>(port, 'show max_connections'))[0]?.max_connections);
	}

	async function changeAndRoll(value: number, mode: 'switchover' | 'in-place') {
		settings = await readPgSettings(context);
		const plan = await planParameterEdit(context, {name: 'max_connections', value: String(value), settings});
		console.log(plan.diffText);
		assert.equal(plan.needsRestart, true);
		const edit = await collect(parameterEditOperation(context, {name: 'max_connections', value: String(value), settings, plan}));
		assert.ok(edit.some(event => event.kind === 'done' && event.isOk), 'the edit succeeded');
		const cluster = await rest().cluster();
		assert.ok(cluster.members.every(member => member.pending_restart), 'every member pending a restart');

		await waitHealthy(context, new AbortController().signal, 60_000);
		const startTimes = async () => Promise.all(status.members.map(async member => String((await sql<{at: Date}>(member.postgres.port, 'select pg_postmaster_start_time() as at'))[0]?.at)));
		const startedBefore = await startTimes();
		const witness = startWriteWitness({primary: status.haproxy.primary, user: 'postgres', password, intervalMs: 50});
		const sampler = sampleMembers(status);
		await new Promise(resolve => setTimeout(resolve, 1000));
		const startedAt = Date.now();
		const events = await collect(rollingRestartOperation(context, {mode}));
		const totalMs = Date.now() - startedAt;
		await new Promise(resolve => setTimeout(resolve, 1000));
		const samples = await sampler.stop();
		const written = await witness.finish(restUrls());
		const down = downtimes(samples, status.members.map(member => member.name));
		console.log(`rolling restart to ${value}: ${(totalMs / 1000).toFixed(1)} s; downtime per member (200 ms samples): ${JSON.stringify(down)}`);
		console.log(`write witness: ${written.acknowledged} acknowledged, ${written.failed} failed, longest outage ${written.longestOutageMs} ms, missing on ${written.leader}: ${written.missing}`);

		const last = events.at(-1);
		assert.ok(last?.kind === 'done' && last.isOk, `the rolling restart succeeded: ${last?.kind === 'done' ? last.summary : ''}`);
		const worst = samples.reduce((max, sample) => Math.max(max, sample.down.length), 0);
		assert.ok(samples.length > 20, `sampled ${samples.length} times`);
		assert.ok(worst <= 1, `at most one member down at any sample: ${JSON.stringify(samples.filter(sample => sample.down.length > 1))}`);
		const startedAfter = await startTimes();
		assert.ok(startedAfter.every((at, index) => at !== startedBefore[index]), `every member's postmaster restarted: ${startedBefore.join(', ')} → ${startedAfter.join(', ')}`);
		assert.equal(written.missing, 0, `acknowledged but missing on ${written.leader}: ${written.missingTokens.join(', ')}`);
		assert.ok(written.acknowledged > 50, `only ${written.acknowledged} writes acknowledged`);
		for (const member of status.members) {
			const [row] = await sql<{max_connections: string}>(member.postgres.port, 'show max_connections');
			assert.equal(row?.max_connections, String(value), `${member.name} runs max_connections ${value}`);
		}
		// /cluster is the DCS copy of each member's state, refreshed every loop_wait: give it a loop or two.
		await waitFor('nobody pending a restart in /cluster, and a leader', async () => {
			const after = await rest().cluster();
			return after.members.every(member => !member.pending_restart) && after.members.some(member => member.role === 'leader') ? true : undefined;
		}, 10_000);
		return events;
	}

	it('raises max_connections by 20: replicas first, then a switchover; one member down at a time; no write lost', async () => {
		const events = await changeAndRoll((await maxConnectionsNow()) + 20, 'switchover');
		const texts = events.map(event => (event.kind === 'step' ? event.text : ''));
		assert.ok(texts.some(text => /^order: restart node\d, then restart node\d, then switchover from node\d/.test(text)), texts.join('\n'));
	});

	it('the replication check sees the marker row on every member', async () => {
		const result = await checkReplication(context, {primary: status.haproxy.primary});
		console.log(`replication check: ${result.members.map(member => `${member.name} (${member.role}) ${member.visibleAfterMs ?? member.error} ms`).join(', ')}`);
		assert.equal(result.members.length, 3);
		for (const member of result.members) assert.ok(member.visibleAfterMs !== undefined && member.visibleAfterMs < 5000, `${member.name}: ${member.error}`);
		// The operation's own word is not the outcome: psql finds the marker row on every member.
		for (const member of status.members) {
			const count = await psqlValue(member.postgres.port, `select count(*) from words where word = '${result.word.replaceAll("'", "''")}'`, 'replicatest');
			assert.equal(count, '1', `${member.name} holds the marker row, per psql`);
		}
	});

	// Lowering it, a replica may not run fewer than its primary: Patroni's order is then the leader first.
	it('lowers max_connections by 20: the leader first, in place; one member down at a time; no write lost', async () => {
		const events = await changeAndRoll((await maxConnectionsNow()) - 20, 'switchover');
		const texts = events.map(event => (event.kind === 'step' ? event.text : ''));
		assert.ok(texts.some(text => /^order: restart node\d \(leader, in place\), then restart node\d, then restart node\d$/.test(text)), texts.join('\n'));
	});
});
