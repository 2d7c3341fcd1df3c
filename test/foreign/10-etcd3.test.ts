/**
 * A cluster the lab did not make, on etcd's v3 API: scope `dummy`, members node1..3 as plain processes (Debian's
 * Patroni 3.0.2 and PostgreSQL 15, user postgres, 127.0.0.1 only, REST basic auth), its own etcd, while the test
 * lab's containers patroni-tui-labtest-node1..3 run on the same Docker engine. The built monitor is started with
 * the minimal patronictl.yaml and PGPASSWORD; everything is checked with patronictl, psql, etcdctl, docker or REST.
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import {answer, choose, confirm, editParameter} from '../helpers/dialog-keys.js';
import {FOREIGN_V3, ForeignCluster} from '../helpers/foreign-cluster.js';
import {TEST_SCOPE, waitFor} from '../helpers/lab.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';
import {containerKeySaysWhy, FLEET_PROVES, fleetAgreesWithPatronictl, JSON_PROVES, jsonAgreesWithPatronictl, killedMemberStaysLost, LOST_PROVES, NO_CONTAINER_PROVES, SCREEN_PROVES, SWITCHOVER_PROVES, noContainerClaimed, pauseAndResume, screenAgreesWithPatronictl, switchoverNow} from './cases.js';
import {foreignCase, foreignSetup, startForeignResults, type Notes} from './report.js';
import {ensureLabBeside, startForeignMonitor, type ForeignMonitor} from './session.js';
import {patronictlLeader, psqlValue} from './witness.js';

describe('a foreign cluster on etcd v3 beside the test lab', {timeout: 600_000}, () => {
	const cluster = new ForeignCluster(FOREIGN_V3);
	let session: ForeignMonitor;
	const ports = () => cluster.members.map(member => member.pgPort);
	const portOf = (name: string) => cluster.member(name).pgPort;
	let order = 0;
	const test = (name: string, proves: string, body: (notes: Notes) => Promise<void>) => it(name, () => foreignCase(++order, 'etcd3', name, proves, body));

	before(async () => {
		startForeignResults();
		await foreignSetup('etcd3', async () => {
			await Promise.all([cluster.start(), ensureLabBeside()]);
			session = await startForeignMonitor('patroni-tui-foreign-v3', cluster);
		});
	});

	after(async () => {
		await session?.stop();
		await cluster.stop();
	});

	beforeEach(async () => {
		await session.settled();
	});

	test('the fleet on its etcd, no scope given: its one row agrees with patronictl', FLEET_PROVES, async () => {
		await fleetAgreesWithPatronictl(cluster, 'etcd3');
	});

	test('--json agrees with patronictl list -f json: leader, roles, timelines, lag', JSON_PROVES, async () => {
		await jsonAgreesWithPatronictl(session);
	});

	test('the screen agrees with patronictl list -f json', SCREEN_PROVES, async () => {
		await screenAgreesWithPatronictl(session);
	});

	test("no member shows a container and the Containers pane offers none, though the lab's node1..3 run", NO_CONTAINER_PROVES, async () => {
		await noContainerClaimed(session, TEST_SCOPE);
	});

	test('c says why it offers no container', 'c opens no container choice; the status bar says why', async notes => {
		await containerKeySaysWhy(session, notes);
	});

	test('a replica killed (-9, Patroni and postmaster) stays as lost after its key expires, and comes back', LOST_PROVES, async notes => {
		await killedMemberStaysLost(session, notes);
	});

	test('t: the replication check writes a row that psql finds on every member', 'psql finds the check\'s row in replicatest.words on all three members', async () => {
		await session.succeeds('replication check', async () => {
			await session.pane.keys('t');
			await confirm(session.pane, 'Replication check on the leader');
		});
		const token = /patroni-tui-[0-9a-f-]{36}/.exec(session.logLines().join('\n').split('replication check').at(-1) ?? '')?.[0];
		assert.ok(token, 'the check names its row');
		for (const port of ports()) {
			assert.equal(await psqlValue(cluster, port, `select count(*) from words where word = '${token}'`, 'replicatest'), '1', `the row on 127.0.0.1:${port}`);
		}
	});

	test('p, p: pause and resume, per patronictl', 'patronictl list shows maintenance mode on, then off', async () => {
		await pauseAndResume(session);
	});

	test('s: a switchover now moves the leader, per patronictl', SWITCHOVER_PROVES, async () => {
		await switchoverNow(session);
	});

	test('f: a failover with the leader healthy needs the name typed, and moves the leader', 'REST and patronictl name the chosen replica leader', async () => {
		const {pane} = session;
		const to = await session.aReplica();
		await session.succeeds('failover', async () => {
			await pane.keys('f');
			await choose(pane, 'Failover: choose the new leader', to);
			await answer(pane, `Failover to ${to} while`, to);
		});
		await waitFor(`REST to name ${to} the leader`, async () => ((await restLeader(session.restUrls)) === to ? true : undefined), 30_000);
		await waitFor(`patronictl to name ${to} the leader`, async () => ((await patronictlLeader(cluster)) === to ? true : undefined), 30_000);
	});

	test('e: a restart parameter applied with a rolling restart: psql SHOWs it and every postmaster started again', 'psql SHOWs the new max_connections on every member, every pg_postmaster_start_time moved, REST lists no pending restart', async () => {
		const {pane} = session;
		const now = Number(await psqlValue(cluster, portOf(await session.leader()), 'show max_connections'));
		const value = String(now === 120 ? 110 : 120);
		const started = () => Promise.all(ports().map(port => psqlValue(cluster, port, 'select pg_postmaster_start_time()')));
		const before = await started();
		await session.succeeds(`set max_connections = ${value}`, async () => {
			await editParameter(pane, 'max_connections', value, 'apply, then rolling restart');
		}, 240_000);
		const after = await started();
		for (const [index, port] of ports().entries()) {
			assert.equal(await psqlValue(cluster, port, 'show max_connections'), value, `max_connections on 127.0.0.1:${port}`);
			assert.notEqual(after[index], before[index], `the postmaster on 127.0.0.1:${port} started again`);
		}
		// A member's pending_restart in /cluster comes from its DCS key, which its Patroni rewrites on its next loop (2 s).
		await waitFor('no member pending a restart, per REST', async () => ((await restCluster(session.restUrls)).members.every(member => !member.pending_restart) ? true : undefined), 15_000);
	});

	test('no password reaches the screen or the event log', 'none of the cluster\'s passwords is on the screen or in the event log', async () => {
		const screen = await session.pane.screen();
		const log = session.logLines().join('\n');
		for (const secret of Object.values(cluster.secrets).filter(value => value.length > 12)) assert.ok(!screen.includes(secret) && !log.includes(secret), 'a password is shown or logged');
	});
});
