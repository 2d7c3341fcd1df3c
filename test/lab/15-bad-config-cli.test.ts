// A bad configuration value stops the built command before it connects to anything: exit 2 and the one sentence,
// while a listener standing in for etcd and the REST API (the file's good values point at it) counts connections.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {CLI} from '../helpers/lab.js';
import {startCountingListener, type CountingListener} from '../helpers/counting-listener.js';

const run = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-bad-config-'));

type Result = {readonly code: number; readonly stdout: string; readonly stderr: string};

async function command(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
	const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PATRONI') && name !== 'DOCKER_HOST'));
	try {
		const {stdout, stderr} = await run(process.execPath, [CLI, ...args], {env: {...clean, ...env}, timeout: 30_000});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
	}
}

describe('a bad configuration value: the message, and no connection attempted', () => {
	let listener: CountingListener;
	let port = 0;

	before(async () => {
		listener = await startCountingListener();
		port = listener.port;
	});

	after(async () => {
		await listener.close();
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	/** A node's YAML whose etcd and REST API are the counting listener, with `bad` added. */
	function config(name: string, bad: string, hosts = `127.0.0.1:${port}`): string {
		const file = path.join(scratch, name);
		const good = `scope: countme\nname: node1\nrestapi:\n  connect_address: 127.0.0.1:${port}\netcd3:\n  hosts: ${hosts}\n`;
		fs.writeFileSync(file, good + bad);
		return file;
	}

	const logFile = () => ['--log-file', path.join(scratch, 'events.log')];
	const cases: ReadonlyArray<{readonly name: string; readonly args: () => string[]; readonly env?: () => NodeJS.ProcessEnv; readonly message: () => string}> = [
		{
			name: 'etcd3.hosts with one good entry and one bad',
			args: () => ['-c', config('hosts.yml', '', `127.0.0.1:${port},127.0.0.1:x`), '--json'],
			message: () => `${path.join(scratch, 'hosts.yml')}: etcd3.hosts: expected host:port, got "127.0.0.1:x"`,
		},
		{
			name: 'PATRONI_ETCD3_HOSTS with one good entry and one bad, over a good file',
			args: () => ['-c', config('env.yml', ''), '--json'],
			env: () => ({PATRONI_ETCD3_HOSTS: `'127.0.0.1:${port}','127.0.0.1:x'`}),
			message: () => 'PATRONI_ETCD3_HOSTS: expected host:port, got "127.0.0.1:x"',
		},
		{
			name: 'REST credentials without a password',
			args: () => ['-c', config('auth.yml', 'ctl:\n  authentication:\n    username: admin\n'), '--json'],
			message: () => `${path.join(scratch, 'auth.yml')}: ctl.authentication: expected username and password, got only username`,
		},
		{
			name: 'a superuser that is not a mapping',
			args: () => ['-c', config('superuser.yml', 'postgresql:\n  authentication:\n    superuser: postgres\n'), '--json'],
			message: () => `${path.join(scratch, 'superuser.yml')}: postgresql.authentication.superuser: expected a mapping with username and password, got "postgres"`,
		},
		{
			name: 'a bad --haproxy-stats beside a good file',
			args: () => ['-c', config('flag.yml', ''), '--haproxy-stats', 'localhost:7000', '--json'],
			message: () => '--haproxy-stats: expected an http(s):// URL such as http://127.0.0.1:7000/;csv, got "localhost:7000"',
		},
	];

	for (const testCase of cases) {
		it(testCase.name, async () => {
			const before = listener.connections();
			const result = await command([...testCase.args(), ...logFile()], testCase.env?.());
			assert.equal(result.code, 2, `exit 2 (stderr: ${result.stderr})`);
			assert.equal(result.stderr, `patroni-tui: ${testCase.message()}\n`);
			assert.equal(result.stdout, '');
			await new Promise(resolve => setTimeout(resolve, 200));
			assert.equal(listener.connections(), before, 'no connection reached the configured etcd or REST API');
		});
	}

	it('the same file without the bad value does connect (the listener would have seen it)', async () => {
		const before = listener.connections();
		const result = await command(['-c', config('good.yml', ''), '--json', ...logFile()]);
		assert.equal(result.code, 1, `no leader there: exit 1 (stderr: ${result.stderr})`);
		assert.ok(listener.connections() > before, 'the monitor reached the listener');
	});
});
