/**
 * The built monitor in a tmux pane, attached to the test lab by whatever the case gives it (flags, a config file,
 * the environment), with what its cases share: the cluster settled before each one, an operation's end read off
 * the monitor's event log (only to know when to look; outcomes are checked from outside), the lab's members.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {CLI, ensureTestLab, testLabSecrets, waitFor} from './lab.js';
import {psqlValue} from './psql-witness.js';
import {restCluster, restLeader} from './rest-witness.js';
import {startPane, type Pane} from './tmux-pane.js';
import {logFileLines} from './log-lines.js';

export type KeyedMonitor = {
	readonly pane: Pane;
	readonly status: LabStatus;
	readonly restUrls: readonly string[];
	readonly logLines: () => string[];
	readonly portOf: (member: string) => number;
	readonly everyPort: () => number[];
	readonly leader: () => Promise<string>;
	readonly aReplica: () => Promise<string>;
	/** Escape any dialog; wait for a leader with every replica streaming on its timeline, and for the monitor to see it. */
	readonly settled: () => Promise<void>;
	/** Runs `act` (the keys), waits for the operation it starts to end, and expects it to have succeeded. */
	readonly succeeds: (title: string, act: () => Promise<void>, timeoutMs?: number) => Promise<void>;
};

/** `files` are written into the session's own HOME (0600), and `args(home, files)` says how the monitor is started. */
export async function startKeyedMonitor(name: string, files: Record<string, (status: LabStatus) => string>, args: (home: string, status: LabStatus) => string[], env: (home: string) => Record<string, string>): Promise<KeyedMonitor> {
	const status = await ensureTestLab();
	const restUrls = status.members.map(member => member.restApi);
	// HOME is an empty directory of the session's own: no config of this machine's user is found by accident.
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
	for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(home, file), content(status), {mode: 0o600});
	const logFile = path.join(home, 'events.log');
	const pane = await startPane(name, [process.execPath, CLI, ...args(home, status), '--log-file', logFile], {HOME: home, PGPASSWORD: testLabSecrets().superuserPassword, ...env(home)});
	await pane.waitForScreen('the first frame naming a leader', screen => /leader node\d/.test(screen) && /REST \d/.test(screen), 60_000);

	const portOf = (member: string) => status.members.find(candidate => candidate.name === member)?.postgres.port ?? assert.fail(`no lab member ${member}`);
	const everyPort = () => status.members.map(member => member.postgres.port);
	const logLines = () => logFileLines(logFile);

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
		// So that every member is offered where a case expects it.
		await pane.waitForScreen('the monitor to see a healthy cluster', screen => screen.includes('● healthy') && screen.includes('✓ no alerts'), 30_000);
	}

	async function succeeds(title: string, act: () => Promise<void>, timeoutMs = 120_000): Promise<void> {
		const from = logLines().length;
		await act();
		const end = await waitFor(`"${title}" to end`, async () => logLines().slice(from).find(line => line.includes(': done — ') || line.includes(': FAILED — ')), timeoutMs, 200);
		assert.match(end, / done — /, `${title}: ${end}`);
	}

	return {
		pane,
		status,
		restUrls,
		logLines,
		portOf,
		everyPort,
		leader: async () => (await restLeader(restUrls)) ?? assert.fail('the cluster has a leader'),
		aReplica: async () => (await restCluster(restUrls)).members.find(member => member.role === 'replica')?.name ?? assert.fail('the cluster has a replica'),
		settled,
		succeeds,
	};
}

/** patronictl.yaml with nothing but the REST credentials (as `restapi.authentication`). */
export function restCredentialsYaml(): string {
	const {restApiUsername, restApiPassword} = testLabSecrets();
	return `restapi:\n  authentication:\n    username: ${restApiUsername}\n    password: ${restApiPassword}\n`;
}
