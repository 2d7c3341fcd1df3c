/**
 * Confirmations default to No, against the real lab in a real terminal: every action key, with the Members cursor
 * on the leader and on a replica, answered by Enter after Enter (the tired engineer's "s, Enter, Enter, Enter"),
 * then by Esc, changes nothing — per patronictl, Patroni's REST API, psql, HAProxy's admin socket and the docker CLI.
 * The monitor runs with every action key live (no --read-only): only the dialogs stand between the keys and the
 * cluster.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {dialogOn} from '../helpers/dialog-keys.js';
import {containerState} from '../helpers/docker-cli.js';
import {haproxyServers} from '../helpers/haproxy-witness.js';
import {startKeyedMonitor, type KeyedMonitor} from '../helpers/keyed-monitor.js';
import {labArgs, patronictl} from '../helpers/lab.js';
import {probeTables, psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restGet, restLeader} from '../helpers/rest-witness.js';

const ACTION_KEYS = ['s', 'f', 'e', 'R', 'r', 'l', 'i', 'p', 'x', 'c', 'h', 't', 'w'];
/** Enough Enters to walk any dialog chain to its end: a list, a second list, the confirmation, and more. */
const ENTERS = Array.from({length: 6}, () => 'Enter');

/** What an action could change, each read by a tool of its own. */
async function clusterFacts(session: KeyedMonitor) {
	const {restUrls, status} = session;
	const cluster = await restCluster(restUrls);
	const leader = (await restLeader(restUrls)) ?? assert.fail('a leader');
	const leaderPort = session.portOf(leader);
	const containers = [...status.members.map(member => member.container), status.etcd.container, status.haproxy.container];
	return {
		leader,
		patronictl: (JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<Record<string, unknown>>).map(({Member, Role, State, TL}) => ({Member, Role, State, TL})),
		config: await restGet(restUrls, '/config'),
		pause: cluster.pause ?? false,
		scheduled: cluster.scheduled_switchover ?? null,
		pendingRestarts: cluster.members.map(member => `${member.name}:${String(member.pending_restart ?? false)}`),
		started: await Promise.all(session.everyPort().map(port => psqlValue(port, 'select pg_postmaster_start_time()'))),
		loaded: await Promise.all(session.everyPort().map(port => psqlValue(port, 'select pg_conf_load_time()'))),
		// The write probe's tables and the replication check's rows (the table may not exist: that must stay so too).
		// Each probe run makes its own table and drops it: any probe table here is one a mistaken key made.
		probeTables: await probeTables(leaderPort),
		words: await psqlValue(leaderPort, 'select count(*) from words', 'replicatest').catch(() => 'no table'),
		haproxy: (await haproxyServers(status.haproxy.socket)).map(row => `${row.proxy}/${row.server}:${row.status}`),
		containers: await Promise.all(containers.map(async container => `${container?.name ?? '?'}:${container ? await containerState(container.name) : 'none'}`)),
	};
}

describe('confirmations default to No: Enter and Esc on every action key change nothing', {timeout: 900_000}, () => {
	let session: KeyedMonitor;

	before(async () => {
		session = await startKeyedMonitor('patroni-tui-default-no', {}, () => ['--lab', ...labArgs()], () => ({}));
		await session.settled();
	});

	after(async () => {
		await session?.pane.stop();
	});

	/** Members focused, the cursor on `name` (the rows are in name order). */
	async function cursorOn(name: string): Promise<void> {
		const names = session.status.members.map(member => member.name).sort();
		await session.pane.keys('Escape', '1', 'k', 'k', 'k', 'k', ...Array.from({length: names.indexOf(name)}, () => 'j'));
	}

	/** The keys, then no dialog may be left open, and no operation may have appeared. */
	async function pressAndLook(keys: readonly string[]): Promise<void> {
		await session.pane.keys(...keys);
		const screen = await session.pane.screen();
		assert.equal(dialogOn(screen), undefined, `${keys.join(' ')}: a dialog is still open\n${screen}`);
		assert.doesNotMatch(screen, /▶ /, `${keys.join(' ')}: an operation appeared in the Operations pane\n${screen}`);
	}

	for (const on of ['the leader', 'a replica'] as const) {
		it(`cursor on ${on}: each action key, then Enter after Enter, then Esc`, async () => {
			const {pane} = session;
			const before = await clusterFacts(session);
			await cursorOn(on === 'the leader' ? before.leader : await session.aReplica());
			for (const key of ACTION_KEYS) {
				// e reads pg_settings from the leader before its dialog opens.
				await pane.keys(key);
				if (key === 'e') await pane.waitForScreen('the parameter search', screen => screen.includes('Edit a PostgreSQL parameter'), 20_000);
				// A typed confirmation or an invalid value keeps its dialog on Enter: Esc closes whatever is left.
				await pressAndLook([...ENTERS, 'Escape', 'Escape']);
				await pane.keys(key);
				if (key === 'e') await pane.waitForScreen('the parameter search', screen => screen.includes('Edit a PostgreSQL parameter'), 20_000);
				await pressAndLook(['Escape']);
			}
			// Long enough for an operation started by mistake to have sent its request (a write probe writes every 50 ms).
			await new Promise(resolve => setTimeout(resolve, 3000));
			assert.deepEqual(await clusterFacts(session), before);
			assert.match(await pane.screen(), /cancelled: nothing was sent/);
		});
	}

	it('the confirmation says [y/N] (and names the write probe where one would run)', async () => {
		const {pane} = session;
		await pane.keys('Escape', 's', 'Enter', 'Enter');
		const screen = await pane.waitForScreen('the switchover confirmation', text => /Switchover node\d → node\d\?/.test(text), 10_000);
		assert.match(screen, /Go ahead\? \[y\/o\/N\]/);
		assert.match(screen, /Also runs the write probe on 127\.0\.0\.1:\d+/);
		await pane.keys('Enter');
		await pane.waitForScreen('Enter to be No', text => text.includes('cancelled: nothing was sent (Enter is No here; y confirms)'), 5000);
	});
});
