/** @jsxRuntime automatic */
// Bad input, driven through the real keys where a person could type it and through the operation objects where
// the keys cannot produce it: each must end in a clear message on screen, nothing may crash, and the cluster
// must be exactly as it was (Patroni's own GET /cluster and GET /config, before and after).
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {restLeader} from '../helpers/rest-witness.js';
import {operationContext} from '../../source/operations/context.js';
import {failoverOperation} from '../../source/operations/failover.js';
import {parameterEditOperation} from '../../source/operations/parameter-edit.js';
import {readPgSettings} from '../../source/operations/pg-settings.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {clusterFacts, ensureLab, etcdctl, FAULT_LAB, monitorConfig} from './fault-lab.js';
import {isHealthyFrame, isSourceFailing, leaderOnScreen, memberRow, readable} from './frame-text.js';
import {resourceBaseline, unhandled, watchUnhandled, type ResourceBaseline} from './guards.js';
import {cleanStop} from './clean-stop.js';
import {startHeadless, type Headless} from './headless.js';
import {measured, type RowFacts} from './report.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-bad-input-'));
const ENTER = '\r';
const ESC = '\u001B';
const names = ['node1', 'node2', 'node3'];

describe('bad input: a clear message, nothing crashes, the cluster unchanged', () => {
	let status: LabStatus;
	let app: Headless;
	let baseline: ResourceBaseline;
	const others: Headless[] = [];
	const logFile = path.join(scratch, 'events.log');

	/** Presses keys, then waits for `expected` on screen; returns ms from the last key to the message. */
	async function keysShow(on: Headless, keys: readonly string[], expected: RegExp, timeoutMs = 15_000): Promise<number> {
		await on.press(...keys.slice(0, -1));
		const pressedAt = performance.now();
		await on.press(...keys.slice(-1));
		return (await on.recorder.waitFor(`${expected} on screen`, frame => expected.test(readable(frame)), pressedAt, timeoutMs)) - pressedAt;
	}

	/** Runs one bad input against a healthy cluster and proves, from outside, that it changed nothing. */
	async function unchanged(order: number, fault: string, body: (row: RowFacts) => Promise<void>): Promise<void> {
		await measured(order, fault, async row => {
			// Whatever an earlier scenario left open is closed first (Esc with no dialog does nothing).
			await app.press(ESC);
			await app.recorder.waitFor('a healthy screen', frame => isHealthyFrame(frame, names), performance.now() - 1, 120_000);
			const before = await clusterFacts(app.config);
			await body(row);
			// Give a request that should not have been sent the time to have had an effect.
			await new Promise(resolve => setTimeout(resolve, 1000));
			assert.deepEqual(await clusterFacts(app.config), before, 'GET /cluster and GET /config as before');
			assert.ok(app.frame().startsWith(`${FAULT_LAB.scope} │`), 'the monitor is still drawing');
			assert.deepEqual(unhandled(), []);
		});
	}

	const context = () => operationContext(app.config, () => app.monitor.getView().snapshot);
	const leader = async () => (await restLeader(app.config.restSeeds))!;

	before(async () => {
		watchUnhandled();
		baseline = resourceBaseline();
		status = await ensureLab(FAULT_LAB);
		app = startHeadless(monitorConfig(FAULT_LAB, {logFile}));
		await app.recorder.waitFor('a healthy first picture', frame => isHealthyFrame(frame, names), 0, 60_000);
	});

	after(async () => {
		for (const other of others) await other.stop();
		await app?.stop();
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	it('an unknown parameter name: no match in the picker, and refused by the operation', {timeout: 120_000}, async () => {
		await unchanged(61, 'bad input: unknown parameter name (max_connectionz)', async row => {
			await keysShow(app, ['e'], /Edit a PostgreSQL parameter/);
			row.detectedMs = await keysShow(app, ['max_connectionz'], /nothing matches/);
			await keysShow(app, [ENTER, ESC], /cancelled: nothing was sent/);
			const settings = await readPgSettings(context());
			void app.runner.start(parameterEditOperation(context(), {name: 'max_connectionz', value: '120', settings}));
			await app.recorder.waitFor('the refusal', frame => /"max_connectionz" is not a PostgreSQL parameter/.test(readable(frame)), 0, 10_000);
			row.notes = 'picker: "nothing matches"; operation: "max_connectionz" is not a PostgreSQL parameter';
		});
	});

	it('a value of the wrong type, and one out of range, typed into the edit dialog', {timeout: 120_000}, async () => {
		await unchanged(62, 'bad input: parameter value of the wrong type (max_connections = abc)', async row => {
			await keysShow(app, ['e'], /Edit a PostgreSQL parameter/);
			await keysShow(app, ['max_connections', ENTER], /New value for max_connections/);
			row.detectedMs = await keysShow(app, ['abc', ENTER], /max_connections takes an integer, not "abc"\. Nothing was sent\. Correct it, or Esc to cancel\./);
			await keysShow(app, [ESC], /cancelled: nothing was sent/);
			row.notes = 'max_connections takes an integer, not "abc". Nothing was sent.';
		});
		await unchanged(63, 'bad input: parameter value out of range (max_connections = 300000)', async row => {
			await keysShow(app, ['e'], /Edit a PostgreSQL parameter/);
			await keysShow(app, ['max_connections', ENTER], /New value for max_connections/);
			row.detectedMs = await keysShow(app, ['300000', ENTER], /max_connections must be between 1 and 262143/);
			// The dialog keeps the value and the reason for a correction: Esc leaves it.
			assert.match(app.frame(), /value: 300000/);
			await keysShow(app, [ESC], /cancelled: nothing was sent/);
			await keysShow(app, ['e'], /Edit a PostgreSQL parameter/);
			await keysShow(app, ['max_connections', ENTER], /New value for max_connections/);
			await keysShow(app, ['20', ENTER], /Patroni refuses max_connections below 25/);
			await keysShow(app, [ESC], /cancelled: nothing was sent/);
			row.notes = 'max_connections must be between 1 and 262143 …; 20: Patroni refuses max_connections below 25';
		});
	});

	it('a switchover to a member that does not exist, or is not eligible', {timeout: 120_000}, async () => {
		await unchanged(64, 'bad input: switchover to a member that does not exist (node9)', async row => {
			const startedAt = performance.now();
			void app.runner.start(switchoverOperation(context(), {candidate: 'node9'}));
			row.detectedMs = (await app.recorder.waitFor('the refusal', frame => /node9 is not a member of faults/.test(readable(frame)), startedAt, 10_000)) - startedAt;
			row.notes = 'Cannot switch over: node9 is not a member of faults (members: …)';
		});
		await unchanged(65, 'bad input: switchover to the leader (not eligible), chosen with the keys', async row => {
			const current = await leader();
			await keysShow(app, ['s'], /Switchover: choose the new leader/);
			// Eligible replicas are listed first; the leader comes last, greyed out with its reason.
			row.detectedMs = await keysShow(app, ['j', 'j', ENTER], new RegExp(`${current} cannot be chosen: is the leader`));
			await keysShow(app, [ESC], /cancelled: nothing was sent/);
			row.notes = `${current} cannot be chosen: is the leader`;
		});
	});

	it('a failover with a healthy leader, without the typed confirmation', {timeout: 120_000}, async () => {
		await unchanged(66, 'bad input: failover with a healthy leader, name not typed out', async row => {
			await keysShow(app, ['f'], /Failover: choose the new leader/);
			await keysShow(app, [ENTER], /Failover to node\d while node\d is healthy/);
			const candidate = /Failover to (node\d) while/.exec(app.frame())![1]!;
			const wrong = names.find(name => name !== candidate)!;
			row.detectedMs = await keysShow(app, [wrong, ENTER], new RegExp(`Type ${candidate} exactly to confirm`));
			await keysShow(app, [ESC], /cancelled: nothing was sent/);
			void app.runner.start(failoverOperation(context(), {candidate}));
			await app.recorder.waitFor('the refusal', frame => /node\d is a healthy leader: a failover demotes it/.test(readable(frame)), 0, 10_000);
			row.notes = `dialog: "Type ${candidate} exactly to confirm"; operation: "… is a healthy leader: a failover demotes it without a switchover's checks …: type "${candidate}" to confirm."`;
		});
	});

	it("a wrong REST API password: Patroni's 401 is shown, for a switchover and for a parameter edit", {timeout: 180_000}, async () => {
		await unchanged(69, 'bad input: wrong REST API password (401)', async row => {
			const config = {...app.config, restCredentials: {username: app.config.restCredentials!.username, password: 'wrong-password'}};
			const wrong = startHeadless({...config, logFile: path.join(scratch, 'wrong-password.log')});
			others.push(wrong);
			await wrong.recorder.waitFor('a healthy picture', frame => isHealthyFrame(frame, names), 0, 60_000);
			await keysShow(wrong, ['s'], /Switchover: choose the new leader/);
			await keysShow(wrong, [ENTER], /when\?/);
			await keysShow(wrong, [ENTER], /Switchover node\d → node\d\?/);
			row.detectedMs = await keysShow(wrong, ['y'], /Patroni answered 401: not authenticated/, 60_000);
			await wrong.finished(/^switchover/, 60_000);
			await keysShow(wrong, ['e'], /Edit a PostgreSQL parameter/);
			await keysShow(wrong, ['work_mem', ENTER], /New value for work_mem/);
			await keysShow(wrong, ['7MB', ENTER], /Apply work_mem = 7MB\?/);
			await keysShow(wrong, ['y'], /PATCH \/config on .* answered 401/, 30_000);
			const patch = (await wrong.finished(/^set work_mem/, 30_000)).events.at(-1);
			row.notes = `switchover: "Patroni answered 401: not authenticated"; edit: "${patch?.kind === 'done' ? patch.summary : '?'}"`;
		});
	});

	it('etcd unreachable at start-up: the monitor starts, shows the etcd error, REST still names the leader', {timeout: 120_000}, async () => {
		await unchanged(68, 'bad input: etcd unreachable at start-up (headless monitor)', async row => {
			const port = await closedPort();
			const startedAt = performance.now();
			const blind = startHeadless({...app.config, dcs: {...app.config.dcs, endpoints: [`http://127.0.0.1:${port}`]}, logFile: path.join(scratch, 'no-etcd.log')});
			others.push(blind);
			const shownAt = await blind.recorder.waitFor('the etcd error', frame => isSourceFailing(frame, 'etcd') && /✗ etcd: etcd range: .*(UNAVAILABLE|ECONNREFUSED)/.test(frame), 0, 30_000);
			row.detectedMs = shownAt - startedAt;
			const current = await leader();
			await blind.recorder.waitFor('the leader per REST', frame => leaderOnScreen(frame) === current && names.every(name => memberRow(frame, name)), 0, 30_000);
			row.notes = `etcd ✗ with "14 UNAVAILABLE … ECONNREFUSED" in the etcd pane; leader ${current} (per REST) and all members shown`;
			await blind.stop();
		});
	});

	it("garbage JSON in a member's etcd key", {timeout: 120_000}, async () => {
		await unchanged(70, "bad input: garbage JSON in a member's etcd key", async row => {
			const key = `/service/${FAULT_LAB.scope}/members/zz-garbage`;
			const putAt = performance.now();
			await etcdctl(status, ['put', key, '{not json']);
			try {
				const shownAt = await app.recorder.waitFor('the garbage key explained', frame => /zz-garbage/.test(frame) && /not valid JSON/.test(frame), putAt, 15_000);
				row.detectedMs = shownAt - putAt;
				row.notes = app.frame().split('\n').find(line => /not valid JSON/.test(line))?.replace(/^[^a-z!·✗]*/i, '').trim();
			} finally {
				await etcdctl(status, ['del', key]);
			}
			const deletedAt = performance.now();
			// A member seen in the DCS and gone is remembered as lost (until dismissed), not dropped: the engineer
			// who deleted it dismisses it with d, on its row (the Members pane lists it after node1..3).
			await app.recorder.waitFor('the key gone, its row kept as lost', frame => /lost · last seen/.test(memberRow(frame, 'zz-garbage') ?? ''), deletedAt, 15_000);
			await app.press('1', 'k', 'k', 'k', 'k', ...names.map(() => 'j'), 'd');
			row.recoveredMs = (await app.recorder.waitFor('the lost row dismissed', frame => memberRow(frame, 'zz-garbage') === undefined && isHealthyFrame(frame, names), deletedAt, 15_000)) - deletedAt;
			await app.press('k', 'k', 'k', 'k');
			row.longestGapMs = app.recorder.longestGap(putAt);
			assert.ok(row.longestGapMs < 2000, `frames kept coming (${row.longestGapMs} ms)`);
		});
	});

	it('a 1 MB value under the scope, shown selected in the etcd pane', {timeout: 120_000}, async () => {
		await unchanged(71, 'bad input: a 1 MB etcd value under the scope', async row => {
			const key = `/service/${FAULT_LAB.scope}/zz-big`;
			const keyCount = (frame: string) => Number(new RegExp(`scope ${FAULT_LAB.scope} · (\\d+) keys`).exec(frame)?.[1]);
			const before = keyCount(app.frame());
			const rssBefore = process.memoryUsage().rss;
			const putAt = performance.now();
			await etcdctl(status, ['put', key], 'x'.repeat(1 << 20));
			try {
				// The key sorts last, below what the etcd pane's tree shows: its count says it arrived.
				row.detectedMs = (await app.recorder.waitFor('the big key', frame => keyCount(frame) === before + 1, putAt, 15_000)) - putAt;
				// Focus the etcd pane and walk to the last key: its value is then drawn on every frame.
				await app.press('4', ...Array.from({length: 12}, () => 'j'));
				await app.recorder.waitFor('the big key selected', frame => /zz-big · rev/.test(frame), putAt, 10_000);
				await new Promise(resolve => setTimeout(resolve, 10_000));
				row.longestGapMs = app.recorder.longestGap(putAt);
				assert.ok(row.longestGapMs < 2000, `frames kept coming with the 1 MB value on screen (${row.longestGapMs} ms)`);
			} finally {
				await etcdctl(status, ['del', key]);
				await app.press('1');
			}
			const deletedAt = performance.now();
			row.recoveredMs = (await app.recorder.waitFor('the key gone', frame => keyCount(frame) === before && isHealthyFrame(frame, names), deletedAt, 15_000)) - deletedAt;
			const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
			row.notes = `a key of 1 MiB listed and drawn (truncated) in the etcd pane; RSS ${mib(rssBefore)} → ${mib(process.memoryUsage().rss)}`;
		});
	});

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		const stop = async () => {
			for (const other of others) await other.stop();
			await app.stop();
		};
		await cleanStop(91, 'the bad inputs (30-bad-input)', stop, baseline, fs.readdirSync(scratch).map(file => path.join(scratch, file)));
	});
});

async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}
