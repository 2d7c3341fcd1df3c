import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {CLI, ensureTestLab, labArgs, waitFor} from '../helpers/lab.js';
import {restLeader as restWitnessLeader} from '../helpers/rest-witness.js';

const exec = promisify(execFile);
const SESSION = `patroni-tui-e2e-${process.pid}`;
// A tmux server of our own (its own socket): one that was already running — a CI harness's, a user's — would start
// the monitor with its environment, not ours, and we must only ever stop what we started.
const SOCKET = SESSION;

async function tmux(...args: string[]): Promise<string> {
	return (await exec('tmux', ['-L', SOCKET, ...args], {timeout: 10_000})).stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

// On a timeout, the failure shows what the terminal showed: that is the only clue a CI log can carry.
async function waitForScreen(what: string, probe: () => Promise<true | undefined>, timeoutMs: number): Promise<void> {
	try {
		await waitFor(what, probe, timeoutMs);
	} catch (error) {
		const last = await screen().catch(reason => `(no screen: ${String(reason)})`);
		throw new Error(`${(error as Error).message}\n--- the screen ---\n${last}`);
	}
}

/** The leader per Patroni's REST API, read through fetch (test/helpers/rest-witness.ts), not our client. */
async function restLeader(status: LabStatus): Promise<string | undefined> {
	return restWitnessLeader(status.members.map(member => member.restApi)).catch(() => undefined);
}

// The product as a person uses it: the built binary in a real terminal (tmux, 80x24), keys typed, the screen read.
describe('end to end in tmux at 80x24', {timeout: 240_000}, () => {
	let status: LabStatus;
	const exitFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-e2e-')), 'exit-code');

	before(async () => {
		status = await ensureTestLab();
		// CI=true as CI machines set it: Ink would then draw nothing until exit, and the monitor must draw anyway.
		const command = `CI=true ${process.execPath} ${CLI} --lab ${labArgs().join(' ')} --log-file ${path.dirname(exitFile)}/events.log; echo $? > ${exitFile}; sleep 30`;
		await tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', command);
		// A busy machine (or a cluster still settling after the suites before) may take a while to draw it all.
		await waitForScreen('the first frame naming a leader', async () => (/leader node\d/.test(await screen()) ? true : undefined), 60_000);
	});

	after(async () => {
		await tmux('kill-server').catch(() => undefined);
	});

	it('switchover by keys: s, Enter, Enter, y — and Patroni agrees', async () => {
		const leader = (await restLeader(status))!;
		const frame = await screen();
		const lines = frame.trimEnd().split('\n');
		assert.ok(lines.length <= 23, `the frame is ${lines.length} lines: never as tall as the terminal`);
		assert.ok(lines.every(line => [...line].length <= 80), 'no line wider than the terminal');
		assert.match(frame, new RegExp(`leader ${leader}`));
		// The cursor starts on the first member; it is offered first when it may take over.
		const candidate = status.members.map(m => m.name).find(name => name !== leader)!;
		await tmux('send-keys', '-t', SESSION, 's');
		await waitForScreen('the candidate list', async () => ((await screen()).includes('choose the new leader') ? true : undefined), 5000);
		await tmux('send-keys', '-t', SESSION, 'Enter');
		await waitForScreen('the time question', async () => ((await screen()).includes('when?') ? true : undefined), 5000);
		await tmux('send-keys', '-t', SESSION, 'Enter');
		await waitForScreen('the confirmation naming the target', async () => ((await screen()).includes(`Switchover ${leader} → ${candidate}?`) ? true : undefined), 5000);
		await tmux('send-keys', '-t', SESSION, 'y');
		await waitFor('Patroni to name the candidate', async () => ((await restLeader(status)) === candidate ? true : undefined), 60_000);
		await waitForScreen('the screen to show it', async () => ((await screen()).includes(`leader ${candidate}`) ? true : undefined), 10_000);
	});

	it('q quits with exit code 0', async () => {
		await tmux('send-keys', '-t', SESSION, 'q');
		const code = await waitFor('the exit code', async () => (fs.existsSync(exitFile) ? fs.readFileSync(exitFile, 'utf8').trim() : undefined), 10_000);
		assert.equal(code, '0');
	});
});
