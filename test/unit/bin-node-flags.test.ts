/**
 * The installed command starts node with its flags from its first line (source/launch/launcher.ts says why each):
 * V8 takes them only at start, so they must reach the process as the kernel runs the file, not from inside it.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import {describe, it} from 'node:test';

const BIN = 'dist/patroni-tui.js';
const FLAGS = '--no-memory-reducer --max-semi-space-size=2 --v8-pool-size=1';
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
	it('its first line runs node with its flags', {skip}, () => {
		const firstLine = fs.readFileSync(BIN, 'utf8').split('\n', 1)[0];
		assert.equal(firstLine, `#!/usr/bin/env -S node ${FLAGS}`);
	});

	it('run as a program, the node it becomes has the flags', {skip}, async () => {
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
			assert.ok(commandLine.includes(`node ${FLAGS} `) && commandLine.includes('dist/patroni-tui.js --json'), commandLine);
		} finally {
			child.kill('SIGTERM');
		}
	});
});
