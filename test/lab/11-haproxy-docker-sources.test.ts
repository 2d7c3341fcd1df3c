import assert from 'node:assert/strict';
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import Docker from 'dockerode';
import {before, describe, it} from 'node:test';
import {LABEL_LAB} from '../../source/model/container-labels.js';
import {setServerState} from '../../source/clients/haproxy.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {DockerView, HaproxyServer, HaproxyView} from '../../source/model/views.js';
import {dockerSource} from '../../source/sources/docker-source.js';
import {haproxySource} from '../../source/sources/haproxy-source.js';
import type {Source, SourceEvent} from '../../source/sources/source.js';
import {createDockerClient} from '../../source/clients/docker.js';
import {dockerCli} from '../helpers/docker-cli.js';
import {haproxyServers} from '../helpers/haproxy-witness.js';
import {ensureTestLab, TEST_SCOPE} from '../helpers/lab.js';
import {restLeader} from '../helpers/rest-witness.js';

type Events<T> = AsyncIterator<SourceEvent<T>>;

/** The first data a source yields; leaving the loop ends the source. */
async function firstData<T>(source: Source<T>): Promise<T> {
	const controller = new AbortController();
	try {
		for await (const event of source(controller.signal)) {
			if (event.kind === 'data') return event.data;
			throw new Error(event.error);
		}
		throw new Error('the source ended without data');
	} finally {
		controller.abort();
	}
}

/** The next yielded data that passes `test`, or a rejection after `timeoutMs`. */
async function nextData<T>(events: Events<T>, test: (data: T) => boolean, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (true) {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`nothing matching within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
		});
		const result = await Promise.race([events.next(), timeout]).finally(() => clearTimeout(timer));
		if (result.done) throw new Error('the source ended');
		if (result.value.kind === 'data' && test(result.value.data)) return result.value.data;
	}
}

/** The leader per Patroni's REST API through fetch (test/helpers/rest-witness.ts), not the product's client. */
async function leaderName(status: LabStatus): Promise<string> {
	const leader = await restLeader(status.members.map(member => member.restApi));
	if (!leader) throw new Error('no member REST API names a leader');
	return leader;
}

const upIn = (view: HaproxyView, proxy: string) => view.servers.filter(s => s.proxy === proxy && s.status === 'UP').map(s => s.server);
const rows = (servers: readonly HaproxyServer[]) => servers.map(s => `${s.proxy}/${s.server} ${s.status}`);

describe('HAProxy and Docker sources against the lab', () => {
	let status: LabStatus;
	before(async () => {
		status = await ensureTestLab();
	});

	it("HAProxy's primary listener has exactly one server UP: the leader Patroni names", async () => {
		const source = haproxySource({statsUrl: status.haproxy.statsCsvUrl, interval: 500, timeoutMs: 2000});
		// HAProxy checks every second: right after a failover it may lag Patroni for a moment.
		let leader = '';
		let up: string[] = [];
		for (let attempt = 0; attempt < 20; attempt++) {
			leader = await leaderName(status);
			const view = await firstData(source);
			assert.equal(view.via, 'http');
			up = upIn(view, 'primary');
			if (up.length === 1 && up[0] === leader) break;
			await new Promise(resolve => setTimeout(resolve, 500));
		}
		assert.deepEqual(up, [leader]);
	});

	it('the admin socket and the stats page give the same servers', async t => {
		try {
			fs.accessSync(status.haproxy.socket, fs.constants.R_OK | fs.constants.W_OK);
		} catch {
			return t.skip(`cannot use ${status.haproxy.socket} as this user`);
		}
		const bySocket = await firstData(haproxySource({socketPath: status.haproxy.socket, statsUrl: status.haproxy.statsCsvUrl, interval: 500, timeoutMs: 2000}));
		const byHttp = await firstData(haproxySource({statsUrl: status.haproxy.statsCsvUrl, interval: 500, timeoutMs: 2000}));
		assert.equal(bySocket.via, 'socket');
		assert.equal(byHttp.via, 'http');
		assert.deepEqual(rows(bySocket.servers), rows(byHttp.servers));
		// Both against HAProxy's own show stat, read by the test's parser (the sources share the product's).
		const own = (await haproxyServers(status.haproxy.socket)).map(s => `${s.proxy}/${s.server} ${s.status}`);
		assert.deepEqual(rows(bySocket.servers), own);
		assert.equal(bySocket.servers.filter(s => s.proxy === 'primary').length, status.members.length);
		assert.ok(bySocket.servers.every(s => s.address.startsWith('127.0.0.1:')), 'the socket tells addresses');
		// A server that does not exist: HAProxy's refusal comes back as written, and nothing in the lab changes.
		assert.match(await setServerState(status.haproxy.socket, 'primary', 'no-such-node', 'drain'), /No such server/i);
		assert.deepEqual((await haproxyServers(status.haproxy.socket)).map(s => `${s.proxy}/${s.server} ${s.status}`), own, 'nothing changed, per show stat');
	});

	it('falls back to the stats page when the admin socket cannot be used', async () => {
		const view = await firstData(haproxySource({socketPath: '/nonexistent/haproxy.sock', statsUrl: status.haproxy.statsCsvUrl, interval: 500, timeoutMs: 2000}));
		assert.equal(view.via, 'http');
		assert.equal(view.servers.length, 2 * status.members.length);
	});

	it('the Docker source yields an error, not a throw, when no engine answers, and still ends on abort', async () => {
		const controller = new AbortController();
		const events = dockerSource({docker: new Docker({socketPath: '/nonexistent/docker.sock'})})(controller.signal)[Symbol.asyncIterator]();
		const first = await events.next();
		assert.equal(first.value?.kind, 'error');
		assert.match(first.value.kind === 'error' ? first.value.error : '', /ENOENT/);
		const pending = events.next();
		controller.abort();
		assert.equal((await pending).done, true);
	});

	it('the Docker source yields the lab containers, and a paused replica at once', async () => {
		const controller = new AbortController();
		const events = dockerSource({docker: createDockerClient(), filterLabels: [`${LABEL_LAB}=${TEST_SCOPE}`]})(controller.signal)[Symbol.asyncIterator]();
		try {
			const first = await nextData(events, () => true, 10_000);
			const labIds = [status.etcd.container, status.haproxy.container, ...status.members.map(m => m.container)].map(c => c!.id).sort();
			assert.deepEqual(first.containers.map(c => c.id).sort(), labIds);
			assert.ok(first.containers.every(c => c.state === 'running' && c.startedAt && c.hostname), JSON.stringify(first.containers));

			const leader = await leaderName(status);
			const replica = status.members.find(m => m.name !== leader)!;
			const id = replica.container!.id;
			const stateOf = (view: DockerView) => view.containers.find(c => c.id === id)?.state;
			const started = performance.now();
			try {
				await dockerCli(['pause', id]);
				await nextData(events, view => stateOf(view) === 'paused', 5000);
				const elapsed = performance.now() - started;
				console.log(`docker source: ${replica.name} (replica; leader ${leader}) seen paused ${elapsed.toFixed(0)} ms after the pause request`);
				assert.ok(elapsed < 1000, `${elapsed} ms`);
			} finally {
				if ((await dockerCli(['inspect', '--format', '{{.State.Paused}}', id])).trim() === 'true') await dockerCli(['unpause', id]);
			}
			await nextData(events, view => stateOf(view) === 'running', 5000);
			console.log(`docker source: ${replica.name} seen running again ${(performance.now() - started).toFixed(0)} ms after the pause request`);

			// Abort while a next() waits inside the source: it must end, promptly.
			const pending = events.next();
			await new Promise(resolve => setTimeout(resolve, 100));
			const aborted = performance.now();
			controller.abort();
			let result = await pending;
			while (!result.done) result = await events.next();
			const endMs = performance.now() - aborted;
			console.log(`docker source: ended ${endMs.toFixed(1)} ms after abort`);
			assert.ok(endMs < 200, `${endMs} ms`);
		} finally {
			controller.abort();
			await events.return?.();
		}
	});
});
