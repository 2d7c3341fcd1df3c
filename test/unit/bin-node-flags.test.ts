/**
 * The installed command starts node with --no-memory-reducer from its first line (source/launch/launcher.ts explains why):
 * V8 takes the flag only at start, so it must reach the process as the kernel runs the file, not from inside it.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import {describe, it} from 'node:test';

const BIN = 'dist/patroni-tui.js';
const skip = !fs.existsSync(BIN) && 'not built';

/** A loopback port with nothing listening, so the monitor's sources keep retrying while we look at the process. */
async function closedPort(): Promise<number> {
	const server = net.createServer().listen(0, '127.0.0.1');
	await new Promise(resolve => server.once('listening', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

describe('the installed command’s Node flags', () => {
	it('its first line runs node with --no-memory-reducer', {skip}, () => {
		const firstLine = fs.readFileSync(BIN, 'utf8').split('\n', 1)[0];
		assert.equal(firstLine, '#!/usr/bin/env -S node --no-memory-reducer');
	});

	it('run as a program, the node it becomes has the flag', {skip}, async () => {
		const port = await closedPort();
		const child = spawn(BIN, ['--json', '--etcd', `127.0.0.1:${port}`, '--scope', 'none', '--rest', `http://127.0.0.1:${port}`], {stdio: 'ignore'});
		try {
			// env execs node in place: same pid. Wait until it has become node (its cmdline names the bundle).
			let commandLine = '';
			for (let tries = 0; tries < 100 && !commandLine.includes(BIN); tries++) {
				await new Promise(resolve => setTimeout(resolve, 20));
				try {
					commandLine = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
				} catch {
					break; // Gone already: the assertion below says what was seen.
				}
			}
			assert.match(commandLine, /\bnode --no-memory-reducer \S*dist\/patroni-tui\.js --json/);
		} finally {
			child.kill('SIGTERM');
		}
	});
});
