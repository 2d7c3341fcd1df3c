/**
 * The built monitor in a tmux pane (160x48) on a foreign cluster, started as its user would: `-c` with the minimal
 * patronictl.yaml, PGPASSWORD set, HOME an empty folder of its own. What its cases share: the cluster settled
 * before each one, an operation's end read off the event log (only to know when to look; outcomes are checked
 * from outside), and a member's row read off the screen by the Members table's column titles.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {ForeignCluster} from '../helpers/foreign-cluster.js';
import {CLI, ensureTestLab, waitFor} from '../helpers/lab.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';
import {logFileLines} from '../helpers/log-lines.js';

const run = promisify(execFile);

export type ForeignMonitor = {
	readonly pane: Pane;
	readonly cluster: ForeignCluster;
	readonly restUrls: readonly string[];
	readonly logLines: () => string[];
	readonly leader: () => Promise<string>;
	readonly aReplica: () => Promise<string>;
	/** `--json` from the same command line, once. */
	readonly json: () => Promise<ClusterSnapshot>;
	/** Escape any dialog; a leader with every replica streaming (per REST), and the monitor showing it so. */
	readonly settled: () => Promise<void>;
	readonly succeeds: (title: string, act: () => Promise<void>, timeoutMs?: number) => Promise<void>;
	/** Ends the tmux server and removes the session's HOME (its event log). */
	readonly stop: () => Promise<void>;
};

export async function startForeignMonitor(name: string, cluster: ForeignCluster): Promise<ForeignMonitor> {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
	const logFile = path.join(home, 'events.log');
	const env = {HOME: home, PGPASSWORD: cluster.secrets.superuserPassword};
	const args = ['-c', cluster.patronictlYaml];
	const pane = await startPane(name, [process.execPath, CLI, ...args, '--log-file', logFile], env);
	await pane.waitForScreen('the first frame naming a leader', screen => /leader node\d/.test(screen) && /REST \d/.test(screen), 60_000);
	const restUrls = cluster.members.map(member => member.restUrl);
	const logLines = () => logFileLines(logFile);

	async function settled(): Promise<void> {
		await pane.keys('Escape');
		const leader = await cluster.waitForStreaming(120_000);
		const {members} = await restCluster(restUrls);
		const timeline = members.find(member => member.name === leader)?.timeline;
		await pane.waitForScreen(`the monitor to show ${leader} leading, healthy, and every member running on TL ${timeline}`, screen => {
			// Healthy with no alert: no member's REST or SQL answer is missing (a restarted Patroni may be slow at first).
			if (!screen.includes(`leader ${leader} `) || !screen.includes('● healthy') || !screen.includes('✓ no alerts')) return false;
			return cluster.members.every(member => {
				const row = memberRow(screen, member.name);
				return row !== undefined && !row.line.includes('lost') && /^(running|streaming)/.test(row.state) && row.timeline === String(timeline);
			});
		}, 30_000);
	}

	async function succeeds(title: string, act: () => Promise<void>, timeoutMs = 120_000): Promise<void> {
		const from = logLines().length;
		await act();
		const end = await waitFor(`"${title}" to end`, async () => logLines().slice(from).find(line => line.includes(': done — ') || line.includes(': FAILED — ')), timeoutMs, 200);
		assert.match(end, / done — /, `${title}: ${end}`);
	}

	async function json(): Promise<ClusterSnapshot> {
		const {stdout} = await run(process.execPath, [CLI, ...args, '--json'], {env: {...process.env, ...env}, timeout: 60_000, maxBuffer: 16 << 20});
		return JSON.parse(stdout) as ClusterSnapshot;
	}

	return {
		pane,
		cluster,
		restUrls,
		logLines,
		json,
		leader: async () => (await restLeader(restUrls)) ?? assert.fail('the cluster has a leader'),
		aReplica: async () => (await restCluster(restUrls)).members.find(member => member.role === 'replica')?.name ?? assert.fail('the cluster has a replica'),
		settled,
		succeeds,
		stop: async () => {
			await pane.stop();
			// The monitor may still be writing its code cache under this HOME as it exits: retry a directory that
			// filled up again while it was being emptied (ENOTEMPTY, seen once).
			fs.rmSync(home, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
		},
	};
}

/**
 * The test lab up beside the foreign cluster. Other suites share it and may be starting or stopping one of its
 * containers at the same moment (lab up then meets "container already started"): a second try settles that.
 */
export async function ensureLabBeside(): Promise<void> {
	try {
		await ensureTestLab();
	} catch {
		await new Promise(resolve => setTimeout(resolve, 3000));
		await ensureTestLab();
	}
}

export type MemberCells = {readonly line: string; readonly role: string; readonly state: string; readonly timeline: string; readonly replayLag: string; readonly container: string};

/**
 * A member's row in the Members table, cut by the header's column titles (left-aligned columns start at their
 * title, right-aligned ones end at it; widths as components/member-columns.ts draws them).
 */
export function memberRow(screen: string, name: string): MemberCells | undefined {
	const lines = screen.split('\n');
	const top = lines.findIndex(line => /\bName\b/.test(line) && /\bRole\b/.test(line) && /\bState\b/.test(line) && /\bTL\b/.test(line));
	if (top < 0) return undefined;
	const header = lines[top]!;
	const at = (title: string) => header.indexOf(title);
	const cut = (line: string, start: number, end: number) => (start < 0 ? '' : line.slice(start, end).trim());
	for (const line of lines.slice(top + 1)) {
		if (line.startsWith('╰')) break;
		if (cut(line, at('Name'), at('Name') + Math.max(4, name.length)) !== name) continue;
		const tlEnd = at('TL') + 2;
		const lagEnd = at('Replay lag') + 'Replay lag'.length;
		return {
			line,
			role: cut(line, at('Role'), at('Role') + 8),
			state: cut(line, at('State'), tlEnd - 4),
			timeline: cut(line, tlEnd - 3, tlEnd),
			replayLag: at('Replay lag') < 0 ? '' : cut(line, lagEnd - 14, lagEnd),
			container: cut(line, at('Container'), at('Container') + 10),
		};
	}
	return undefined;
}

/** Focuses Members and moves the cursor (›) to `name`'s row, so its details show under the table. */
export async function selectMember(pane: Pane, name: string): Promise<void> {
	const isSelected = (screen: string) => /^.{0,3}›/.test(memberRow(screen, name)?.line ?? '');
	await pane.keys('1', 'k', 'k', 'k');
	for (let moves = 0; moves < 4 && !isSelected(await pane.screen()); moves++) await pane.keys('j');
	await pane.waitForScreen(`the cursor on ${name}`, isSelected, 3000);
}

/** "0 B", "1.5 KiB", "12 MiB" as bytes. */
export function bytesOf(text: string): number | undefined {
	const match = /^([\d.]+) (B|KiB|MiB|GiB|TiB)\b/.exec(text.trim());
	if (!match) return undefined;
	return Number(match[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(match[2]!);
}
