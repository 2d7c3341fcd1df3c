import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {cli, ensureTestLab, labArgs} from '../helpers/lab.js';
import {containersOfScope} from '../helpers/docker-cli.js';

describe('lab up refuses clearly', () => {
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-refusal-'));
	after(() => fs.rmSync(stateDir, {recursive: true, force: true}));

	it('names a port that is already taken, and creates nothing', async () => {
		const offset = 300;
		const etcdPort = 12379 + offset;
		const blocker = net.createServer();
		await new Promise<void>(resolve => blocker.listen(etcdPort, '127.0.0.1', resolve));
		try {
			const result = await cli(['lab', 'up', '--scope', 'portclash', '--state-dir', path.join(stateDir, 'portclash'), '--port-offset', String(offset)]);
			assert.notEqual(result.code, 0);
			assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${etcdPort} \\(etcd client\\)`));
			assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
			assert.deepEqual(await containersOfScope('portclash'), []);
		} finally {
			blocker.close();
		}
	});

	it('says so when no Docker engine answers', async () => {
		const result = await cli(['lab', 'up', '--scope', 'nodocker', '--state-dir', path.join(stateDir, 'nodocker'), '--docker-socket', path.join(stateDir, 'none.sock')]);
		assert.notEqual(result.code, 0);
		assert.match(result.stderr, /No Docker engine answers on .*none\.sock/);
	});

	it('refuses to remake an existing lab with another DCS API, and leaves it as it was', async () => {
		const before = await ensureTestLab();
		const result = await cli(['lab', 'up', ...labArgs(['--dcs', 'etcd2'])]);
		assert.equal(result.code, 1);
		assert.match(result.stderr, /was made with --dcs etcd3\. Use that, or "lab destroy" it first/);
		const after = await ensureTestLab();
		assert.deepEqual(after.members.map(m => m.container?.id), before.members.map(m => m.container?.id));
	});

	it('refuses a scope it cannot use, before touching anything', async () => {
		const result = await cli(['lab', 'up', '--scope', 'Bad Scope!', '--state-dir', stateDir]);
		assert.equal(result.code, 2, 'a bad flag value: exit 2, as for every refusal before anything is touched');
		assert.match(result.stderr, /Scope "Bad Scope!" is not valid/);
	});
});
