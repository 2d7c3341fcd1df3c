/**
 * Every operation from the keyboard on a monitor that knows nothing but the DCS: `--etcd HOST:PORT --scope S`,
 * the REST credentials from a patronictl.yaml holding only `restapi.authentication`, the SQL password from
 * PGPASSWORD. The built command runs in a real terminal (tmux, 160x48); every outcome is checked from outside,
 * by patronictl, Patroni's REST API through Node's fetch, Debian's psql or the docker CLI.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {answer, choose, confirm, waitForDialog} from '../helpers/dialog-keys.js';
import {containerState} from '../helpers/docker-cli.js';
import {CLI, ensureTestLab, patronictl, TEST_SCOPE, testLabSecrets, waitFor} from '../helpers/lab.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';

describe('every operation from the keys, with only --etcd and --scope', {timeout: 900_000}, () => {
	let status: LabStatus;
	let pane: Pane;
	let restUrls: string[];
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-etcd-only-'));
	const logFile = path.join(home, 'events.log');

	const portOf = (member: string) => status.members.find(candidate => candidate.name === member)!.postgres.port;
	const everyPort = () => status.members.map(member => member.postgres.port);
	const leader = async () => (await restLeader(restUrls)) ?? assert.fail('the cluster has a leader');
	/**
	 * Each case starts from a settled cluster, whatever the one before left: Patroni's REST API shows a leader and
	 * every replica streaming on its timeline, and the monitor has seen it too (no alert), so every member is
	 * offered where the case expects it; and no dialog is left open.
	 */
	async function settled(): Promise<void> {
		await pane.keys('Escape');
		await waitFor('a leader with every replica streaming on its timeline', async () => {
			const {members} = await restCluster(restUrls);
			const head = members.find(member => member.role === 'leader');
			if (head?.state !== 'running' || members.some(member => member !== head && (!['running', 'streaming'].includes(member.state ?? '') || member.timeline !== head.timeline))) return undefined;
			// Patroni 3.0.2 calls a replica "running" whether it streams or not: the leader's pg_stat_replication tells.
			const streaming = Number(await psqlValue(portOf(head.name), "select count(*) from pg_stat_replication where state = 'streaming'"));
			return streaming === members.length - 1 ? true : undefined;
		}, 120_000);
		await pane.waitForScreen('the monitor to see a healthy cluster', screen => screen.includes('● healthy') && screen.includes('✓ no alerts'), 30_000);
	}
	const aReplica = async () => {
		const cluster = await restCluster(restUrls);
		return cluster.members.find(member => member.role === 'replica')?.name ?? assert.fail(`a replica: ${JSON.stringify(cluster.members)}`);
	};

	/** The log lines written since `from`: the monitor's own record, used only to know an operation has ended. */
	const logLines = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : []);
	/** Waits for the operation titled `title` (started after log line `from`) to end, and returns how. */
	const operationEnd = (title: string, from: number, timeoutMs = 120_000) =>
		waitFor(`"${title}" to end`, async () => logLines().slice(from).find(line => line.includes(': done — ') || line.includes(': FAILED — ')), timeoutMs, 200);
	/** Runs `act` (the keys), then waits for the operation to end and expects it to have succeeded. */
	async function succeeds(title: string, act: () => Promise<void>, timeoutMs?: number): Promise<void> {
		const from = logLines().length;
		await act();
		const end = await operationEnd(title, from, timeoutMs);
		assert.match(end, / done — /, `${title}: ${end}`);
	}

	before(async () => {
		status = await ensureTestLab();
		restUrls = status.members.map(member => member.restApi);
		const secrets = testLabSecrets();
		const ctl = path.join(home, 'patronictl.yaml');
		fs.writeFileSync(ctl, `restapi:\n  authentication:\n    username: ${secrets.restApiUsername}\n    password: ${secrets.restApiPassword}\n`, {mode: 0o600});
		const etcd = new URL(status.etcd.endpoints[0]!).host;
		// HOME is an empty directory: no config of this machine's user is found by accident.
		const env = {HOME: home, PATRONICTL_CONFIG_FILE: ctl, PGPASSWORD: secrets.superuserPassword};
		pane = await startPane('patroni-tui-etcd-only', [process.execPath, CLI, '--etcd', etcd, '--scope', TEST_SCOPE, '--log-file', logFile], env);
		await pane.waitForScreen('the first frame naming a leader', screen => /leader node\d/.test(screen) && /REST \d/.test(screen), 60_000);
	});

	after(async () => {
		await pane?.stop();
	});

	beforeEach(async () => {
		await settled();
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

	it('w: the write probe writes on the leader while it runs, and stops on w', async () => {
		const port = portOf(await leader());
		const count = async () => Number(await psqlValue(port, 'select count(*) from patroni_tui_probe').catch(() => '0'));
		const before = await count();
		await pane.keys('w');
		await waitFor('probe rows to grow by 10', async () => ((await count()) >= before + 10 ? true : undefined), 20_000);
		const from = logLines().length;
		await pane.keys('w');
		await operationEnd('write probe', from, 20_000);
		const stopped = await count();
		await new Promise(resolve => setTimeout(resolve, 1500));
		assert.equal(await count(), stopped, 'no row is written after the probe stopped');
	});

	it('e: a reload parameter SHOWs its new value on every member', async () => {
		const now = await psqlValue(portOf(await leader()), 'show work_mem');
		const value = now === '8MB' ? '6MB' : '8MB';
		await succeeds(`set work_mem = ${value}`, async () => {
			await pane.keys('e');
			await waitForDialog(pane, 'Edit a PostgreSQL parameter', 20_000);
			await pane.type('work_mem');
			await choose(pane, 'Edit a PostgreSQL parameter', 'work_mem');
			await answer(pane, 'New value for work_mem', value);
			await confirm(pane, `Apply work_mem = ${value}?`);
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
			await pane.keys('e');
			await waitForDialog(pane, 'Edit a PostgreSQL parameter', 20_000);
			await pane.type('max_connections');
			await choose(pane, 'Edit a PostgreSQL parameter', 'max_connections');
			await answer(pane, 'New value for max_connections', value);
			await choose(pane, `Apply max_connections = ${value}?`, how);
		}, 240_000);
		if (how === 'apply only') {
			await waitFor('every member pending a restart', async () => ((await restCluster(restUrls)).members.every(member => member.pending_restart) ? true : undefined), 30_000);
			await succeeds('rolling restart', async () => {
				// The monitor polls REST every second: until it has seen the pending restarts, R says there are none.
				await waitFor('R to offer the rolling restart', async () => {
					await pane.keys('R');
					return (await waitForDialog(pane, 'Rolling restart of', 2000).catch(() => undefined)) ? true : undefined;
				}, 20_000, 0);
				await choose(pane, 'Rolling restart of', 'leader in place');
				await confirm(pane, 'Rolling restart of');
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
		await settled();
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
		await pane.waitForScreen('the monitor to see it stopped', screen => screen.includes('exited'), 15_000);
		await succeeds('start', async () => {
			await pane.keys('c');
			await choose(pane, 'Which container?', `${member} (${container})`);
			await choose(pane, 'which action?', 'Start');
			await confirm(pane, `Start ${member} (${container})?`);
		});
		assert.equal(await containerState(container), 'running');
		await settled();
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
