// No Docker asked for and none at the default socket: the built command's --json, run in a private mount namespace
// whose /var/run is an empty tmpfs (the real socket is hidden from it alone), says the lab is healthy with Docker off.
// Asked for and failing (--docker-socket to nowhere), Docker is an alert, as before.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {CLI, ensureTestLab, labArgs, waitFor} from '../helpers/lab.js';

const run = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-no-docker-'));
const REASON = 'no engine socket at /var/run/docker.sock, and none asked for (--docker-socket, DOCKER_HOST)';

/** `patroni-tui --lab --json` where /var/run is empty; DOCKER_HOST is left out of its environment. */
async function jsonWithoutSocket(extra: readonly string[] = []): Promise<{code: number; snapshot: ClusterSnapshot; stderr: string}> {
	const args = [CLI, '--lab', ...labArgs(['--json', '--log-file', path.join(scratch, 'events.log'), ...extra])];
	const script = 'mount -t tmpfs tmpfs /var/run && test ! -e /var/run/docker.sock && exec "$@"';
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DOCKER_HOST'));
	try {
		const {stdout, stderr} = await run('unshare', ['-m', 'sh', '-c', script, 'sh', process.execPath, ...args], {env, timeout: 60_000});
		return {code: 0, snapshot: JSON.parse(stdout) as ClusterSnapshot, stderr};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		if (!failed.stdout) throw new Error(`no snapshot (exit ${failed.code}): ${failed.stderr}`);
		return {code: typeof failed.code === 'number' ? failed.code : 1, snapshot: JSON.parse(failed.stdout) as ClusterSnapshot, stderr: failed.stderr ?? ''};
	}
}

describe('no Docker engine asked for and none at the default socket', () => {
	before(async () => {
		await ensureTestLab();
	});

	after(() => fs.rmSync(scratch, {recursive: true, force: true}));

	it('--json: healthy, no alert, Docker off with the reason, the lab read from etcd, REST, SQL and HAProxy', async () => {
		// The lab may still be settling from the tests before: the first healthy answer within 30 s counts.
		const result = await waitFor('a healthy snapshot with Docker off', async () => {
			const answer = await jsonWithoutSocket();
			assert.deepEqual(answer.snapshot.sources.docker, {name: 'docker', isEnabled: false, offReason: REASON, isStale: false});
			return answer.snapshot.state === 'healthy' ? answer : undefined;
		});
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(result.snapshot.alerts, []);
		assert.ok(result.snapshot.leader, 'a leader');
		for (const name of ['dcs', 'rest', 'postgres', 'haproxy'] as const) {
			const source = result.snapshot.sources[name];
			assert.ok(source.isEnabled && source.error === undefined && source.updatedAt !== undefined, `${name}: ${JSON.stringify(source)}`);
		}
		assert.ok(result.snapshot.members.every(member => member.container === undefined), 'no container for any member');
		assert.deepEqual(result.snapshot.containers, []);
	});

	it('asked for with --docker-socket and failing: Docker is on, failing, and an alert', async () => {
		const {code, snapshot} = await jsonWithoutSocket(['--docker-socket', '/var/run/docker.sock']);
		assert.equal(code, 0, 'a leader: exit 0');
		assert.equal(snapshot.sources.docker.isEnabled, true);
		assert.match(snapshot.sources.docker.error ?? '', /docker\.sock|ENOENT/);
		assert.notEqual(snapshot.state, 'healthy');
		assert.ok(snapshot.alerts.some(alert => /docker/i.test(alert.message)), JSON.stringify(snapshot.alerts));
	});
});
