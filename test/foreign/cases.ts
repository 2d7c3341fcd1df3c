/**
 * The foreign-cluster cases, shared by the etcd v3 and v2 files: what the monitor shows and does on a cluster the
 * project did not make, each outcome checked with patronictl, psql, etcdctl or Patroni's REST API.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {choose, confirm} from '../helpers/dialog-keys.js';
import type {ForeignCluster} from '../helpers/foreign-cluster.js';
import {CLI, waitFor} from '../helpers/lab.js';
import {restLeader} from '../helpers/rest-witness.js';
import type {Notes} from './report.js';
import {bytesOf, memberRow, selectMember, type ForeignMonitor} from './session.js';
import {memberKeys, patronictl, patronictlLeader, patronictlList, type PatronictlMember} from './witness.js';

const run = promisify(execFile);

export const JSON_PROVES = 'the one-shot snapshot names the leader, roles, TL and lag (within 1 MB) patronictl list -f json gives; state healthy';
export const SCREEN_PROVES = 'the Members table shows the leader, roles, TL and replay lag patronictl list -f json gives';
export const NO_CONTAINER_PROVES = "with the lab's node1..3 containers on the same engine (docker ps), --json matches no container to a member and lists none; the screen names none";
export const LOST_PROVES = 'once etcdctl shows the member key gone, the row stays "lost · last seen" with its role and TL (still 5 s on) and the event log says so; restarted, it streams (REST) and the row is itself again';
export const SWITCHOVER_PROVES = 'patronictl and REST name the chosen replica leader';
export const FLEET_PROVES = 'the fleet (--json, no scope) on its etcd lists its scope with the leader and members patronictl names, exit 0';
const MiB = 1024 * 1024;
const patronictlRole = (member: PatronictlMember) => (member.Role === 'Leader' ? 'leader' : 'replica');
const patronictlLag = (member: PatronictlMember) => (member.Role === 'Leader' ? undefined : Number(member['Lag in MB']));

/** `--json` names the leader, roles, timelines and lag patronictl list -f json gives. */
export async function jsonAgreesWithPatronictl(session: ForeignMonitor): Promise<void> {
	const snapshot = await session.json();
	const listed = await patronictlList(session.cluster);
	assert.deepEqual(snapshot.members.map(member => `${member.name}:${member.role}:${member.timeline}`).sort(), listed.map(member => `${member.Member}:${patronictlRole(member)}:${member.TL}`).sort());
	assert.equal(snapshot.leader, listed.find(member => member.Role === 'Leader')?.Member);
	for (const member of listed.filter(row => row.Role !== 'Leader')) {
		const row = snapshot.members.find(candidate => candidate.name === member.Member)!;
		assert.ok(row.replayLagBytes !== undefined, `${member.Member}'s lag is known (SQL with PGPASSWORD)`);
		assert.ok(Math.abs(row.replayLagBytes / MiB - patronictlLag(member)!) <= 1, `${member.Member}: ${row.replayLagBytes} B vs patronictl's ${member['Lag in MB']} MB`);
	}
	assert.equal(snapshot.state, 'healthy', JSON.stringify(snapshot.alerts));
}

/** The screen's Members table says what patronictl says. */
export async function screenAgreesWithPatronictl(session: ForeignMonitor): Promise<void> {
	const listed = await patronictlList(session.cluster);
	const leader = listed.find(member => member.Role === 'Leader')?.Member;
	const screen = await session.pane.waitForScreen(`the header naming ${leader}`, text => text.includes(`leader ${leader} `), 10_000);
	for (const member of listed) {
		const row = memberRow(screen, member.Member) ?? assert.fail(`no row for ${member.Member}:\n${screen}`);
		assert.equal(row.role, patronictlRole(member), row.line);
		assert.equal(row.timeline, String(member.TL), row.line);
		const lag = patronictlLag(member);
		if (lag !== undefined) {
			const bytes = bytesOf(row.replayLag) ?? assert.fail(`${member.Member}'s replay lag on screen: "${row.replayLag}"`);
			assert.ok(Math.abs(bytes / MiB - lag) <= 1, `${row.replayLag} vs patronictl's ${lag} MB`);
		}
	}
}

/** Not one container is this cluster's (it runs none), though the lab's node1..3 containers run on the same engine. */
export async function noContainerClaimed(session: ForeignMonitor, labScope: string): Promise<void> {
	// Present, whatever their state: another suite sharing the lab may be stopping one of them right now.
	const {stdout} = await run('docker', ['ps', '--all', '--filter', `name=patroni-tui-${labScope}-node`, '--format', '{{.Names}}'], {timeout: 15_000});
	assert.equal(stdout.split('\n').filter(Boolean).length, 3, `the lab's member containers are on the engine beside the foreign cluster: ${stdout}`);
	const snapshot = await session.json();
	assert.deepEqual(snapshot.members.filter(member => member.container).map(member => `${member.name} → ${member.container!.name}`), []);
	assert.deepEqual(snapshot.containers.map(container => container.name), []);
	const {pane} = session;
	await pane.keys('6');
	const screen = await pane.screen();
	assert.ok(!screen.includes(labScope), `the screen names no container of the lab:\n${screen}`);
	for (const member of session.cluster.members) {
		const row = memberRow(screen, member.name) ?? assert.fail(`no row for ${member.name}`);
		assert.match(row.container, /^(–|)$/, `${member.name} shows no container: ${row.line}`);
	}
}

/** The status bar's message: what comes before the key hints on the last line. */
function statusMessage(screen: string): string | undefined {
	const last = screen.split('\n').filter(line => line.trim() !== '').at(-1) ?? '';
	return last.includes('  │ ') ? last.slice(0, last.indexOf('  │ ')).trim() : undefined;
}

/** `c` opens no container choice and says why (in the status bar). */
export async function containerKeySaysWhy(session: ForeignMonitor, notes: Notes): Promise<void> {
	const {pane} = session;
	await pane.keys('1', 'c');
	const screen = await pane.waitForScreen('c to answer', text => statusMessage(text) !== undefined || text.includes('Which container?'), 5000);
	assert.ok(!screen.includes('Which container?'), `no container is offered:\n${screen}`);
	const message = statusMessage(screen) ?? '';
	assert.match(message, /container/i, 'the reason names containers');
	notes.text = `"${message}"`;
	await pane.keys('Escape');
}

/**
 * kill -9 of a replica's Patroni and postmaster: once etcdctl shows its member key gone, the row is still there,
 * "lost", with its last role and timeline; started again, it streams (per REST) and the row is itself again.
 */
export async function killedMemberStaysLost(session: ForeignMonitor, notes: Notes): Promise<void> {
	const {pane, cluster} = session;
	const victim = await session.aReplica();
	const before = memberRow(await pane.screen(), victim) ?? assert.fail(`no row for ${victim}`);
	const from = session.logLines().length;
	const killedAt = Date.now();
	await cluster.killMember(victim);
	let isRestarted = false;
	try {
		const keyGoneAt = await waitFor(`etcd to drop ${victim}'s member key (TTL 15 s)`, async () => ((await memberKeys(cluster)).includes(victim) ? undefined : Date.now()), 40_000, 250);
		const since = (at: number) => `${((Date.now() - at) / 1000).toFixed(1)} s`;
		notes.text = `${victim} killed; its key gone after ${since(killedAt)}`;
		const screen = await pane.waitForScreen(`${victim} in the table as lost`, text => memberRow(text, victim)?.state === 'lost', 15_000);
		notes.text += `; "lost" on screen ${since(keyGoneAt)} after that`;
		const lost = memberRow(screen, victim)!;
		assert.equal(lost.role, before.role, `the last known role: ${lost.line}`);
		assert.equal(lost.timeline, before.timeline, `the last known timeline: ${lost.line}`);
		await selectMember(pane, victim);
		await pane.waitForScreen(`${victim}'s details: lost · last seen`, text => /lost · last seen \d\d:\d\d:\d\d \(/.test(text), 5000);
		await new Promise(resolve => setTimeout(resolve, Math.max(0, keyGoneAt + 5000 - Date.now())));
		assert.equal(memberRow(await pane.screen(), victim)?.state, 'lost', `${victim} is still shown, lost, 5 s after its key went`);
		assert.ok(session.logLines().slice(from).some(line => line.includes(victim) && /lost/i.test(line)), 'the event log records the loss');
		const restartedAt = Date.now();
		isRestarted = true;
		cluster.startMember(victim);
		await cluster.waitForMember(victim, 'replica');
		await session.settled();
		notes.text += `; restarted, streaming and unmarked on screen after ${since(restartedAt)}`;
		assert.ok(session.logLines().slice(from).some(line => line.includes(victim) && /\bback\b/i.test(line)), 'the event log records the return');
	} finally {
		// A failed assertion must not leave the cluster a member short for the cases after it.
		if (!isRestarted) cluster.startMember(victim);
	}
}

export async function switchoverNow(session: ForeignMonitor): Promise<void> {
	const {pane} = session;
	const from = await session.leader();
	const to = await session.aReplica();
	await session.succeeds('switchover', async () => {
		await pane.keys('s');
		await choose(pane, 'Switchover: choose the new leader', to);
		await choose(pane, `Switchover ${from} → ${to}: when?`, 'now');
		await confirm(pane, `Switchover ${from} → ${to}?`);
	});
	await waitFor(`patronictl to name ${to} the leader`, async () => ((await patronictlLeader(session.cluster)) === to ? true : undefined), 30_000);
	assert.equal(await restLeader(session.restUrls), to, 'REST agrees');
}

export async function pauseAndResume(session: ForeignMonitor): Promise<void> {
	const {pane, cluster} = session;
	await session.succeeds('pause', async () => {
		await pane.keys('p');
		await confirm(pane, `Pause ${cluster.spec.scope}?`);
	});
	assert.match(await patronictl(cluster, ['list']), /Maintenance mode: on/);
	await pane.waitForScreen('the monitor to see the pause', screen => /paused/i.test(screen), 10_000);
	await session.succeeds('resume', async () => {
		await pane.keys('p');
		await confirm(pane, `Resume ${cluster.spec.scope}?`);
	});
	assert.doesNotMatch(await patronictl(cluster, ['list']), /Maintenance mode: on/);
}

/** The fleet read from the cluster's own etcd, with no scope given: its one row agrees with patronictl. */
export async function fleetAgreesWithPatronictl(cluster: ForeignCluster, api: 'etcd3' | 'etcd2'): Promise<void> {
	const args = [CLI, '--etcd', cluster.etcdEndpoint, '--etcd-api', api, '--all', '--json'];
	const {stdout} = await run(process.execPath, args, {timeout: 30_000});
	const rows = JSON.parse(stdout) as Array<{scope: string; leader?: string; membersUp: number; membersTotal: number; severity: string}>;
	const listed = await patronictlList(cluster);
	assert.deepEqual(rows.map(row => row.scope), [cluster.spec.scope]);
	assert.equal(rows[0]!.leader, listed.find(member => member.Role === 'Leader')?.Member);
	assert.deepEqual([rows[0]!.membersUp, rows[0]!.membersTotal], [listed.filter(member => member.State === 'running' || member.State === 'streaming').length, listed.length]);
}
