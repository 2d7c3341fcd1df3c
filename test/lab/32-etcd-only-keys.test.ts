/**
 * Every operation from the keyboard on a monitor that knows nothing but the DCS: `--etcd HOST:PORT --scope S`,
 * the REST credentials from a patronictl.yaml holding only `restapi.authentication`, the SQL password from
 * PGPASSWORD. The built command runs in a real terminal (tmux, 160x48); every outcome is checked from outside,
 * by patronictl, Patroni's REST API through Node's fetch, Debian's psql or the docker CLI.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {answer, choose, confirm, editParameter, rollingRestart} from '../helpers/dialog-keys.js';
import {containerState} from '../helpers/docker-cli.js';
import {restCredentialsYaml, startKeyedMonitor, type KeyedMonitor} from '../helpers/keyed-monitor.js';
import {patronictl, TEST_SCOPE, testLabSecrets, waitFor} from '../helpers/lab.js';
import {probeRowCount, probeTables, psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';
import type {Pane} from '../helpers/tmux-pane.js';

describe('every operation from the keys, with only --etcd and --scope', {timeout: 900_000}, () => {
	let session: KeyedMonitor;
	let pane: Pane;
	const portOf = (member: string) => session.portOf(member);
	const everyPort = () => session.everyPort();
	const leader = () => session.leader();
	const aReplica = () => session.aReplica();
	const logLines = () => session.logLines();
	const succeeds = (title: string, act: () => Promise<void>, timeoutMs?: number) => session.succeeds(title, act, timeoutMs);
	let restUrls: readonly string[];
	let status: LabStatus;

	before(async () => {
		session = await startKeyedMonitor(
			'patroni-tui-etcd-only',
			{'patronictl.yaml': restCredentialsYaml},
			(_, lab) => ['--etcd', new URL(lab.etcd.endpoints[0]!).host, '--scope', TEST_SCOPE],
			home => ({PATRONICTL_CONFIG_FILE: path.join(home, 'patronictl.yaml')}),
		);
		({pane, restUrls, status} = session);
	});

	after(async () => {
		await session?.pane.stop();
	});

	beforeEach(async () => {
		await session.settled();
	});

	it('t: the replication check writes a row that psql finds on every member', async () => {
		await succeeds('replication check', async () => {
			await pane.keys('t');
			await confirm(pane, 'Replication check on the leader');
		});
		const token = /patroni-tui-[0-9a-f-]{36}/.exec(logLines().join('\n').split('replication check').at(-1) ?? '')?.[0];
		assert.ok(token, 'the check names its row');
		for (const port of everyPort()) {
			assert.equal(await psqlValue(port, `select count(*) from words where word = '${token}'`, 'replicatest'), '1', `the row on 127.0.0.1:${port}`);
		}
	});

	it('w, y: the write probe writes into a table of its own on the leader while it runs, and drops it on w', async () => {
		const port = portOf(await leader());
		const tablesBefore = await probeTables(port);
		await pane.keys('w');
		// w asks first (the probe writes to the cluster): y starts it.
		await confirm(pane, 'Start the write probe on');
		// The probe names its table as it starts: "… into public.patroni_tui_probe_<run id> (its own, dropped at the end) …".
		const table = await waitFor('the probe to name its table', async () => logLines().join('\n').match(/public\.patroni_tui_probe_[0-9a-f]{12}/g)?.at(-1), 10_000);
		await waitFor('probe rows to reach 10', async () => ((await probeRowCount(port, table)) >= 10 ? true : undefined), 20_000);
		await succeeds('write probe', () => pane.keys('w'), 20_000);
		assert.equal(await probeRowCount(port, table), -1, `${table} was dropped when the probe stopped`);
		assert.match(logLines().join('\n'), new RegExp(`write probe table: dropped ${table.replace('.', '\\.')}`));
		await new Promise(resolve => setTimeout(resolve, 1500));
		assert.equal(await probeTables(port), tablesBefore, 'no probe table is made or left after the probe stopped');
	});

	it('e: a reload parameter SHOWs its new value on every member', async () => {
		const now = await psqlValue(portOf(await leader()), 'show work_mem');
		const value = now === '8MB' ? '6MB' : '8MB';
		await succeeds(`set work_mem = ${value}`, async () => {
			await editParameter(pane, 'work_mem', value);
		});
		for (const port of everyPort()) {
			await waitFor(`work_mem = ${value} on 127.0.0.1:${port}`, async () => ((await psqlValue(port, 'show work_mem')) === value ? true : undefined), 30_000);
		}
	});

	/** A restart parameter, then R: the value SHOWs everywhere and every postmaster started again. */
	async function editMaxConnections(how: 'apply only' | 'apply, then rolling restart'): Promise<void> {
		const now = Number(await psqlValue(portOf(await leader()), 'show max_connections'));
		const value = String(now === 120 ? 110 : 120);
		const started = async () => Promise.all(everyPort().map(port => psqlValue(port, 'select pg_postmaster_start_time()')));
		const before = await started();
		await succeeds(`set max_connections = ${value}`, async () => {
			await editParameter(pane, 'max_connections', value, how);
		}, 240_000);
		if (how === 'apply only') {
			await waitFor('every member pending a restart', async () => ((await restCluster(restUrls)).members.every(member => member.pending_restart) ? true : undefined), 30_000);
			await succeeds('rolling restart', async () => {
				await rollingRestart(pane, 'leader in place');
			}, 240_000);
		}
		const after = await started();
		for (const [index, port] of everyPort().entries()) {
			assert.equal(await psqlValue(port, 'show max_connections'), value, `max_connections on 127.0.0.1:${port}`);
			assert.notEqual(after[index], before[index], `the postmaster on 127.0.0.1:${port} started again`);
		}
		assert.ok((await restCluster(restUrls)).members.every(member => !member.pending_restart), 'no member is pending a restart');
	}

	it('e + R: a restart parameter applied, then a rolling restart in place', async () => {
		await editMaxConnections('apply only');
	});

	it('e: a restart parameter applied with a rolling restart by switchover', async () => {
		await editMaxConnections('apply, then rolling restart');
	});

	it('s: a switchover now moves the leader, per patronictl', async () => {
		const from = await leader();
		const to = await aReplica();
		await succeeds('switchover', async () => {
			await pane.keys('s');
			await choose(pane, 'Switchover: choose the new leader', to);
			await choose(pane, `Switchover ${from} → ${to}: when?`, 'now');
			await confirm(pane, `Switchover ${from} → ${to}?`);
		});
		await waitFor(`patronictl to name ${to} the leader`, async () => (new RegExp(`\\|\\s*${to}\\s*\\|[^\\n]*\\|\\s*Leader\\s*\\|`).test(await patronictl(['list'])) ? true : undefined), 30_000);
	});

	it('s at a time, then x: Patroni holds the scheduled switchover, and then does not', async () => {
		const from = await leader();
		const to = await aReplica();
		const at = new Date(Date.now() + 10 * 60_000);
		const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
		await succeeds('switchover', async () => {
			await pane.keys('s');
			await choose(pane, 'Switchover: choose the new leader', to);
			await choose(pane, `Switchover ${from} → ${to}: when?`, 'at a time…');
			await answer(pane, 'at what time?', clock);
			await confirm(pane, `Switchover ${from} → ${to} at`);
		});
		const scheduled = (await restCluster(restUrls)).scheduled_switchover;
		assert.ok(scheduled, 'Patroni holds a scheduled switchover');
		assert.equal(new Date(scheduled.at).getMinutes(), at.getMinutes());
		assert.equal(await leader(), from, 'the leader did not change yet');
		await pane.waitForScreen('the monitor to see the schedule', screen => /scheduled/i.test(screen), 10_000);
		await succeeds('cancel', async () => {
			await pane.keys('x');
			await choose(pane, 'Cancel which scheduled action?', 'switchover at');
			await confirm(pane, 'Cancel the scheduled switchover?');
		});
		assert.equal((await restCluster(restUrls)).scheduled_switchover, undefined, 'nothing is scheduled any more');
	});

	it('f: a failover with the leader healthy needs the name typed, and moves the leader', async () => {
		const to = await aReplica();
		await succeeds('failover', async () => {
			await pane.keys('f');
			await choose(pane, 'Failover: choose the new leader', to);
			await answer(pane, `Failover to ${to} while`, to);
		});
		await waitFor(`REST to name ${to} the leader`, async () => ((await restLeader(restUrls)) === to ? true : undefined), 30_000);
	});

	it('r: a replica restarts (its postmaster started again, per psql)', async () => {
		const member = await aReplica();
		const before = await psqlValue(portOf(member), 'select pg_postmaster_start_time()');
		await succeeds('restart', async () => {
			await pane.keys('r');
			await choose(pane, 'Restart PostgreSQL on which member?', member);
			await confirm(pane, `Restart PostgreSQL on ${member}?`);
		});
		await waitFor(`${member}'s postmaster to have started again`, async () => ((await psqlValue(portOf(member), 'select pg_postmaster_start_time()')) !== before ? true : undefined), 30_000);
	});

	it('l: every member reloads its configuration (pg_conf_load_time moves, per psql)', async () => {
		const loaded = async () => Promise.all(everyPort().map(port => psqlValue(port, 'select pg_conf_load_time()')));
		const before = await loaded();
		await succeeds('reload', async () => {
			await pane.keys('l');
			await choose(pane, 'Reload the configuration of', 'every member');
			await confirm(pane, 'Reload every member?');
		});
		await waitFor('every member to have reloaded', async () => ((await loaded()).every((time, index) => time !== before[index]) ? true : undefined), 30_000);
	});

	it('i: a replica is reinitialized (typed name) and streams again', async () => {
		const member = await aReplica();
		const before = await psqlValue(portOf(member), 'select pg_postmaster_start_time()');
		await succeeds('reinitialize', async () => {
			await pane.keys('i');
			await choose(pane, 'Reinitialize which replica?', member);
			await answer(pane, `Reinitialize ${member}`, member);
		});
		await waitFor(`${member} to have started again`, async () => ((await psqlValue(portOf(member), 'select pg_postmaster_start_time()')) !== before ? true : undefined), 120_000);
		await session.settled();
	});

	it('p, p: pause and resume, per patronictl', async () => {
		await succeeds('pause', async () => {
			await pane.keys('p');
			await confirm(pane, `Pause ${TEST_SCOPE}?`);
		});
		assert.match(await patronictl(['list']), /Maintenance mode: on/);
		await pane.waitForScreen('the monitor to see the pause', screen => /paused/i.test(screen), 10_000);
		await succeeds('resume', async () => {
			await pane.keys('p');
			await confirm(pane, `Resume ${TEST_SCOPE}?`);
		});
		assert.doesNotMatch(await patronictl(['list']), /Maintenance mode: on/);
	});

	it('c: a replica container stopped and started again, per the docker CLI', async () => {
		const member = await aReplica();
		const container = status.members.find(candidate => candidate.name === member)?.container?.name ?? assert.fail(`${member} has a container`);
		await succeeds('stop', async () => {
			await pane.keys('c');
			await choose(pane, 'Which container?', `${member} (${container})`);
			await choose(pane, 'which action?', 'Stop');
			await confirm(pane, `Stop ${member} (${container})?`);
		});
		assert.equal(await containerState(container), 'exited');
		// Its row in Members, from the Docker source: the operation's own step ("Docker says … is exited") is on the
		// screen first, and the container dialog offers Start only once the monitor has seen the stop itself.
		const rowSaysExited = (screen: string) => screen.split('\n').some(line => line.includes(` ${member} 127.0.0.1:`) && /\bexited\b/.test(line));
		await pane.waitForScreen('the monitor to see it stopped', rowSaysExited, 15_000);
		await succeeds('start', async () => {
			await pane.keys('c');
			await choose(pane, 'Which container?', `${member} (${container})`);
			await choose(pane, 'which action?', 'Start');
			await confirm(pane, `Start ${member} (${container})?`);
		});
		assert.equal(await containerState(container), 'running');
		await session.settled();
	});

	it('h: without an admin socket, says so and sends nothing', async () => {
		await pane.keys('h');
		await pane.waitForScreen('the reason', screen => screen.includes('No HAProxy admin socket configured'), 5000);
	});

	it('the REST password never reaches the screen or the log', async () => {
		const {restApiPassword, superuserPassword} = testLabSecrets();
		const screen = await pane.screen();
		const log = logLines().join('\n');
		for (const secret of [restApiPassword, superuserPassword]) {
			assert.ok(!screen.includes(secret) && !log.includes(secret), 'no secret is shown or logged');
		}
	});
});
