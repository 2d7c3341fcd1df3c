/**
 * Nothing hangs, and a quit leaves a trace. The built monitor in a real terminal (tmux, 160x48) on the test lab:
 * - a replica's postmaster SIGSTOPped (docker exec kill -STOP) during a replication check started from the keys,
 *   then q: the process exits within 2 s, the terminal is sane again (icanon, echo), the cluster is unchanged
 *   per patronictl list;
 * - SIGTERM in the middle of a rolling restart: exit code 143, the terminal sane, and the event log names the
 *   members restarted and those still pending, which Patroni's REST API confirms.
 * The shell around the command prints its exit code and the terminal's modes once it has ended.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {confirm, editParameter, rollingRestart} from '../helpers/dialog-keys.js';
import {CLI, ensureTestLab, labArgs, patronictl, testLabSecrets, waitFor} from '../helpers/lab.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restLeaderMember} from '../helpers/rest-witness.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';
import {logFileLines} from '../helpers/log-lines.js';

const run = promisify(execFile);

type Session = {readonly pane: Pane; readonly pid: () => Promise<number>; readonly logLines: () => string[]; readonly home: string};

/** The monitor on the lab in a pane; the shell says `EXIT=<code>` and the terminal's modes after it ends. */
async function startMonitor(name: string): Promise<Session> {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
	const logFile = path.join(home, 'events.log');
	const pidFile = path.join(home, 'shell.pid');
	const command = [process.execPath, CLI, '--lab', ...labArgs(), '--log-file', logFile].map(word => `'${word}'`).join(' ');
	const script = `echo $$ > '${pidFile}'; ${command}; echo "EXIT=$?"; echo "MODES=$(stty -a | grep -o -- '-\\?icanon\\|-\\?echo\\b' | tr '\\n' ' ')"`;
	const pane = await startPane(name, ['bash', '-c', script], {HOME: home, PGPASSWORD: testLabSecrets().superuserPassword});
	await pane.waitForScreen('the first frame naming a leader', screen => /leader node\d/.test(screen) && /REST \d/.test(screen), 60_000);
	// The monitor is the one child of the shell that wrote its pid: found by that parent, never by a name.
	const pid = async () => {
		const shell = fs.readFileSync(pidFile, 'utf8').trim();
		const {stdout} = await run('ps', ['-o', 'pid=', '--ppid', shell]);
		const pids = stdout.split('\n').map(line => Number(line.trim())).filter(Boolean);
		assert.equal(pids.length, 1, `one child of the shell ${shell}: ${stdout}`);
		return pids[0]!;
	};
	const logLines = () => logFileLines(logFile);
	return {pane, pid, logLines, home};
}

/** Waits for the shell's `EXIT=` line: the milliseconds since `since`, the exit code and the terminal's modes. */
async function ended(pane: Pane, since: number): Promise<{ms: number; code: number; modes: string}> {
	const screen = await pane.waitForScreen('the monitor to exit', text => /EXIT=\d+/.test(text) && /MODES=/.test(text), 10_000);
	const ms = Date.now() - since;
	return {ms, code: Number(/EXIT=(\d+)/.exec(screen)![1]), modes: /MODES=(.*)/.exec(screen)![1]!.trim()};
}

/** Patroni's view as patronictl lists it: who, in which role, on which timeline (lag and state come and go). */
async function listed(): Promise<string[]> {
	const members = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string; TL?: number}>;
	return members.map(member => `${member.Member}:${member.Role}:${member.TL ?? '?'}`).sort();
}

async function healthy(status: LabStatus): Promise<void> {
	const urls = status.members.map(member => member.restApi);
	await waitFor('a leader with every replica streaming', async () => {
		const {members} = await restCluster(urls);
		const head = members.find(member => member.role === 'leader');
		if (head?.state !== 'running') return undefined;
		const port = status.members.find(member => member.name === head.name)!.postgres.port;
		const streaming = Number(await psqlValue(port, "select count(*) from pg_stat_replication where state = 'streaming'"));
		return streaming === members.length - 1 ? true : undefined;
	}, 120_000);
}

const postmaster = (container: string, signal: 'STOP' | 'CONT') => run('docker', ['exec', container, 'sh', '-c', `kill -${signal} $(head -1 /lab/data/postmaster.pid)`], {timeout: 15_000});

describe('nothing hangs, and a quit says what it left half-done', {timeout: 600_000}, () => {
	let status: LabStatus;
	const sessions: Session[] = [];

	before(async () => {
		status = await ensureTestLab();
	});

	after(async () => {
		for (const session of sessions) {
			await session.pane.stop();
			fs.rmSync(session.home, {recursive: true, force: true});
		}
	});

	it('q during a replication check with a SIGSTOPped replica exits within 2 s; the cluster is unchanged', async () => {
		await healthy(status);
		const session = await startMonitor('patroni-tui-hang-q');
		sessions.push(session);
		const before = await listed();
		const replica = (await restCluster(status.members.map(member => member.restApi))).members.find(member => member.role === 'replica')!.name;
		const container = status.members.find(member => member.name === replica)!.container!.name;
		await postmaster(container, 'STOP');
		let outcome: {ms: number; code: number; modes: string};
		try {
			await session.pane.keys('t');
			await confirm(session.pane, 'Replication check');
			// The check now waits on the frozen member (its connection gets no answer past the TCP handshake).
			await session.pane.waitForScreen('the check started', screen => screen.includes('started: replication check'), 10_000);
			await new Promise(resolve => setTimeout(resolve, 1000));
			const pressedAt = Date.now();
			await session.pane.keys('q');
			outcome = await ended(session.pane, pressedAt);
		} finally {
			await postmaster(container, 'CONT');
		}
		assert.equal(outcome.code, 0);
		// keys() waits 150 ms after sending for Ink to re-arm: the exit is measured from before that.
		assert.ok(outcome.ms < 2000, `q took ${outcome.ms} ms to end the process`);
		assert.equal(outcome.modes, 'icanon echo', 'the terminal is back in cooked mode with echo');
		const log = session.logLines().join('\n');
		assert.match(log, /q \/ Ctrl-C: quitting; cancelling "replication check/);
		assert.match(log, /replication check[^\n]*interrupted \(q \/ Ctrl-C\)/);
		await healthy(status);
		assert.deepEqual(await listed(), before, 'patronictl list shows the same members, roles and timelines');
	});

	it('SIGTERM during a rolling restart: exit 143, a sane terminal, and the log names the members done and not done', async () => {
		await healthy(status);
		const session = await startMonitor('patroni-tui-hang-term');
		sessions.push(session);
		const urls = status.members.map(member => member.restApi);
		const leader = (await restLeaderMember(urls)) ?? assert.fail('the cluster has a leader');
		const now = Number(await psqlValue(leader.port, 'show max_connections'));
		const value = String(now === 120 ? 110 : 120);
		const edited = session.logLines().length;
		await editParameter(session.pane, 'max_connections', value, 'apply only');
		// The edit's operation ends once every member reports the pending restart: only then is R's slot free.
		await waitFor('the edit to end', async () => session.logLines().slice(edited).find(line => line.includes(`set max_connections = ${value}: done — `)), 120_000, 200);
		await waitFor('every member pending a restart', async () => ((await restCluster(urls)).members.every(member => member.pending_restart) ? true : undefined), 60_000);
		const from = session.logLines().length;
		await rollingRestart(session.pane, 'leader in place');
		// After the first member is back (and before the last): the rolling restart is half-done.
		await waitFor('the first member restarted', async () => (session.logLines().slice(from).some(line => / restarted in \d/.test(line)) ? true : undefined), 180_000, 100);
		const pid = await session.pid();
		const sentAt = Date.now();
		process.kill(pid, 'SIGTERM');
		const outcome = await ended(session.pane, sentAt);
		assert.equal(outcome.code, 143);
		assert.ok(outcome.ms < 2000, `SIGTERM took ${outcome.ms} ms to end the process`);
		assert.equal(outcome.modes, 'icanon echo');
		const log = session.logLines().slice(from).join('\n');
		assert.match(log, /SIGTERM: quitting; cancelling "rolling restart/);
		const said = /interrupted \(SIGTERM\): rolling restart stopped after ([\w, ]+); ([\w, ]+) still pending (?:a restart|restarts)(?: \((\w+): [^)]*was in flight\))?/.exec(log);
		assert.ok(said, `the log says what was done and what was not:\n${log}`);
		const done = said[1]!.split(', ');
		const left = said[2]!.split(', ');
		const inFlight = said[3];
		assert.deepEqual([...done, ...left].sort(), status.members.map(member => member.name).sort(), 'every member is named once');
		// Patroni agrees: those named done run the new value; those named left (but the one in flight) still wait.
		const cluster = await restCluster(urls);
		for (const name of done) assert.ok(!cluster.members.find(member => member.name === name)?.pending_restart, `${name} restarted`);
		for (const name of left.filter(name => name !== inFlight)) {
			assert.ok(cluster.members.find(member => member.name === name)?.pending_restart, `${name} is still pending a restart`);
		}
		// Leave the cluster as found: the members left are restarted by patronictl.
		await healthy(status);
		await patronictl(['restart', status.scope, '--pending', '--force']);
		await waitFor('no member pending a restart', async () => ((await restCluster(urls)).members.every(member => !member.pending_restart) ? true : undefined), 120_000);
		await healthy(status);
	});
});
