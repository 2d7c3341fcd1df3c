/**
 * What the keys must not do and what a schedule must do, checked from outside: `--read-only` given as a flag
 * (every action key pressed and answered, nothing changed per patronictl, Patroni's REST API, psql and the
 * docker CLI); a switchover scheduled from the keys that Patroni carries out at its time; and `--json`
 * exiting 1 when every member is stopped.
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {answer, choose, confirm} from '../helpers/dialog-keys.js';
import {containerState, dockerCli} from '../helpers/docker-cli.js';
import {startKeyedMonitor, type KeyedMonitor} from '../helpers/keyed-monitor.js';
import {etcd3Value} from '../helpers/etcdctl-witness.js';
import {cli, ensureTestLab, labArgs, patronictl, TEST_SCOPE, waitFor} from '../helpers/lab.js';
import {probeTables, psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restGet, restLeader} from '../helpers/rest-witness.js';

const ACTION_KEYS = ['s', 'f', 'e', 'R', 'r', 'l', 'i', 'p', 'x', 'c', 'h', 't', 'w'];

const containerOf = (member: LabStatus['members'][number]) => member.container?.name ?? assert.fail(`${member.name} has a container`);

/** What an action could change, each read by a tool of its own. */
async function clusterFacts(session: KeyedMonitor) {
	const {restUrls, status} = session;
	const cluster = await restCluster(restUrls);
	const leaderPort = session.portOf((await restLeader(restUrls)) ?? assert.fail('a leader'));
	return {
		patronictl: JSON.parse(await patronictl(['list', '-f', 'json'])) as unknown,
		config: await restGet(restUrls, '/config'),
		pause: cluster.pause ?? false,
		scheduled: cluster.scheduled_switchover ?? null,
		started: await Promise.all(session.everyPort().map(port => psqlValue(port, 'select pg_postmaster_start_time()'))),
		loaded: await Promise.all(session.everyPort().map(port => psqlValue(port, 'select pg_conf_load_time()'))),
		// The write probe's tables and the replication check's rows (the table may not exist yet: that must stay so too).
		// Each probe run makes its own table and drops it: any probe table here is one a mistaken key made.
		probeTables: await probeTables(leaderPort),
		words: await psqlValue(leaderPort, 'select count(*) from words', 'replicatest').catch(() => 'no table'),
		containers: await Promise.all(status.members.map(member => containerState(containerOf(member)))),
	};
}

describe('--read-only as a flag: every action key, nothing changed', {timeout: 300_000}, () => {
	let session: KeyedMonitor;

	before(async () => {
		session = await startKeyedMonitor('patroni-tui-read-only', {}, () => ['--lab', ...labArgs(), '--read-only'], () => ({}));
		await session.settled();
	});

	after(async () => {
		await session?.pane.stop();
	});

	it('says read-only, and no key changes the cluster however it is answered', async () => {
		const {pane} = session;
		assert.match(await pane.screen(), /read-only/);
		const before = await clusterFacts(session);
		for (const key of ACTION_KEYS) {
			// Whatever opens is answered yes, first choice, typed name: nothing must come of it.
			await pane.keys(key, 'Enter', 'Enter', 'y', 'Enter');
			await pane.type('node1');
			await pane.keys('Enter', 'Escape', 'Escape');
		}
		// Long enough for an operation started by mistake to have sent its request (a write probe writes every 50 ms).
		await new Promise(resolve => setTimeout(resolve, 3000));
		// patronictl's list carries lag and timeline, which stay put on an idle cluster; the rest must not move at all.
		assert.deepEqual(await clusterFacts(session), before);
		assert.doesNotMatch(await pane.screen(), /▶ /, 'no operation appears in the Operations pane');
	});
});

describe('a switchover scheduled from the keys happens at its time', {timeout: 300_000}, () => {
	let session: KeyedMonitor;

	before(async () => {
		session = await startKeyedMonitor('patroni-tui-schedule', {}, () => ['--lab', ...labArgs()], () => ({}));
	});

	after(async () => {
		await session?.pane.stop();
	});

	beforeEach(async () => {
		await session.settled();
	});

	it('Patroni holds it until its time, then the candidate leads, per patronictl and REST', async () => {
		const {pane} = session;
		const from = await session.leader();
		const to = await session.aReplica();
		// An ISO 8601 time 30 s ahead (the dialog also takes HH:MM, which would make the case wait up to a minute).
		const at = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000);
		await session.succeeds('switchover', async () => {
			await pane.keys('s');
			await choose(pane, 'Switchover: choose the new leader', to);
			await choose(pane, `Switchover ${from} → ${to}: when?`, 'at a time…');
			await answer(pane, 'at what time?', at.toISOString());
			await confirm(pane, `Switchover ${from} → ${to} at`);
		});
		const scheduled = (await restCluster(session.restUrls)).scheduled_switchover;
		assert.ok(scheduled, 'Patroni holds a scheduled switchover');
		assert.equal(Date.parse(scheduled.at), at.getTime(), `scheduled at ${scheduled.at}`);
		assert.equal(await session.leader(), from, 'nothing happens before its time');
		const leader = await waitFor(`${to} to lead after ${at.toISOString()}`, async () => {
			const name = await restLeader(session.restUrls);
			return name === to ? name : undefined;
		}, 90_000, 500);
		assert.ok(Date.now() >= at.getTime(), 'not before its time');
		assert.equal(leader, to);
		assert.match(await patronictl(['list']), new RegExp(`\\|\\s*${to}\\s*\\|[^\\n]*\\|\\s*Leader\\s*\\|`));
		assert.equal((await restCluster(session.restUrls)).scheduled_switchover, undefined, 'nothing is scheduled any more');
	});
});

describe('--json with every member stopped', {timeout: 300_000}, () => {
	it('exits 1 and says there is no leader; the cluster comes back when started', async () => {
		const status = await ensureTestLab();
		const names = status.members.map(containerOf);
		await dockerCli(['stop', '--time', '5', ...names]);
		try {
			for (const name of names) assert.equal(await containerState(name), 'exited');
			// A member killed before it let go of the leader key leaves it to expire with its TTL (15 s in the lab).
			const endpoint = status.etcd.endpoints[0]!;
			await waitFor('etcd to hold no leader key', async () => ((await etcd3Value(endpoint, `/service/${TEST_SCOPE}/leader`)) === undefined ? true : undefined), 30_000, 500);
			const result = await cli(['--json', '--lab', ...labArgs()], 60_000);
			assert.equal(result.code, 1, `exit code ${result.code}: ${result.stderr}`);
			const printed = JSON.parse(result.stdout) as {leader?: string | null};
			assert.ok(printed.leader === undefined || printed.leader === null, `no leader: ${String(printed.leader)}`);
		} finally {
			await dockerCli(['start', ...names]);
		}
		const urls = status.members.map(member => member.restApi);
		// The next test finds the lab as it was: a leader and every member running again.
		await waitFor('a leader and every member running again', async () => {
			const {members} = await restCluster(urls);
			return members.length === names.length && members.every(member => member.state === 'running' || member.state === 'streaming') && (await restLeader(urls)) ? true : undefined;
		}, 120_000, 1000);
	});
});
