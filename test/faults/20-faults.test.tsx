/** @jsxRuntime automatic */
// Faults injected from outside while one headless monitor watches: how soon the screen shows each, that frames
// keep coming, how soon it shows the repair, and that it never calls the cluster healthy while a fault is on.
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {leaderOf, readCluster} from '../../source/operations/cluster-access.js';
import {startWriteProbe} from '../../source/operations/write-probe.js';
import {PatroniClient} from '../../source/patroni.js';
import {isLeaderRole} from '../../source/patroni-types.js';
import {startDockerRelay, type DockerRelay} from './docker-proxy.js';
import {docker, ensureLab, FAULT_LAB, monitorConfig} from './fault-lab.js';
import {isHealthyFrame, isMemberMarked, isSourceFailing, leaderOnScreen, stateOnScreen} from './frame-text.js';
import {resourceBaseline, unhandled, watchUnhandled, type ResourceBaseline} from './guards.js';
import {cleanStop} from './clean-stop.js';
import {startHeadless, type Headless} from './headless.js';
import {measured, type RowFacts} from './report.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-faults-'));
const logFile = path.join(scratch, 'events.log');
const MAX_GAP_MS = 2000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type Fault = {
	readonly order: number;
	readonly name: string;
	readonly inject: () => Promise<void>;
	/** The frame shows the fault. */
	readonly shows: (frame: string) => boolean;
	/** Undefined for a fault that heals by itself (Patroni restarts PostgreSQL): recovery is then timed from the injection. */
	readonly repair?: () => Promise<void>;
	/** How long after the injection the repair starts (at the earliest once the fault is on screen). */
	readonly holdMs?: number;
	/** Waited for after detection, before the repair: e.g. the failover the screen must show. */
	readonly during?: (row: RowFacts, injectedAt: number) => Promise<void>;
	readonly detectWithinMs?: number;
	readonly recoverWithinMs?: number;
};

describe('faults: the monitor stays up and truthful', () => {
	let status: LabStatus;
	let app: Headless;
	let relay: DockerRelay;
	let baseline: ResourceBaseline;
	const names = ['node1', 'node2', 'node3'];
	const config = () => app.config;
	const healthy = (frame: string) => isHealthyFrame(frame, names);

	async function restLeader(): Promise<string | undefined> {
		return leaderOf(await readCluster(config()).catch(() => ({members: []})))?.name;
	}

	/** Each fault starts from a healthy lab, as Patroni and the screen both say. */
	async function healthyStart(): Promise<void> {
		status = await ensureLab(FAULT_LAB);
		await app.recorder.waitFor('a healthy screen before the fault', healthy, performance.now() - 1, 120_000);
	}

	async function run(fault: Fault): Promise<void> {
		await measured(fault.order, fault.name, async row => {
			await healthyStart();
			// What a client writing through HAProxy lost to the fault: reported, not asserted (a killed async leader may lose some).
			const probe = startWriteProbe({primary: config().haproxy.primary!, postgres: config().postgres, intervalMs: 20});
			try {
				await faultOn(fault, row);
			} finally {
				const written = await probe.finish(120_000);
				row.lostWrites = `${written.missing} of ${written.acknowledged}`;
			}
		});
	}

	async function faultOn(fault: Fault, row: RowFacts): Promise<void> {
		await sleep(1000);
		const injectedAt = performance.now();
		let repairedAt: number | undefined;
		const repair = async () => {
			repairedAt = performance.now();
			await fault.repair?.();
		};
		let saidHealthy: string | undefined;
		let detectedAt: number;
		try {
			await fault.inject();
			detectedAt = await app.recorder.waitFor(fault.name, fault.shows, injectedAt, fault.detectWithinMs ?? 30_000);
			row.detectedMs = detectedAt - injectedAt;
			await fault.during?.(row, injectedAt);
			await sleep(Math.max(0, injectedAt + (fault.holdMs ?? 0) - performance.now()));
			if (fault.repair) saidHealthy = app.recorder.find(frame => stateOnScreen(frame) === 'healthy', detectedAt, performance.now());
		} finally {
			// Whatever failed, the fault is undone: the next scenario must start from a healthy lab.
			await repair();
		}
		assert.equal(saidHealthy, undefined, 'the header never said "● healthy" while the fault was on');
		// A fault that heals by itself is over once it has been seen: recovery is the first healthy frame after that.
		const from = fault.repair ? repairedAt! : detectedAt;
		const recoveredAt = await app.recorder.waitFor(`recovery from ${fault.name}`, healthy, from, fault.recoverWithinMs ?? 120_000);
		row.recoveredMs = recoveredAt - from;
		row.longestGapMs = app.recorder.longestGap(injectedAt, recoveredAt);
		assert.ok(row.longestGapMs < MAX_GAP_MS, `frames kept coming: longest gap ${row.longestGapMs.toFixed(0)} ms`);
		assert.deepEqual(unhandled(), [], 'no unhandled rejection');
	}

	before(async () => {
		watchUnhandled();
		baseline = resourceBaseline();
		status = await ensureLab(FAULT_LAB);
		relay = await startDockerRelay(path.join(scratch, 'docker.sock'));
		app = startHeadless(monitorConfig(FAULT_LAB, {logFile, dockerSocket: relay.path}));
		await app.recorder.waitFor('a healthy first picture', healthy, 0, 60_000);
	});

	after(async () => {
		await app?.stop();
		await relay?.close();
		await ensureLab(FAULT_LAB);
	});

	const etcd = () => status.etcd.container!.id;
	const memberId = (name: string) => status.members.find(member => member.name === name)!.container!.id;

	it("etcd's container stopped, started again 30 s later", {timeout: 300_000}, async () => {
		await run({
			order: 10,
			name: "etcd's container stopped for 30 s",
			inject: async () => void (await docker(['stop', '-t', '2', etcd()])),
			shows: frame => isSourceFailing(frame, 'etcd'),
			during: demotionShown,
			holdMs: 30_000,
			repair: async () => void (await docker(['start', etcd()])),
		});
	});

	it('etcd frozen (docker pause: a hung DCS), then unpaused', {timeout: 300_000}, async () => {
		await run({
			order: 11,
			name: 'etcd frozen (docker pause) for 20 s',
			inject: async () => void (await docker(['pause', etcd()])),
			shows: frame => isSourceFailing(frame, 'etcd'),
			during: demotionShown,
			holdMs: 20_000,
			repair: async () => void (await docker(['unpause', etcd()])),
		});
	});

	it("the leader's container killed; the new leader shown; restored with lab up", {timeout: 300_000}, async () => {
		let oldLeader = '';
		await run({
			order: 12,
			name: "the leader's container killed (docker kill)",
			inject: async () => {
				oldLeader = (await restLeader())!;
				await docker(['kill', memberId(oldLeader)]);
			},
			shows: frame => isMemberMarked(frame, oldLeader),
			during: async row => {
				const since = performance.now() - 1;
				const newLeader = await waitForNewRestLeader(oldLeader);
				const namedAt = performance.now();
				const shownAt = await app.recorder.waitFor(`${newLeader} as leader on screen`, frame => leaderOnScreen(frame) === newLeader, since, 30_000);
				row.notes = `${oldLeader} killed; REST named ${newLeader} after ${((namedAt - since + (row.detectedMs ?? 0)) / 1000).toFixed(1)} s, the screen ${((shownAt - namedAt) / 1000).toFixed(1)} s later`;
			},
			repair: async () => void (status = await ensureLab(FAULT_LAB)),
		});
	});

	/** When no member's own REST API (GET /patroni) calls itself primary any more, or undefined after `ms`. */
	async function noPrimarySince(ms: number): Promise<number | undefined> {
		const deadline = performance.now() + ms;
		while (performance.now() < deadline) {
			const roles = await Promise.all(status.members.map(member => new PatroniClient(member.restApi, {timeoutMs: 1000}).status().then(own => own.role, () => 'unknown')));
			if (roles.every(role => !isLeaderRole(role))) return performance.now();
			await sleep(200);
		}
		return undefined;
	}

	/**
	 * Without its DCS, Patroni demotes the leader after retry_timeout, but the leader key (unreachable) still
	 * names it: the screen must say that nothing accepts writes, not only that etcd is failing.
	 */
	async function demotionShown(row: RowFacts, injectedAt: number): Promise<void> {
		const demotedAt = await noPrimarySince(25_000);
		if (demotedAt === undefined) {
			row.notes = 'Patroni kept a primary while etcd was away';
			return;
		}
		const shownAt = await app.recorder.waitFor('"no member accepts writes"', frame => /no member accepts writes/.test(frame), demotedAt - 1000, 15_000);
		const lead = (shownAt - demotedAt) / 1000;
		row.notes = `Patroni demoted the leader ${((demotedAt - injectedAt) / 1000).toFixed(1)} s in; the screen said "no member accepts writes" ${Math.abs(lead).toFixed(1)} s ${lead < 0 ? 'before' : 'after'} REST did`;
	}

	async function waitForNewRestLeader(old: string): Promise<string> {
		const deadline = Date.now() + 90_000;
		for (;;) {
			const leader = await restLeader();
			if (leader && leader !== old) return leader;
			if (Date.now() > deadline) throw new Error(`no new leader per REST within 90 s (still ${leader ?? 'none'})`);
			await sleep(100);
		}
	}

	it("a replica's container stopped", {timeout: 300_000}, async () => {
		let replica = '';
		await run({
			order: 13,
			name: "a replica's container stopped (docker stop)",
			inject: async () => {
				replica = await pickReplica();
				await docker(['stop', '-t', '10', memberId(replica)]);
			},
			shows: frame => isMemberMarked(frame, replica),
			holdMs: 10_000,
			repair: async () => void (await docker(['start', memberId(replica)])),
		});
	});

	it("one member's Patroni frozen (docker pause of its container)", {timeout: 300_000}, async () => {
		let replica = '';
		await run({
			order: 14,
			name: "a replica's Patroni frozen (docker pause) for 20 s",
			inject: async () => {
				replica = await pickReplica();
				await docker(['pause', memberId(replica)]);
			},
			shows: frame => isMemberMarked(frame, replica),
			holdMs: 20_000,
			repair: async () => void (await docker(['unpause', memberId(replica)])),
		});
	});

	it("PostgreSQL killed (kill -9 of the postmaster) inside a replica's container", {timeout: 300_000}, async () => {
		let replica = '';
		await run({
			order: 15,
			name: 'PostgreSQL killed -9 in a replica (Patroni restarts it)',
			inject: async () => {
				replica = await pickReplica();
				await docker(['exec', memberId(replica), 'sh', '-c', 'kill -9 $(head -1 /lab/data/postmaster.pid)']);
			},
			shows: frame => isMemberMarked(frame, replica),
		});
	});

	it('HAProxy stopped', {timeout: 300_000}, async () => {
		await run({
			order: 16,
			name: "HAProxy's container stopped for 10 s",
			inject: async () => void (await docker(['stop', '-t', '2', status.haproxy.container!.id])),
			shows: frame => isSourceFailing(frame, 'HAProxy'),
			holdMs: 10_000,
			repair: async () => void (await docker(['start', status.haproxy.container!.id])),
		});
	});

	it("the Docker engine's socket unreachable (the monitor's relay closed), then back", {timeout: 300_000}, async () => {
		await run({
			order: 17,
			name: "the Docker engine's socket unreachable for 15 s",
			inject: () => relay.cut(),
			shows: frame => isSourceFailing(frame, 'Docker'),
			holdMs: 15_000,
			repair: () => relay.restore(),
		});
	});

	async function pickReplica(): Promise<string> {
		const leader = await restLeader();
		return names.filter(name => name !== leader).at(-1)!;
	}

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		await cleanStop(90, 'the fault scenarios (20-faults)', async () => {
			await app.stop();
			await relay.close();
		}, baseline, [logFile]);
		assert.deepEqual(app.warnings, [], 'the event log file was written without a warning');
	});

});
