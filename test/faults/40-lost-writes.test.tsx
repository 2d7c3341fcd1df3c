/** @jsxRuntime automatic */
// Nothing lost: a switchover, a rolling restart and a failover started with the keys, while a write probe of the
// test's own writes through HAProxy. Every acknowledged write must be there afterwards for the switchover and
// the rolling restart; the failover's count is reported in the async lab and must be 0 in synchronous mode.
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {MonitorConfig} from '../../source/config.js';
import {formatDuration} from '../../source/model/format.js';
import {restGet, restLeader} from '../helpers/rest-witness.js';
import type {OperationRecord} from '../../source/operations/runner.js';
import {startWriteProbe} from '../../source/operations/write-probe.js';
import {destroyLab, ensureLab, FAULT_LAB, monitorConfig, SYNC_LAB, type FaultLab} from './fault-lab.js';
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
	let baseline: ResourceBaseline;
	const logs: string[] = [];

	/** The lab up and healthy, and a monitor on it (the one already running, when it watches that lab). */
	async function attach(lab: FaultLab): Promise<Headless> {
		await ensureLab(lab);
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

	/**
	 * Runs what `start` sets up with the keys while the test's own probe writes every 20 ms; measures when the
	 * screen shows the new leader and when it shows the cluster healthy again, and counts what went missing.
	 */
	async function withProbe(on: Headless, row: RowFacts, title: RegExp, start: () => Promise<void>, timeoutMs: number) {
		const config: MonitorConfig = on.config;
		const before = (await restLeader(config.restSeeds))!;
		const probe = startWriteProbe({primary: config.haproxy.primary!, postgres: config.postgres, intervalMs: 20});
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
		// The probe is stopped and read back whatever happened to the operation.
		const [outcome, result] = await Promise.all([watched.then(record => ({record}), (error: unknown) => ({error})), watched.catch(() => undefined).then(() => probe.finish())]);
		if ('error' in outcome) throw outcome.error;
		const {record} = outcome;
		row.lostWrites = `${result.missing} of ${result.acknowledged}`;
		const after = (await restLeader(config.restSeeds))!;
		row.notes = `${before} → ${after}; ${outcomeOf(record)}; test's probe: ${result.failed} failed, longest outage ${formatDuration(result.longestOutageMs)}; product's ${productProbe(record)}`;
		assert.ok(row.longestGapMs! < 2000, `frames kept coming (${row.longestGapMs} ms)`);
		assert.equal(record.state, 'succeeded', outcomeOf(record));
		assert.ok(result.acknowledged > 50, `only ${result.acknowledged} writes acknowledged`);
		return {result, record};
	}

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
			const {result, record} = await withProbe(on, row, /^switchover/, async () => {
				await keys(on, ['s'], /Switchover: choose the new leader/);
				await keys(on, [ENTER], /when\?/);
				await keys(on, [ENTER], /Switchover node\d → node\d\?/);
				await keys(on, ['y'], /started: switchover/);
			}, 120_000);
			assert.equal(result.missing, 0, `lost: ${result.missingTokens.join(', ')}`);
			assert.match(productProbe(record), / 0 acknowledged writes missing$/);
		});
	});

	it('a restart-context parameter change with a rolling restart (e, …, apply, then rolling restart): nothing lost', {timeout: 600_000}, async () => {
		const on = await attach(FAULT_LAB);
		await measured(41, 'rolling restart (keys: max_connections, apply + rolling) with writes through HAProxy', async row => {
			const current = Number((await restGet<{postgresql?: {parameters?: Record<string, unknown>}}>(on.config.restSeeds, '/config')).postgresql?.parameters?.['max_connections']);
			const value = current === 110 ? 120 : 110;
			const {result, record} = await withProbe(on, row, /^set max_connections = \d+ with a rolling restart/, async () => {
				await keys(on, ['e'], /Edit a PostgreSQL parameter/);
				await keys(on, ['max_connections', ENTER], /New value for max_connections/);
				await keys(on, [String(value), ENTER], new RegExp(`Apply max_connections = ${value}\\?`));
				await keys(on, [ENTER], /started: set max_connections/);
			}, 480_000);
			assert.equal(result.missing, 0, `lost: ${result.missingTokens.join(', ')}`);
			assert.match(productProbe(record), / 0 acknowledged writes missing$/);
			row.notes = `max_connections ${current} → ${value}; ${row.notes}`;
		});
	});

	it('failover with a healthy leader (f, Enter, the name typed): the count in the async lab', {timeout: 300_000}, async () => {
		const on = await attach(FAULT_LAB);
		await measured(42, 'failover (keys, name typed) with writes through HAProxy, async lab', async row => {
			await withProbe(on, row, /^failover/, () => typedFailover(on), 120_000);
		});
	});

	it('failover in synchronous mode: only the sync standby is offered, and nothing is lost', {timeout: 600_000}, async () => {
		const on = await attach(SYNC_LAB);
		await measured(43, 'failover (keys, name typed) with writes through HAProxy, synchronous_mode lab', async row => {
			const {result} = await withProbe(on, row, /^failover/, () => typedFailover(on, true), 120_000);
			assert.equal(result.missing, 0, `lost: ${result.missingTokens.join(', ')}`);
		});
	});

	/** f, the first eligible candidate, its name typed out. In sync mode: that is the sync standby, the other replica greyed out. */
	async function typedFailover(on: Headless, isSync = false): Promise<void> {
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
	}

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		await cleanStop(92, 'the write probes (40-lost-writes)', async () => void (await app?.stop()), baseline, logs);
	});
});
