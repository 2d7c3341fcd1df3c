import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../components/app.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import type {Monitor} from '../../source/monitor.js';
import {containerState, dockerCli} from '../helpers/docker-cli.js';
import {watchKey} from '../helpers/etcdctl-witness.js';
import {ensureTestLab, patronictl, TEST_PORT_OFFSET, TEST_SCOPE, TEST_STATE_DIR, waitFor} from '../helpers/lab.js';
import {restLeader as restWitnessLeader} from '../helpers/rest-witness.js';

/** The leader as the first member's REST API that answers says it (through fetch): the outside truth. */
async function restLeader(status: LabStatus): Promise<string | undefined> {
	return restWitnessLeader(status.members.map(member => member.restApi)).catch(() => undefined);
}

function frameLeader(frame: string | undefined): string | undefined {
	return /leader (node\d)/.exec(frame ?? '')?.[1];
}

describe('the live monitor against the lab', () => {
	let status: LabStatus;
	let monitor: Monitor;
	let ui: ReturnType<typeof render>;
	const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-events-')), 'events.log');

	before(async () => {
		status = await ensureTestLab();
		const config = resolveMonitorConfig({lab: true, scope: TEST_SCOPE, stateDir: TEST_STATE_DIR, portOffset: TEST_PORT_OFFSET, logFile});
		monitor = createMonitor(config, message => assert.fail(message));
		monitor.start();
		ui = render(<App monitor={monitor} isReadOnly={false} />);
		await waitFor('a first frame naming the leader', async () => frameLeader(ui.lastFrame()));
	});

	after(async () => {
		ui?.unmount();
		await monitor?.stop();
	});

	it('shows a patronictl switchover within one second of the etcd write', async () => {
		const leader = (await restLeader(status))!;
		const candidate = status.members.map(m => m.name).find(name => name !== leader)!;
		await waitFor('the candidate to stream', async () => (monitor.getView().snapshot.state === 'healthy' ? true : undefined), 60_000);
		const watcher = await watchKey(status.etcd.endpoints[0]!, `/service/${TEST_SCOPE}/leader`);
		try {
			let modelAt: number | undefined;
			const unsubscribe = monitor.subscribe(() => {
				if (modelAt === undefined && monitor.getView().snapshot.leader === candidate) modelAt = performance.now();
			});
			const switching = patronictl(['switchover', '--leader', leader, '--candidate', candidate, '--force']);
			// Poll the frame every 2 ms: the figure must measure the monitor, not the test's own polling.
			const shownAt = await waitFor(`${candidate} on screen`, async () => (frameLeader(ui.lastFrame()) === candidate ? performance.now() : undefined), 30_000, 2);
			unsubscribe();
			await switching;
			const write = await waitFor('the etcd write', async () => watcher.writes.find(w => w.value === candidate));
			const delay = shownAt - write.at;
			console.log(`switchover: etcd write → model ${((modelAt ?? NaN) - write.at).toFixed(1)} ms → frame ${delay.toFixed(1)} ms`);
			assert.ok(delay < 1000, `shown ${delay} ms after the etcd write`);
			assert.equal(await restLeader(status), candidate, "Patroni's REST API names the candidate");
		} finally {
			watcher.stop();
		}
	});

	it('after docker kill of the leader, shows the new leader and logs the change', async () => {
		const oldLeader = (await restLeader(status))!;
		const container = status.members.find(m => m.name === oldLeader)!.container!;
		await waitFor('a healthy cluster first', async () => (monitor.getView().snapshot.state === 'healthy' ? true : undefined), 60_000);
		await dockerCli(['kill', container.id]);
		try {
			const newLeader = await waitFor(
				'a new leader per REST',
				async () => {
					const leader = await restLeader(status);
					return leader && leader !== oldLeader ? leader : undefined;
				},
				60_000,
			);
			await waitFor(`${newLeader} on screen`, async () => (frameLeader(ui.lastFrame()) === newLeader ? true : undefined), 5000);
			await waitFor('the change in the event log file', async () => {
				const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
				return log.includes(`leader changed: ${oldLeader} → ${newLeader}`) || log.includes(`→ ${newLeader}`) ? true : undefined;
			});
			const member = monitor.getView().snapshot.members.find(m => m.name === oldLeader);
			assert.notEqual(member?.container?.state, 'running', 'the killed container is drawn as not running');
			assert.equal(await containerState(container.id), 'exited', 'the docker CLI says the killed container exited');
		} finally {
			await ensureTestLab();
		}
	});
});
