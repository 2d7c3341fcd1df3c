import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {etcdctl} from '../helpers/etcdctl-witness.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {DcsView} from '../../source/model/views.js';
import {etcd2Source, type Etcd2SourceOptions} from '../../source/sources/etcd2-source.js';
import type {SourceEvent} from '../../source/sources/source.js';
import {cli} from '../helpers/lab.js';

// A lab of its own on etcd's v2 keyspace (Patroni's `etcd:` section), beside the v3 test lab: the course
// exercise's stack. It is brought up here and destroyed at the end, so a run leaves nothing behind.
const SCOPE = 'v2lab';
const STATE_DIR = path.join(os.tmpdir(), 'patroni-tui-test-v2lab');
const LAB_FLAGS = ['--scope', SCOPE, '--port-offset', '600', '--state-dir', STATE_DIR];
const ETCD_CONTAINER = `patroni-tui-${SCOPE}-etcd`;
const PROBE_KEY = `/service/${SCOPE}/zz-watch-probe`;

const run = promisify(execFile);

type Received = SourceEvent<DcsView> & {readonly receivedAt: number};

/** Runs a source in the background, stamping each event as it arrives, so waiting never skews a measurement. */
function record(options: Etcd2SourceOptions) {
	const controller = new AbortController();
	const events: Received[] = [];
	const done = (async () => {
		for await (const event of etcd2Source(options)(controller.signal)) events.push({...event, receivedAt: performance.now()});
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

async function patronictl(args: readonly string[]): Promise<string> {
	const {stdout} = await run('patronictl', ['-c', path.join(STATE_DIR, 'patronictl.yaml'), ...args], {timeout: 60_000});
	return stdout;
}

async function patronictlLeader(): Promise<string | undefined> {
	const members = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string}>;
	return members.find(member => member.Role === 'Leader')?.Member;
}

/** Writes one key outside Patroni's namespace `count` times (over one keep-alive connection): etcd's index moves on. */
async function fill(endpoint: string, count: number): Promise<void> {
	const agent = new http.Agent({keepAlive: true, maxSockets: 1});
	try {
		for (let index = 0; index < count; index++) {
			await new Promise<void>((resolve, reject) => {
				const request = http.request(new URL(`/v2/keys/zz-${SCOPE}-filler`, endpoint), {method: 'PUT', agent, headers: {'content-type': 'application/x-www-form-urlencoded'}}, response => {
					response.resume().on('end', resolve);
				});
				request.on('error', reject);
				request.end(`value=${index}`);
			});
		}
	} finally {
		agent.destroy();
	}
}

const data = (event: Received) => (event.kind === 'data' ? event.data : assert.fail(`expected data, got ${event.kind}: ${event.error}`));

describe('etcd v2 source against a v2 lab (Patroni `etcd:` section, etcd --enable-v2)', () => {
	let status: LabStatus;
	let endpoint: string;
	const sources: Array<ReturnType<typeof record>> = [];
	const start = (options: Partial<Etcd2SourceOptions> = {}) => {
		const source = record({endpoints: status.etcd.endpoints, namespace: status.namespace, scope: status.scope, ...options});
		sources.push(source);
		return source;
	};

	before(async () => {
		const up = await cli(['lab', 'up', ...LAB_FLAGS, '--dcs', 'etcd2', '--json']);
		assert.equal(up.code, 0, `lab up --dcs etcd2 failed:\n${up.stderr}`);
		status = JSON.parse(up.stdout) as LabStatus;
		endpoint = status.etcd.endpoints[0]!;
	});

	after(async () => {
		for (const source of sources) source.stop();
		await Promise.all(sources.map(source => source.done));
		const destroyed = await cli(['lab', 'destroy', ...LAB_FLAGS, '--dcs', 'etcd2']);
		assert.equal(destroyed.code, 0, destroyed.stderr);
	});

	it('yields first the leader patronictl names, and the keys etcdctl ls (v2) lists', async () => {
		const source = start();
		const view = data(await source.waitFor('data', () => true, 0, 10_000));
		assert.equal(view.api, 'etcd2');
		assert.equal(view.leader, await patronictlLeader());
		assert.ok(view.leaderTtlLeft !== undefined && view.leaderTtlLeft > 0 && view.leaderTtlLeft <= 15, `ttl ${view.leaderTtlLeft}`);
		const listed = (await etcdctl('2', endpoint, ['ls', '--recursive', `/service/${SCOPE}`])).split('\n').filter(Boolean);
		const relative = listed.map(key => key.slice(view.prefix.length)).filter(key => key !== 'members');
		assert.deepEqual(view.keys.map(key => key.key), relative.sort());
		assert.deepEqual(view.keys.filter(key => key.key.startsWith('members/')).map(key => key.key), ['members/node1', 'members/node2', 'members/node3']);
		source.stop();
	});

	it('yields a write made with etcdctl (v2) within milliseconds, from the long poll rather than the heartbeat', async () => {
		const source = start({heartbeatMs: 60_000});
		await source.waitFor('data', () => true, 0, 10_000);
		const value = `probe-${Date.now()}`;
		try {
			const from = source.events.length;
			const writeStarted = performance.now();
			await etcdctl('2', endpoint, ['set', PROBE_KEY, value]);
			const written = performance.now();
			const seen = await source.waitFor('the probe key', e => e.kind === 'data' && e.data.keys.some(key => key.key === 'zz-watch-probe' && key.value === value), from, 5000);
			const sinceStart = seen.receivedAt - writeStarted;
			console.log(`# v2 watch latency: ${sinceStart.toFixed(1)} ms after etcdctl started (${(seen.receivedAt - written).toFixed(1)} ms after it returned)`);
			// The heartbeat is 60 s away: anything within a few seconds came from the long poll. (The bound allows
			// for etcdctl's own start on a loaded 2-core machine; the latency itself is the benchmark's to measure.)
			assert.ok(sinceStart < 3000, `${sinceStart} ms`);
		} finally {
			const beforeRemoval = source.events.length;
			await etcdctl('2', endpoint, ['rm', PROBE_KEY]);
			// Only what came after the removal counts: the views before the write lacked the key too.
			await source.waitFor('the probe key gone', e => e.kind === 'data' && !e.data.keys.some(key => key.key === 'zz-watch-probe'), beforeRemoval, 5000);
		}
		source.stop();
	});

	it('patroni-tui --lab --json reads the v2 keyspace and prints a healthy snapshot', async () => {
		const result = await cli(['--lab', ...LAB_FLAGS, '--json']);
		assert.equal(result.code, 0, `exit code 0 means the cluster has a leader; stderr: ${result.stderr}`);
		const snapshot = JSON.parse(result.stdout) as ClusterSnapshot;
		assert.equal(snapshot.state, 'healthy', JSON.stringify(snapshot.alerts));
		const leader = await patronictlLeader();
		assert.equal(snapshot.leader, leader);
		assert.equal(snapshot.leaderBy.dcs, leader);
		assert.equal(snapshot.sources.dcs.isEnabled, true);
		assert.equal(snapshot.sources.dcs.error, undefined);
		assert.ok(snapshot.members.every(member => member.isInDcs && member.container?.state === 'running'));
		// v2's marks: keys carry a TTL, never a lease; and the v3 keyspace holds nothing of this scope to read from.
		assert.ok(snapshot.dcsKeys.some(key => key.key === 'leader' && key.ttlLeft !== undefined));
		assert.ok(snapshot.dcsKeys.every(key => key.lease === undefined));
		assert.equal((await etcdctl('3', endpoint, ['get', '--prefix', '--keys-only', `/service/${SCOPE}/`])).trim(), '');
	});

	it('shows a patronictl switchover as the new leader', async () => {
		const source = start();
		const first = data(await source.waitFor('data', () => true, 0, 10_000));
		const candidate = ['node1', 'node2', 'node3'].find(name => name !== first.leader)!;
		const from = source.events.length;
		const started = performance.now();
		await patronictl(['switchover', '--leader', first.leader!, '--candidate', candidate, '--force']);
		const returned = performance.now();
		const seen = await source.waitFor(`${candidate} as leader`, e => e.kind === 'data' && e.data.leader === candidate, from, 30_000);
		// patronictl returns once its own polling (every second) sees the new leader; the watch usually sees it first.
		const versusReturn = seen.receivedAt - returned;
		console.log(
			`# switchover ${first.leader} → ${candidate}: the v2 source named ${candidate} ${(seen.receivedAt - started).toFixed(0)} ms after patronictl ` +
				`started, ${Math.abs(versusReturn).toFixed(0)} ms ${versusReturn < 0 ? 'before' : 'after'} it returned`,
		);
		assert.equal(await patronictlLeader(), candidate);
	});

	it("re-reads when etcd's 1000-event history has moved past the index it would watch from", async () => {
		const controller = new AbortController();
		const events = etcd2Source({endpoints: status.etcd.endpoints, namespace: status.namespace, scope: status.scope, heartbeatMs: 60_000})(controller.signal);
		const iterator = events[Symbol.asyncIterator]();
		try {
			const first = await iterator.next();
			const readAt = Number(first.value && first.value.kind === 'data' ? first.value.data.revision : NaN);
			// While nobody pulls, the source waits; 1100 writes elsewhere in etcd push its index out of the history.
			await fill(endpoint, 1100);
			const next = (await iterator.next()).value as SourceEvent<DcsView>;
			assert.equal(next.kind, 'data', next.kind === 'error' ? next.error : '');
			const revision = Number(next.kind === 'data' ? next.data.revision : NaN);
			console.log(`# v2 history cleared: read at index ${readAt}, re-read at ${revision}`);
			assert.ok(revision > readAt + 1000, `${revision} after ${readAt}: a watched event, not a re-read`);
		} finally {
			controller.abort();
			await iterator.return?.();
		}
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
		console.log(`# v2 error ${(error.receivedAt - pausedAt).toFixed(0)} ms after docker pause: ${error.kind === 'error' ? error.error : ''}`);
		const back = await source.waitFor('data again', e => e.kind === 'data', source.events.indexOf(error), 20_000);
		console.log(`# v2 data again ${(back.receivedAt - unpausedAt).toFixed(0)} ms after docker unpause`);
		assert.ok(data(back).keys.some(key => key.key.startsWith('members/')));

		for (const other of sources) other.stop();
		const abortedAt = performance.now();
		await Promise.all(sources.map(other => other.done));
		const endedIn = performance.now() - abortedAt;
		console.log(`# v2 iterators ended ${endedIn.toFixed(1)} ms after abort`);
		assert.ok(endedIn < 500, `${endedIn} ms`);
		// The long polls and their keep-alive connections are gone: nothing network-bound keeps the process alive.
		await new Promise(resolve => setTimeout(resolve, 100));
		const open = process.getActiveResourcesInfo().filter(kind => kind.startsWith('TCP'));
		assert.deepEqual(open, [], `still open: ${open.join(',')}`);
	});
});
