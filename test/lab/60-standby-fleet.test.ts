// `lab up --standby --clusters 3` on a lab of its own (scope labfleet, offset 1300: its extra members take the lab's
// base ports + 10 … + 13, clear of the other labs 100 ports apart), checked from outside: Debian's patronictl and
// psql, Docker's CLI, the built command's fleet JSON and its screen in tmux.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabClusterStatus, LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';
import {dockerCli} from '../helpers/docker-cli.js';
import {CLI, cli, waitFor} from '../helpers/lab.js';
import {psql, psqlValue} from '../helpers/psql-witness.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';
import {labTlsFiles, trustEndpoints, trustLab} from '../helpers/witness-tls.js';

const run = promisify(execFile);
const SCOPE = 'labfleet';
const STATE_DIR = path.join(os.tmpdir(), 'patroni-tui-test-labfleet');
const LAB = ['--scope', SCOPE, '--state-dir', STATE_DIR, '--port-offset', '1300'];
const SCOPES = ['labfleet', 'labfleet-2', 'labfleet-3', 'labfleet-standby'];

type CtlMember = {readonly Member: string; readonly Host: string; readonly Role: string; readonly State: string; readonly TL?: number};
type FleetRow = {readonly scope: string; readonly kind: string; readonly leader?: string; readonly severity: string; readonly standbySource?: string; readonly primaryScope?: string};

async function ctlList(config: string): Promise<CtlMember[]> {
	const {stdout} = await run('patronictl', ['-c', config, 'list', '-f', 'json'], {timeout: 30_000});
	return JSON.parse(stdout) as CtlMember[];
}

async function fleetJson(): Promise<FleetRow[]> {
	// Exit 1 when a cluster has no leader: the rows are printed all the same.
	const result = await cli(['--lab', ...LAB, '--all', '--json'], 30_000);
	return JSON.parse(result.stdout) as FleetRow[];
}

const portOf = (member: CtlMember) => Number(member.Host.split(':')[1]);

async function labUp(flags: readonly string[]): Promise<{status: LabStatus; password: string; configs: Record<string, string>}> {
	const up = await cli(['lab', 'up', ...LAB, ...flags, '--json', '--timeout', '300'], 360_000);
	assert.equal(up.code, 0, `lab up failed:\n${up.stderr}`);
	const status = JSON.parse(up.stdout) as LabStatus;
	const password = (JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'secrets.json'), 'utf8')) as LabSecrets).superuserPassword;
	const extra: LabClusterStatus[] = [...(status.standby ? [status.standby] : []), ...(status.clusters ?? [])];
	const configs = Object.fromEntries([[SCOPE, status.patronictlConfig], ...extra.map(cluster => [cluster.scope, cluster.patronictlConfig])]);
	return {status, password, configs};
}

/** lab destroy, and nothing of the lab left: no container of any of its scopes, no state directory. */
async function labDestroy(): Promise<void> {
	const destroyed = await cli(['lab', 'destroy', '--yes', ...LAB], 120_000);
	assert.equal(destroyed.code, 0, destroyed.stderr);
	assert.deepEqual((await dockerCli(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(name => name.startsWith('patroni-tui-labfleet')), []);
	assert.equal(fs.existsSync(STATE_DIR), false);
}

async function leaderIn(config: string, role = 'Leader'): Promise<CtlMember> {
	return waitFor(`a ${role} in ${config}`, async () => (await ctlList(config)).find(member => member.Role === role && member.State === 'running'), 60_000, 500);
}

describe('lab up --standby --clusters 3', {timeout: 420_000}, () => {
	let status: LabStatus;
	let password: string;
	let configs: Record<string, string>;
	let pane: Pane | undefined;

	const sql = (port: number, statement: string) => psql(port, statement, 'postgres', password);
	const leaderOf = (scope: string, role = 'Leader') => leaderIn(configs[scope]!, role);

	before(async () => {
		({status, password, configs} = await labUp(['--standby', '--clusters', '3']));
	});

	after(async () => {
		await pane?.stop();
		await labDestroy();
	});

	it('lists the standby and the clusters (scope, ports, patronictl config each), all running; a second lab up keeps them', async () => {
		assert.equal(status.standby?.scope, 'labfleet-standby');
		assert.deepEqual(status.standby?.replicatesFrom, status.haproxy.primary);
		assert.deepEqual(status.clusters?.map(cluster => cluster.scope), ['labfleet-2', 'labfleet-3']);
		const members = [...status.standby!.members, ...status.clusters!.flatMap(cluster => cluster.members)];
		assert.equal(members.length, 4);
		for (const member of members) assert.equal(member.container?.state, 'running', member.container?.name);
		for (const file of Object.values(configs)) assert.ok(fs.existsSync(file), file);
		const again = await cli(['lab', 'up', ...LAB, '--json'], 120_000);
		assert.equal(again.code, 0, again.stderr);
		assert.doesNotMatch(again.stderr, /created|removing/, 'nothing remade');
		assert.equal((JSON.parse(again.stdout) as LabStatus).standby?.scope, 'labfleet-standby');
	});

	it('refuses a contradiction with exit 2 and a sentence, touching nothing', async () => {
		const refused = await cli(['lab', 'up', ...LAB, '--clusters', '2'], 60_000);
		assert.equal(refused.code, 2);
		assert.match(refused.stderr, /was made with --clusters 3\. Use that, or "lab destroy" it first/);
		assert.equal(JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'lab.json'), 'utf8')).clusters, 3);
	});

	it("patronictl names a leader in each primary cluster and a Standby Leader in the standby, each by its own config", async () => {
		for (const scope of ['labfleet', 'labfleet-2', 'labfleet-3']) assert.ok(await leaderOf(scope), scope);
		const standby = await ctlList(configs['labfleet-standby']!);
		// Either member may take the standby's initialize key first and lead it.
		assert.deepEqual(standby.map(member => member.Member).sort(), ['node1', 'node2']);
		assert.deepEqual(standby.map(member => `${member.Role}:${member.State}`).sort(), ['Replica:running', 'Standby Leader:running']);
	});

	it("replicates from the lab's leader through HAProxy: a row written there reaches the standby leader", async () => {
		const standbyLeader = await leaderOf('labfleet-standby', 'Standby Leader');
		await sql(status.haproxy.primary.port, 'create table if not exists fleet_probe (note text)');
		await sql(status.haproxy.primary.port, "insert into fleet_probe values ('before switchover')");
		await waitFor('the row on the standby leader', async () => ((await sql(portOf(standbyLeader), 'select note from fleet_probe')).includes('before switchover') ? true : undefined), 30_000, 500);
		// Its WAL receiver streams from HAProxy's primary listener, and the lab's leader sends to it.
		assert.equal(await psqlValue(portOf(standbyLeader), "select sender_port || ':' || status from pg_stat_wal_receiver", 'postgres', password), `${status.haproxy.primary.port}:streaming`);
		const leader = await leaderOf(SCOPE);
		const senders = await sql(portOf(leader), "select application_name from pg_stat_replication where state = 'streaming' order by 1");
		const replicas = (await ctlList(configs[SCOPE]!)).filter(member => member.Role === 'Replica').map(member => member.Member);
		assert.equal(senders.length, replicas.length + 1, `the lab's replicas and the standby: ${senders.join(', ')}`);
		assert.ok(senders.includes(standbyLeader.Member), "the standby leader's connection (application_name its member name)");
	});

	it("the standby cluster's own monitor: its lag from the standby leader goes up while replay is held and back to 0, as the primary's pg_stat_replication says", async () => {
		const standbyLeader = await leaderOf('labfleet-standby', 'Standby Leader');
		const leader = await leaderOf(SCOPE);
		type Seen = {leader?: string; standby?: {source?: string; receiverStatus?: string; lagBytes?: number}; alerts: Array<{id: string; message: string}>};
		const seen = async (): Promise<Seen> => {
			const args = [CLI, '--etcd', status.etcd.endpoints[0]!, '--scope', 'labfleet-standby', '--json'];
			const {stdout} = await run(process.execPath, args, {env: {...process.env, PGPASSWORD: password}, timeout: 30_000}).catch((error: {stdout?: string}) => ({stdout: error.stdout ?? '{}'}));
			return JSON.parse(stdout) as Seen;
		};
		// The held standby's row is the one behind; the lab's own replicas (maybe of the same member name) are not.
		const primarySays = async () => Math.max(0, ...(await sql(portOf(leader), 'select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint from pg_stat_replication')).map(Number));
		const streaming = await waitFor('the standby monitor: streaming, caught up', async () => {
			const now = await seen();
			return now.standby?.receiverStatus === 'streaming' && now.standby.lagBytes === 0 ? now : undefined;
		}, 60_000, 500);
		assert.equal(streaming.leader, standbyLeader.Member);
		assert.equal(streaming.standby?.source, `127.0.0.1:${status.haproxy.primary.port}`);
		// Replay held by SIGSTOP of the standby leader's startup process: Patroni resumes a pg_wal_replay_pause() on
		// PostgreSQL 14+ within a loop (handle_parameter_change), so a pause would not last. The receiver goes on.
		const container = status.standby!.members.find(member => member.name === standbyLeader.Member)!.container!.id;
		const startup = await psqlValue(portOf(standbyLeader), "select pid from pg_stat_activity where backend_type = 'startup'", 'postgres', password);
		assert.match(startup, /^\d+$/);
		await dockerCli(['exec', container, 'sh', '-c', `kill -STOP ${startup}`]);
		try {
			await sql(status.haproxy.primary.port, "create table fleet_lag as select g, repeat('x', 200) as pad from generate_series(1, 20000) g");
			const behind = await waitFor('the lag on the standby monitor', async () => {
				const now = await seen();
				return (now.standby?.lagBytes ?? 0) > 2_000_000 ? now : undefined;
			}, 30_000, 500);
			const primary = await primarySays();
			assert.ok(Math.abs(behind.standby!.lagBytes! - primary) < 512 * 1024, `the standby monitor says ${behind.standby!.lagBytes} bytes behind, the primary ${primary}`);
			assert.ok(behind.alerts.some(alert => alert.id === 'standby-lag'), JSON.stringify(behind.alerts));
		} finally {
			await dockerCli(['exec', container, 'sh', '-c', `kill -CONT ${startup}`]);
		}
		await waitFor('the lag back to 0 on the standby monitor', async () => ((await seen()).standby?.lagBytes === 0 ? true : undefined), 30_000, 500);
		await waitFor("the primary's word: replayed", async () => ((await primarySays()) < 64 * 1024 ? true : undefined), 30_000, 500);
		await sql(status.haproxy.primary.port, 'drop table fleet_lag');
	});

	it('prints the fleet: every scope with the leader patronictl names, the standby as kind standby', async () => {
		const rows = await fleetJson();
		assert.deepEqual(rows.map(row => row.scope).sort(), SCOPES);
		for (const row of rows) {
			const named = (await ctlList(configs[row.scope]!)).find(member => member.Role === 'Leader' || member.Role === 'Standby Leader');
			assert.equal(row.leader, named?.Member, row.scope);
			assert.equal(row.severity, 'ok', row.scope);
		}
		const standby = rows.find(row => row.scope === 'labfleet-standby')!;
		assert.equal(standby.kind, 'standby');
		assert.ok(rows.filter(row => row.scope !== 'labfleet-standby').every(row => row.kind === 'primary'));
		assert.ok([SCOPE, `127.0.0.1:${status.haproxy.primary.port}`].includes(standby.standbySource ?? ''), standby.standbySource);
	});

	it("names the standby's primaryScope labfleet (it replicates through HAProxy: found by the system identifier both share)", async () => {
		const standby = (await fleetJson()).find(row => row.scope === 'labfleet-standby');
		assert.equal(standby?.primaryScope, SCOPE);
	});

	it('lists the scopes in tmux at 120x40; Enter opens a cluster (its header starts with the scope), Esc goes back', async () => {
		const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-fleet-')), 'events.log');
		pane = await startPane('labfleet', [process.execPath, CLI, '--lab', ...LAB, '--all', '--log-file', logFile], {CI: 'true'}, {columns: 120, rows: 40});
		const rowsOf = (screen: string) => [...screen.matchAll(/^[ ›]● (?:└ )?(\S+)/gm)].map(match => match[1]!);
		const fleet = await pane.waitForScreen('the fleet of four scopes', screen => rowsOf(screen).length === 4, 30_000);
		assert.deepEqual([...rowsOf(fleet)].sort(), SCOPES);
		const target = rowsOf(fleet).indexOf('labfleet-2');
		await pane.keys(...Array.from({length: target}, () => 'Down'), 'Enter');
		await pane.waitForScreen("labfleet-2's dashboard", screen => screen.startsWith('labfleet-2 │') && /leader node1/.test(screen), 20_000);
		await pane.keys('Escape');
		await pane.waitForScreen('the fleet again', screen => screen.startsWith('fleet ·') && rowsOf(screen).length === 4, 20_000);
		await pane.stop();
		pane = undefined;
	});

	it("survives a switchover in the lab: the standby follows the new leader through HAProxy", async () => {
		const leader = await leaderOf(SCOPE);
		const candidate = (await ctlList(configs[SCOPE]!)).find(member => member.Role === 'Replica')!.Member;
		await run('patronictl', ['-c', configs[SCOPE]!, 'switchover', SCOPE, '--leader', leader.Member, '--candidate', candidate, '--force'], {timeout: 60_000});
		await waitFor('the new leader', async () => ((await leaderOf(SCOPE)).Member === candidate ? true : undefined), 60_000, 500);
		await waitFor('a write through HAProxy', async () => (await sql(status.haproxy.primary.port, "insert into fleet_probe values ('after switchover')"), true), 60_000, 500);
		const standbyLeader = await leaderOf('labfleet-standby', 'Standby Leader');
		await waitFor('the new row on the standby leader', async () => ((await sql(portOf(standbyLeader), 'select note from fleet_probe')).includes('after switchover') ? true : undefined), 60_000, 500);
		// Its WAL receiver streams again, on the lab's new timeline (Patroni's TL for a standby follows only later).
		const timeline = (await leaderOf(SCOPE)).TL;
		assert.ok(timeline !== undefined && timeline > 1, `the lab's timeline after a switchover: ${timeline}`);
		const receiving = "select status || ':' || received_tli from pg_stat_wal_receiver";
		await waitFor('the standby on the new timeline', async () => ((await sql(portOf(standbyLeader), receiving))[0] === `streaming:${timeline}` ? true : undefined), 30_000, 500);
		assert.ok((await ctlList(configs['labfleet-standby']!)).every(member => member.State === 'running'));
	});

	it("puts a small cluster whose only member is killed first in the fleet, critical, within 20 s; lab up brings it back", async () => {
		await dockerCli(['kill', 'patroni-tui-labfleet-3-node1']);
		const killed = Date.now();
		const rows = await waitFor('labfleet-3 first and critical', async () => {
			const found = await fleetJson();
			return found[0]?.scope === 'labfleet-3' && found[0].severity === 'critical' ? found : undefined;
		}, 20_000, 500);
		assert.ok(Date.now() - killed <= 20_000);
		assert.equal(rows[0]?.leader, undefined);
		const up = await cli(['lab', 'up', ...LAB], 360_000);
		assert.equal(up.code, 0, up.stderr);
		assert.match(up.stderr, /starting patroni-tui-labfleet-3-node1/);
		assert.equal((await leaderOf('labfleet-3')).Member, 'node1');
	});
});

// The same clusters on TLS: the lab's CA and files for each, the standby's stream through HAProxy verify-full.
describe('lab up --tls --standby --clusters 2', {timeout: 420_000}, () => {
	let status: LabStatus;
	let password: string;
	let configs: Record<string, string>;

	before(async () => {
		({status, password, configs} = await labUp(['--tls', '--standby', '--clusters', '2']));
		trustLab(status, STATE_DIR);
		const extra = [...status.standby!.members, ...status.clusters!.flatMap(cluster => cluster.members)];
		trustEndpoints([...extra.map(member => member.restApi), ...extra.map(member => `${member.postgres.host}:${member.postgres.port}`)], labTlsFiles(STATE_DIR));
	});

	after(labDestroy);

	it('patronictl over TLS names each leader; a row through HAProxy reaches the standby leader, whose WAL stream is on SSL', async () => {
		assert.equal(status.tls.enabled, true);
		for (const scope of ['labfleet', 'labfleet-2']) assert.ok(await leaderIn(configs[scope]!), scope);
		const standbyLeader = await leaderIn(configs['labfleet-standby']!, 'Standby Leader');
		const sql = (port: number, statement: string) => psql(port, statement, 'postgres', password);
		await sql(status.haproxy.primary.port, "create table fleet_tls (note text); insert into fleet_tls values ('on tls')");
		await waitFor('the row on the standby leader', async () => ((await sql(portOf(standbyLeader), 'select note from fleet_tls')).includes('on tls') ? true : undefined), 30_000, 500);
		const receiver = "select status || ':' || (conninfo ~ 'sslmode=verify-full') from pg_stat_wal_receiver";
		assert.deepEqual(await sql(portOf(standbyLeader), receiver), ['streaming:true']);
		const leader = await leaderIn(configs[SCOPE]!);
		const senders = "select count(*) || ':' || bool_and(s.ssl) from pg_stat_replication r join pg_stat_ssl s using (pid)";
		assert.deepEqual(await sql(portOf(leader), senders), ['3:true'], "the lab's two replicas and the standby, all on SSL");
	});
});
