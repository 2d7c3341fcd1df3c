import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {describe, it} from 'node:test';
import type Dockerode from 'dockerode';
import type {DockerView} from '../../source/model/views.js';
import {dockerSource} from '../../source/sources/docker-source.js';
import type {SourceEvent} from '../../source/sources/source.js';

/** An engine that answers list, inspect and events from memory, and counts what it is asked. */
function fakeEngine() {
	const events = new PassThrough();
	const asked = {inspect: [] as string[], listening: [] as number[]};
	const restarts = new Map<string, number>();
	const listed = [
		{Id: 'aaaa', Names: ['/patroni-tui-labtest-node1'], Image: 'patroni-tui-lab:1', State: 'running', Labels: {'io.patroni-tui.lab': 'labtest', 'io.patroni-tui.member': 'node1', 'io.patroni-tui.rest-api': 'http://127.0.0.1:18108/patroni'}, Command: 'patroni'},
		{Id: 'bbbb', Names: ['/dummy-node1'], Image: 'patroni-tui-lab:1', State: 'running', Labels: {}, Command: 'patroni'},
	];
	const docker = {
		getEvents: async () => events,
		listContainers: async () => listed,
		getContainer: (id: string) => ({
			inspect: async () => {
				asked.inspect.push(id);
				const restartCount = restarts.get(id) ?? 0;
				return {
					Path: '/usr/bin/tini',
					Args: ['--', 'patroni'],
					RestartCount: restartCount,
					State: {Status: 'running', Running: true, Pid: id === 'aaaa' ? 100 : 200, StartedAt: `2026-12-07T02:0${restartCount}:00Z`, FinishedAt: '0001-01-01T00:00:00Z', ExitCode: 0},
					Config: {Env: [], Hostname: 'vm', WorkingDir: '/'},
					HostConfig: {NetworkMode: 'host'},
					Mounts: [],
					NetworkSettings: {Ports: {}},
				};
			},
		}),
	} as unknown as Dockerode;
	return {docker, events, asked, restarts};
}

describe('dockerSource', () => {
	it('inspects a container once, again only when an event names it, and reads sockets only of an unlabelled host-network one', async () => {
		const engine = fakeEngine();
		const controller = new AbortController();
		const source = dockerSource({
			docker: engine.docker,
			safetyIntervalMs: 150,
			debounceMs: 5,
			readListening: async pid => (engine.asked.listening.push(pid), [{address: '127.0.0.1', port: 18108}]),
			readIdentity: async () => undefined,
		});
		const iterator = source(controller.signal)[Symbol.asyncIterator]();
		const next = async () => ((await iterator.next()).value as SourceEvent<DockerView> & {kind: 'data'}).data;
		try {
			const first = await next();
			assert.deepEqual(engine.asked.inspect.sort(), ['aaaa', 'bbbb']);
			assert.deepEqual(engine.asked.listening, [200], 'the lab-labelled container (with its REST label) is proven by its labels: its sockets are not read');
			const unlabelled = first.containers.find(container => container.id === 'bbbb')!;
			assert.equal(unlabelled.networkMode, 'host');
			assert.deepEqual(unlabelled.listening, [{address: '127.0.0.1', port: 18108, via: 'socket'}]);
			assert.ok(first.localAddresses?.includes('127.0.0.1'));

			engine.restarts.set('bbbb', 1);
			engine.events.write(`${JSON.stringify({status: 'restart', id: 'bbbb', Type: 'container', Action: 'restart', Actor: {ID: 'bbbb'}})}\n`);
			const afterRestart = await next();
			assert.deepEqual(engine.asked.inspect.sort(), ['aaaa', 'bbbb', 'bbbb'], 'only the container the event named is inspected again');
			assert.equal(afterRestart.containers.find(container => container.id === 'bbbb')?.restartCount, 1);
			assert.deepEqual(engine.asked.listening, [200, 200], 'a restarted container has new processes: its sockets are read again');

			await next();
			assert.equal(engine.asked.inspect.length, 3, 'a safety re-list without events inspects nothing');
			assert.deepEqual(engine.asked.listening, [200, 200], 'nor reads sockets again before SOCKETS_REFRESH_MS');
		} finally {
			controller.abort();
			await iterator.return?.();
		}
	});
});
