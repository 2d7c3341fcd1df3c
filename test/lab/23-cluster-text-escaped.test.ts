// Text from the cluster never drives the engineer's terminal (issue 19): beside the test lab, member keys of a scope
// of the test's own, on a lease, carry a tag holding an OSC title sequence and a clear-screen sequence, a member
// name with a carriage return, and a key whose value holds a C1 CSI. The built command runs in a real terminal (a
// tmux pane): the screen shows each escaped, tmux's pane title is not the one the tag asks for, and the event log
// holds the escapes and no raw control character.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {CLI, ensureTestLab, waitFor} from '../helpers/lab.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';

const run = promisify(execFile);
const SCOPE = `escape${process.pid}`;
const PREFIX = `/service/${SCOPE}`;
const PANE = `patroni-tui-escape-${process.pid}`;
const TAG = '\u001b]0;x\u0007\u001b[2Jboom';
const SHOWN_TAG = '\\x1b]0;x\\x07\\x1b[2Jboom';

async function etcdctl(status: LabStatus, args: readonly string[]): Promise<string> {
	const {stdout} = await run('etcdctl', ['--endpoints', status.etcd.endpoints[0]!, ...args], {env: {...process.env, ETCDCTL_API: '3'}, timeout: 15_000});
	return stdout.trim();
}

/** A member key as Patroni 3 writes it with etcd3, at ports nothing listens on (its REST and SQL just fail). */
function memberKey(port: number, tags: Record<string, string> = {}): string {
	return JSON.stringify({conn_url: `postgres://127.0.0.1:${port}/postgres`, api_url: `http://127.0.0.1:${port + 1}/patroni`, state: 'running', role: 'replica', version: '3.0.2', timeline: 1, tags});
}

/** Any control character but the newlines between lines: none may come from the cluster. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

describe('text from the cluster is shown escaped, on a real terminal and in the log', () => {
	let status: LabStatus;
	let lease: string | undefined;
	let pane: Pane | undefined;
	let home: string;
	let logFile: string;

	before(async () => {
		status = await ensureTestLab();
		lease = (await etcdctl(status, ['lease', 'grant', '600'])).match(/lease ([0-9a-f]+) granted/)?.[1];
		assert.ok(lease, 'etcd granted a lease');
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/members/aevil`, memberKey(28_431, {note: TAG})]);
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/members/b\rbad`, memberKey(28_433)]);
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/notes`, 'raw\u009b2J']);
		home = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-escape-'));
		logFile = path.join(home, 'events.log');
		// No code cache: a monitor killed with the pane could write one into the folder after it is removed.
		pane = await startPane(PANE, [process.execPath, CLI, '--etcd', status.etcd.endpoints[0]!, '--scope', SCOPE, '--log-file', logFile], {HOME: home, PATRONI_TUI_CODE_CACHE: 'off'});
	});

	after(async () => {
		await pane?.stop();
		if (status) await etcdctl(status, ['del', '--prefix', `${PREFIX}/`]).catch(() => undefined);
		if (lease && status) await etcdctl(status, ['lease', 'revoke', lease]).catch(() => undefined);
		if (home) fs.rmSync(home, {recursive: true, force: true});
	});

	it('draws the tag, the member name and the value escaped, and the terminal obeys none of them', async () => {
		const screen = await pane!.waitForScreen('the tag shown escaped', text => text.includes(SHOWN_TAG), 30_000);
		assert.match(screen, /b\\rbad/, 'the member name with its \\r escaped');
		// The etcd pane: focused, the third key (members/aevil, members/b\rbad, notes) selected.
		await pane!.keys('4', 'j', 'j');
		const etcd = await pane!.waitForScreen('the value with its CSI escaped', text => text.includes('raw\\x9b2J'));
		assert.match(etcd, /b\\rbad/);
		// OSC 0 would have set tmux's pane title to "x"; the clear-screen would have wiped the header.
		const {stdout: title} = await run('tmux', ['-L', `${PANE}-${process.pid}`, 'display-message', '-p', '-t', PANE, '#{pane_title}'], {timeout: 10_000});
		assert.notEqual(title.trim(), 'x', 'the pane title was not set by the tag');
		assert.match(etcd.split('\n')[0]!, new RegExp(`^${SCOPE} `), 'the header is still on the first line');
	});

	it('logs a member that joins with an escape sequence in its name escaped, with no raw control character', async () => {
		await etcdctl(status, ['put', '--lease', lease!, `${PREFIX}/members/c\u001b[2Jjoined`, memberKey(28_435)]);
		const logged = await waitFor('the join in the event log', async () => {
			const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
			return text.includes('member joined: c\\x1b[2Jjoined') ? text : undefined;
		}, 30_000);
		assert.doesNotMatch(logged, RAW_CONTROL);
		const screen = await pane!.waitForScreen('the join in the Events pane', text => text.includes('c\\x1b[2Jjoined'));
		assert.ok(screen.includes('c\\x1b[2Jjoined'));
	});
});
