import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {DcsView} from '../../source/model/views.js';
import {etcd3Source, type Etcd3SourceOptions} from '../../source/sources/etcd3-source.js';
import type {SourceEvent} from '../../source/sources/source.js';
import {ensureTestLab, TEST_SCOPE} from '../helpers/lab.js';

const run = promisify(execFile);
const ETCD_CONTAINER = `patroni-tui-${TEST_SCOPE}-etcd`;
const PROBE_KEY = `/service/${TEST_SCOPE}/zz-watch-probe`;

type Received = SourceEvent<DcsView> & {readonly receivedAt: number};

/** Runs a source in the background, stamping each event as it arrives, so waiting never skews a measurement. */
function record(options: Etcd3SourceOptions) {
	const controller = new AbortController();
	const events: Received[] = [];
	const done = (async () => {
		for await (const event of etcd3Source(options)(controller.signal)) events.push({...event, receivedAt: performance.now()});
	})();
	async function waitFor(what: string, test: (event: Received) => boolean, from: number, timeoutMs: number): Promise<Received> {
		const deadline = performance.now() + timeoutMs;
		while (performance.now() < deadline) {
			const found = events.slice(from).find(test);
			if (found) return found;
			await new Promise(resolve => setTimeout(resolve, 5));
		}
		throw new Error(`no ${what} within ${timeoutMs} ms; got ${events.slice(from).map(e => e.kind).join(',') || 'nothing'}`);
	}
	return {events, done, stop: () => controller.abort(), waitFor};
}

async function etcdctl(endpoint: string, args: readonly string[]): Promise<string> {
	const {stdout} = await run('etcdctl', [`--endpoints=${endpoint}`, ...args], {env: {...process.env, ETCDCTL_API: '3'}, timeout: 10_000});
	return stdout;
}

const data = (event: Received) => (event.kind === 'data' ? event.data : assert.fail(`expected data, got ${event.kind}`));

describe('etcd v3 source against the lab', () => {
	let status: LabStatus;
	let endpoint: string;
	const sources: Array<ReturnType<typeof record>> = [];
	const start = (options: Partial<Etcd3SourceOptions> = {}) => {
		const source = record({endpoints: status.etcd.endpoints, namespace: status.namespace, scope: status.scope, ...options});
		sources.push(source);
		return source;
	};
	before(async () => {
		status = await ensureTestLab();
		endpoint = status.etcd.endpoints[0]!;
	});
	after(async () => {
		for (const source of sources) source.stop();
		await Promise.all(sources.map(source => source.done));
	});

	it('yields first the leader that etcdctl reads in the leader key, and a member key for every node', async () => {
		const source = start();
		const view = data(await source.waitFor('data', () => true, 0, 10_000));
		const leader = (await etcdctl(endpoint, ['get', '--print-value-only', `/service/${TEST_SCOPE}/leader`])).trim();
		assert.equal(view.leader, leader);
		assert.equal(view.prefix, `/service/${TEST_SCOPE}/`);
		assert.deepEqual(view.keys.filter(key => key.key.startsWith('members/')).map(key => key.key), ['members/node1', 'members/node2', 'members/node3']);
		const leaderKey = view.keys.find(key => key.key === 'leader');
		const leases = (await etcdctl(endpoint, ['lease', 'list'])).split('\n').slice(1).filter(Boolean);
		assert.ok(leaderKey?.lease && leases.includes(leaderKey.lease), `lease ${leaderKey?.lease} in ${leases.join(',')}`);
		assert.ok(view.leaderTtlLeft !== undefined && view.leaderTtlLeft > 0 && view.leaderTtlLeft <= 15, `ttl ${view.leaderTtlLeft}`);
		source.stop();
	});

	it('yields a write made with etcdctl within milliseconds, from the watch rather than the heartbeat', async () => {
		const source = start({heartbeatMs: 60_000});
		await source.waitFor('data', () => true, 0, 10_000);
		const value = `probe-${Date.now()}`;
		try {
			const from = source.events.length;
			const writeStarted = performance.now();
			await etcdctl(endpoint, ['put', PROBE_KEY, value]);
			const written = performance.now();
			const seen = await source.waitFor('the probe key', e => e.kind === 'data' && e.data.keys.some(key => key.key === 'zz-watch-probe' && key.value === value), from, 5000);
			const sinceStart = seen.receivedAt - writeStarted;
			console.log(`# watch latency: ${sinceStart.toFixed(1)} ms after etcdctl started (${(seen.receivedAt - written).toFixed(1)} ms after it returned)`);
			assert.ok(sinceStart < 1000, `${sinceStart} ms`);
		} finally {
			await etcdctl(endpoint, ['del', PROBE_KEY]);
		}
		const from = source.events.length;
		await source.waitFor('the probe key gone', e => e.kind === 'data' && !e.data.keys.some(key => key.key === 'zz-watch-probe'), from, 5000);
		source.stop();
	});

	it('yields an error while etcd is paused, data again once it is back, and ends at once on abort', async () => {
		// A short heartbeat keeps the pause well under Patroni's retry_timeout (5 s), so the cluster rides it out.
		const source = start({heartbeatMs: 2000, requestTimeoutMs: 1000});
		await source.waitFor('data', () => true, 0, 10_000);
		const from = source.events.length;
		const pausedAt = performance.now();
		let error: Received;
		try {
			await run('docker', ['pause', ETCD_CONTAINER]);
			error = await source.waitFor('an error', e => e.kind === 'error', from, 10_000);
		} finally {
			await run('docker', ['unpause', ETCD_CONTAINER]);
		}
		const unpausedAt = performance.now();
		console.log(`# error ${(error.receivedAt - pausedAt).toFixed(0)} ms after docker pause: ${error.kind === 'error' ? error.error : ''}`);
		const back = await source.waitFor('data again', e => e.kind === 'data', source.events.indexOf(error), 20_000);
		console.log(`# data again ${(back.receivedAt - unpausedAt).toFixed(0)} ms after docker unpause`);
		assert.ok(data(back).keys.some(key => key.key.startsWith('members/')));

		const abortedAt = performance.now();
		source.stop();
		await source.done;
		const endedIn = performance.now() - abortedAt;
		console.log(`# iterator ended ${endedIn.toFixed(1)} ms after abort`);
		assert.ok(endedIn < 500, `${endedIn} ms`);
		// The watch stream and the client are gone: nothing network-bound keeps the process alive.
		await new Promise(resolve => setTimeout(resolve, 100));
		const open = process.getActiveResourcesInfo().filter(kind => kind.startsWith('TCP'));
		assert.deepEqual(open, [], `still open: ${open.join(',')}`);
	});
});
