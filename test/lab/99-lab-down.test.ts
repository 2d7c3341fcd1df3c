import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {cli, ensureTestLab, labArgs, TEST_SCOPE} from '../helpers/lab.js';
import {containersOfScope, dockerCli} from '../helpers/docker-cli.js';
import {listeningPorts} from '../helpers/sockets-witness.js';

/** Host pids of every process in the containers (host networking: their sockets are the host's). */
async function containerPids(ids: readonly string[]): Promise<Set<number>> {
	const pids = new Set<number>();
	for (const id of ids) {
		for (const line of (await dockerCli(['top', id, '-eo', 'pid'])).split('\n').slice(1)) if (line.trim()) pids.add(Number(line.trim()));
	}
	return pids;
}

describe('lab down', () => {
	it('leaves no container and no port that its containers listened on', async () => {
		await ensureTestLab();
		const containers = await containersOfScope(TEST_SCOPE);
		assert.equal(containers.length, 5);
		const pids = await containerPids(containers);
		const ports = [...new Set((await listeningPorts()).filter(socket => pids.has(socket.pid)).map(socket => socket.port))];
		// etcd's two, HAProxy's listeners, and each member's REST and PostgreSQL: a witness that sees nothing proves nothing.
		assert.ok(ports.length >= 9, `the lab's processes listen on ${ports.join(', ')}`);
		const result = await cli(['lab', 'down', ...labArgs()]);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(await containersOfScope(TEST_SCOPE), []);
		const still = new Set((await listeningPorts()).map(socket => socket.port));
		assert.deepEqual(ports.filter(port => still.has(port)), [], 'no port of the lab still listening, per ss');
	});
});
