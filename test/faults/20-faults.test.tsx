/** @jsxRuntime automatic */
// Faults injected from outside while one headless monitor watches: how soon the screen shows each, that frames
// keep coming, how soon it shows the repair, and that it never calls the cluster healthy while a fault is on.
import './production-react.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {cleanStop} from './clean-stop.js';
import {startDockerRelay, type DockerRelay} from './docker-proxy.js';
import {docker, ensureLab, FAULT_LAB, monitorConfig} from './fault-lab.js';
import {FaultRunner} from './fault-runner.js';
import {isHealthyFrame, isMemberMarked, isSourceFailing} from './frame-text.js';
import {resourceBaseline, watchUnhandled, type ResourceBaseline} from './guards.js';
import {startHeadless, type Headless} from './headless.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-faults-'));
const logFile = path.join(scratch, 'events.log');
const TIMEOUT = {timeout: 300_000};

describe('faults: the monitor stays up and truthful', () => {
	let app: Headless;
	let relay: DockerRelay;
	let baseline: ResourceBaseline;
	let faults: FaultRunner;

	before(async () => {
		watchUnhandled();
		baseline = resourceBaseline();
		const status = await ensureLab(FAULT_LAB);
		// The monitor's Docker source goes through a relay of ours, so the engine can "go away" without dockerd stopping.
		relay = await startDockerRelay(path.join(scratch, 'docker.sock'));
		app = startHeadless(monitorConfig(FAULT_LAB, {logFile, dockerSocket: relay.path}));
		faults = new FaultRunner(app, status);
		await app.recorder.waitFor('a healthy first picture', frame => isHealthyFrame(frame, ['node1', 'node2', 'node3']), 0, 60_000);
	});

	after(async () => {
		await app?.stop();
		await relay?.close();
		await ensureLab(FAULT_LAB);
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	const etcd = () => faults.status.etcd.container!.id;
	const haproxy = () => faults.status.haproxy.container!.id;

	it("etcd's container stopped, started again 30 s later", TIMEOUT, async () => {
		await faults.run({
			order: 10,
			name: "etcd's container stopped for 30 s",
			inject: async () => void (await docker(['stop', '-t', '2', etcd()])),
			shows: frame => isSourceFailing(frame, 'etcd'),
			during: faults.demotionShown,
			holdMs: 30_000,
			repair: async () => void (await docker(['start', etcd()])),
		});
	});

	it('etcd frozen (docker pause: a hung DCS), then unpaused', TIMEOUT, async () => {
		await faults.run({
			order: 11,
			name: 'etcd frozen (docker pause) for 20 s',
			inject: async () => void (await docker(['pause', etcd()])),
			shows: frame => isSourceFailing(frame, 'etcd'),
			during: faults.demotionShown,
			holdMs: 20_000,
			repair: async () => void (await docker(['unpause', etcd()])),
		});
	});

	it("the leader's container killed; the new leader shown; restored with lab up", TIMEOUT, async () => {
		let leader = '';
		await faults.run({
			order: 12,
			name: "the leader's container killed (docker kill)",
			inject: async () => {
				leader = (await faults.restLeader())!;
				await docker(['kill', faults.containerOf(leader)]);
			},
			shows: frame => isMemberMarked(frame, leader),
			during: (row, injectedAt) => faults.newLeaderShown(leader, row, injectedAt),
			repair: async () => void (faults.status = await ensureLab(FAULT_LAB)),
		});
	});

	it("a replica's container stopped", TIMEOUT, async () => {
		let replica = '';
		await faults.run({
			order: 13,
			name: "a replica's container stopped (docker stop)",
			inject: async () => {
				replica = await faults.replica();
				await docker(['stop', '-t', '10', faults.containerOf(replica)]);
			},
			shows: frame => isMemberMarked(frame, replica),
			holdMs: 10_000,
			repair: async () => void (await docker(['start', faults.containerOf(replica)])),
		});
	});

	it("one member's Patroni frozen (docker pause of its container)", TIMEOUT, async () => {
		let replica = '';
		await faults.run({
			order: 14,
			name: "a replica's Patroni frozen (docker pause) for 20 s",
			inject: async () => {
				replica = await faults.replica();
				await docker(['pause', faults.containerOf(replica)]);
			},
			shows: frame => isMemberMarked(frame, replica),
			holdMs: 20_000,
			repair: async () => void (await docker(['unpause', faults.containerOf(replica)])),
		});
	});

	it("PostgreSQL killed (kill -9 of the postmaster) inside a replica's container", TIMEOUT, async () => {
		let replica = '';
		await faults.run({
			order: 15,
			name: 'PostgreSQL killed -9 in a replica (Patroni restarts it; recovery timed from detection)',
			inject: async () => {
				replica = await faults.replica();
				await docker(['exec', faults.containerOf(replica), 'sh', '-c', 'kill -9 $(head -1 /lab/data/postmaster.pid)']);
			},
			shows: frame => isMemberMarked(frame, replica),
		});
	});

	it('HAProxy stopped', TIMEOUT, async () => {
		await faults.run({
			order: 16,
			name: "HAProxy's container stopped for 10 s",
			inject: async () => void (await docker(['stop', '-t', '2', haproxy()])),
			shows: frame => isSourceFailing(frame, 'HAProxy'),
			holdMs: 10_000,
			repair: async () => void (await docker(['start', haproxy()])),
		});
	});

	it("the Docker engine's socket unreachable (the monitor's relay closed), then back", TIMEOUT, async () => {
		await faults.run({
			order: 17,
			name: "the Docker engine's socket unreachable for 15 s",
			inject: () => relay.cut(),
			shows: frame => isSourceFailing(frame, 'Docker'),
			holdMs: 15_000,
			repair: () => relay.restore(),
		});
	});

	it('stops cleanly: no unhandled rejection, no handle left open, no password anywhere', async () => {
		await cleanStop(90, 'the fault scenarios (20-faults)', async () => {
			await app.stop();
			await relay.close();
		}, baseline, [logFile]);
		assert.deepEqual(app.warnings, [], 'the event log file was written without a warning');
	});
});
