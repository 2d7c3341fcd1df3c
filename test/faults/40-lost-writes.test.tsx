/** @jsxRuntime automatic */
// Nothing lost: a switchover, a rolling restart and a failover started with the keys, while the test's own write
// witness (test/helpers/write-witness.ts, no code of ours) writes through HAProxy. Every acknowledged write must
// be on the new leader afterwards for the switchover and the rolling restart; the failover's count is reported in
// the async lab and must be 0 in synchronous mode. Who leads afterwards is asserted per REST and HAProxy's socket.
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {OperationRecord} from '../../source/operations/runner.js';
import {haproxyPrimaries} from '../helpers/haproxy-witness.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restGet, restLeader, restStatus} from '../helpers/rest-witness.js';
import {startWriteWitness, type WriteWitnessReport} from '../helpers/write-witness.js';
import {destroyLab, ensureLab, FAULT_LAB, labSecrets, monitorConfig, SYNC_LAB, type FaultLab} from './fault-lab.js';
import {isHealthyFrame, leaderOnScreen, memberRow} from './frame-text.js';
import {resourceBaseline, watchUnhandled, type ResourceBaseline} from './guards.js';
import {cleanStop} from './clean-stop.js';
import {startHeadless, type Headless} from './headless.js';
import {measured, type RowFacts} from './report.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-lost-writes-'));
const ENTER = '\r';
const names = ['node1', 'node2', 'node3'];
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The member's Role column (after its address) says `sync`; the Sync column's `sync` is PostgreSQL's view, earlier. */
const isSyncRole = (frame: string, name: string) => new RegExp(`${name} +\\S+ +sync `).test(memberRow(frame, name) ?? '');

/** The probe's line the product itself adds to the operation: "write probe: 812 acknowledged, … 0 acknowledged writes missing". */
function productProbe(record: OperationRecord): string {
	const line = record.events.find(event => event.kind === 'step' && event.text.startsWith('write probe: '));
	return line?.kind === 'step' ? line.text : 'no write probe line';
}

function outcomeOf(record: OperationRecord): string {
	const last = record.events.at(-1);
	return `${record.state}${last?.kind === 'done' ? `: ${last.summary}` : ''}`;
}

describe('nothing lost: writes through HAProxy during a switchover, a rolling restart and a failover', () => {
	let app: Headless | undefined;
	let status: LabStatus;
	let baseline: ResourceBaseline;
	const logs: string[] = [];

	/** The lab up and healthy, and a monitor on it (the one already running, when it watches that lab). */
	async function attach(lab: FaultLab): Promise<Headless> {
		status = await ensureLab(lab);
		if (app?.config.scope === lab.scope) {
			await healthy(app);
			return app;
		}
		await app?.stop();
		const logFile = path.join(scratch, `${lab.scope}-events.log`);
		logs.push(logFile);
		app = startHeadless(monitorConfig(lab, {logFile}));
		await healthy(app);
		return app;
	}

	async function healthy(on: Headless): Promise<number> {
		return on.recorder.waitFor('a healthy screen', frame => isHealthyFrame(frame, names), performance.now() - 1, 180_000);
	}

	async function keys(on: Headless, pressed: readonly string[], expected: RegExp, timeoutMs = 20_000): Promise<void> {
		const since = performance.now();
		await on.press(...pressed);
		await on.recorder.waitFor(`${expected} on screen`, frame => expected.test(frame), since, timeoutMs);
	}

	const restUrls = () => status.members.map(member => member.restApi);
	const superuserPassword = (lab: FaultLab) => labSecrets(lab)!.superuserPassword;

	/**
	 * Runs what `start` sets up with the keys while the test's own witness writes every 20 ms; measures when the
	 * screen shows the new leader and when it shows the cluster healthy again, and counts what went missing on the
	 * leader REST names afterwards, which must be the one HAProxy's admin socket routes the primary listener to.
	 */
	async function withWitness(on: Headless, lab: FaultLab, row: RowFacts, title: RegExp, start: () => Promise<void>, timeoutMs: number) {
		const before = (await restLeader(restUrls()))!;
		const witness = startWriteWitness({primary: status.haproxy.primary, user: 'postgres', password: superuserPassword(lab), intervalMs: 20});
		await sleep(1000);
		const startedAt = performance.now();
		const watched = (async () => {
			await start();
			const movedAt = await on.recorder.waitFor('a new leader on screen', frame => (leaderOnScreen(frame) ?? before) !== before, startedAt, timeoutMs);
			const record = await on.finished(title, timeoutMs);
			const healthyAt = await healthy(on);
			row.detectedMs = movedAt - startedAt;
			row.recoveredMs = healthyAt - startedAt;
			row.longestGapMs = on.recorder.longestGap(startedAt, healthyAt);
			await sleep(1000);
			return record;
		})();
		// The witness is stopped and its tokens looked up whatever happened to the operation.
		const [outcome, written] = await Promise.all([watched.then(record => ({record}), (error: unknown) => ({error})), watched.catch(() => undefined).then(() => witness.finish(restUrls()))]);
		if ('error' in outcome) throw outcome.error;
		const {record} = outcome;
		row.lostWrites = `${written.missing} of ${written.acknowledged}`;
		const after = written.leader;
		row.notes = `${before} → ${after}; ${outcomeOf(record)}; test's witness: ${written.failed} failed, longest outage ${(written.longestOutageMs / 1000).toFixed(1)} s; product's ${productProbe(record)}`;
		assert.ok(row.longestGapMs! < 2000, `frames kept coming (${row.longestGapMs} ms)`);
		assert.equal(record.state, 'succeeded', outcomeOf(record));
		assert.ok(written.acknowledged > 50, `only ${written.acknowledged} writes acknowledged`);
		assert.equal(await restLeader(restUrls()), after, 'REST still names the leader the tokens were looked up on');
		assert.deepEqual(await waitPrimaries(after), [after], "HAProxy's admin socket routes the primary listener to the new leader only");
		return {written, record, before, after};
	}

	/** HAProxy's primary servers once its health checks name `leader` alone (a check interval or two after the move). */
	async function waitPrimaries(leader: string): Promise<string[]> {
		const deadline = performance.now() + 30_000;
		let primaries = await haproxyPrimaries(status.haproxy.socket);
		while ((primaries.length !== 1 || primaries[0] !== leader) && performance.now() < deadline) {
			await sleep(500);
			primaries = await haproxyPrimaries(status.haproxy.socket);
		}
		return primaries;
	}

	const noneLost = (written: WriteWitnessReport) => assert.equal(written.missing, 0, `acknowledged but missing on ${written.leader}: ${written.missingTokens.join(', ')}`);

	before(async () => {
		watchUnhandled();
		baseline = resourceBaseline();
	});

	after(async () => {
		await app?.stop();
		await destroyLab(SYNC_LAB);
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	it('switchover (s, Enter, Enter, y): every acknowledged write is there', {timeout: 300_000}, async () => {
		const on = await attach(FAULT_LAB);
		await measured(40, 'switchover (keys) with writes through HAProxy', async row => {
			let candidate = '';
			const {written, record, before, after} = await withWitness(on, FAULT_LAB, row, /^switchover/, async () => {
				await keys(on, ['s'], /Switchover: choose the new leader/);
				await keys(on, [ENTER], /when\?/);
				await keys(on, [ENTER], /Switchover node\d → node\d\?/);
				candidate = /Switchover node\d → (node\d)\?/.exec(on.frame())![1]!;
				await keys(on, ['y'], /started: switchover/);
			}, 120_000);
			assert.notEqual(after, before, 'the leader moved, per REST');
			assert.equal(after, candidate, 'REST names the candidate the dialog confirmed');
			noneLost(written);
			assert.match(productProbe(record), / 0 acknowledged writes missing$/);
		});
	});

	it('a restart-context parameter change with a rolling restart (e, …, apply, then rolling restart, y): nothing lost', {timeout: 600_000}, async () => {
		const on = await attach(FAULT_LAB);
		await measured(41, 'rolling restart (keys: max_connections, apply + rolling) with writes through HAProxy', async row => {
			const current = Number((await restGet<{postgresql?: {parameters?: Record<string, unknown>}}>(restUrls(), '/config')).postgresql?.parameters?.['max_connections']);
			const value = current === 110 ? 120 : 110;
			const startTimes = () => Promise.all(status.members.map(async member => (await restStatus(member.restApi)).postmaster_start_time));
			const startedBefore = await startTimes();
			const {written, record, before, after} = await withWitness(on, FAULT_LAB, row, /^set max_connections = \d+ with a rolling restart/, async () => {
				await keys(on, ['e'], /Edit a PostgreSQL parameter/);
				await keys(on, ['max_connections', ENTER], /New value for max_connections/);
				await keys(on, [String(value), ENTER], new RegExp(`Apply max_connections = ${value}\\?`));
				// Enter picks "apply, then rolling restart" in the list; the confirmation after it needs y (with the probe).
				await keys(on, [ENTER], new RegExp(`Apply max_connections = ${value} with a rolling restart\\?`));
				await keys(on, ['y'], /started: set max_connections/);
			}, 480_000);
			noneLost(written);
			assert.match(productProbe(record), / 0 acknowledged writes missing$/);
			// Raised, the replicas restart first and a switchover ends it; lowered, the leader restarts in place first.
			const order = record.events.find(event => event.kind === 'step' && event.text.startsWith('order: '));
			const isSwitchedOver = order?.kind === 'step' && order.text.includes(`switchover from ${before}`);
			if (isSwitchedOver) assert.notEqual(after, before, `the order ended with a switchover from ${before}, and REST names ${after}`);
			else assert.equal(after, before, `the leader restarted in place, and REST still names it`);
			const startedAfter = await startTimes();
			assert.ok(startedAfter.every((at, index) => at !== undefined && at !== startedBefore[index]), `every member's postmaster restarted, per REST: ${startedBefore.join(', ')} → ${startedAfter.join(', ')}`);
			for (const member of status.members) {
				assert.equal(await psqlValue(member.postgres.port, 'show max_connections', 'postgres', superuserPassword(FAULT_LAB)), String(value), `${member.name} runs max_connections ${value}, per psql`);
			}
			row.notes = `max_connections ${current} → ${value}; ${row.notes}`;
		});
	});

	it('failover with a healthy leader (f, Enter, the name typed): the count in the async lab', {timeout: 300_000}, async () => {
		const on = await attach(FAULT_LAB);
		await measured(42, 'failover (keys, name typed) with writes through HAProxy, async lab', async row => {
			let candidate = '';
			const {before, after} = await withWitness(on, FAULT_LAB, row, /^failover/, async () => void (candidate = await typedFailover(on)), 120_000);
			assert.notEqual(after, before, 'the leader moved, per REST');
			assert.equal(after, candidate, 'REST names the candidate whose name was typed');
		});
	});

	it('failover in synchronous mode: only the sync standby is offered, and nothing is lost', {timeout: 600_000}, async () => {
		const on = await attach(SYNC_LAB);
		await measured(43, 'failover (keys, name typed) with writes through HAProxy, synchronous_mode lab', async row => {
			let candidate = '';
			const {written, before, after} = await withWitness(on, SYNC_LAB, row, /^failover/, async () => void (candidate = await typedFailover(on, true)), 120_000);
			assert.notEqual(after, before, 'the leader moved, per REST');
			assert.equal(after, candidate, 'REST names the sync standby whose name was typed');
			noneLost(written);
		});
	});

	/** f, the first eligible candidate, its name typed out. In sync mode: that is the sync standby, the other replica greyed out. */
	async function typedFailover(on: Headless, isSync = false): Promise<string> {
		// Patroni names the sync standby (its /sync key) a loop or two after the lab is up.
		if (isSync) await on.recorder.waitFor('the sync standby in the Role column', frame => names.some(name => isSyncRole(frame, name)), 0, 60_000);
		await keys(on, ['f'], /Failover: choose the new leader/);
		if (isSync) {
			const sync = names.find(name => isSyncRole(on.frame(), name))!;
			const async = names.find(name => name !== sync && name !== on.monitor.getView().snapshot.leader)!;
			assert.match(on.frame(), new RegExp(`› ${sync}\\b`), 'the sync standby is the first choice');
			assert.match(on.frame(), new RegExp(`  ${async} +is not the synchronous standby`), 'the async replica is offered greyed out, with the reason');
		}
		await keys(on, [ENTER], /Failover to node\d while node\d is healthy/);
		const candidate = /Failover to (node\d) while/.exec(on.frame())![1]!;
		await keys(on, [candidate, ENTER], /started: failover/);
		return candidate;
	}

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		await cleanStop(92, 'the write probes (40-lost-writes)', async () => void (await app?.stop()), baseline, logs);
	});
});
