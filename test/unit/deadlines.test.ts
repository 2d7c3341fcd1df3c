import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {DeadlineExceeded, deadlineSignal, withDeadline} from '../../source/async.js';
import {fetchStatsCsv, socketCommand} from '../../source/clients/haproxy.js';
import {httpRequest} from '../../source/clients/http.js';
import {bounded, createEtcd3Client} from '../../source/clients/etcd3.js';
import {etcd2Client} from '../../source/clients/etcd2.js';
import {PatroniClient} from '../../source/clients/patroni.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import {describeHalfDone, step, type Operation} from '../../source/operations/operation.js';
import {OperationRunner} from '../../source/operations/runner.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import {contextOn} from '../helpers/operation-context.js';
import {timed} from '../helpers/timed.js';

/** Within its deadline, with room for a loaded 2-core machine, and not before it. */
function endsAtDeadline(outcome: {ms: number; error?: Error}, deadlineMs: number, pattern: RegExp): void {
	assert.ok(outcome.error, `expected an error, it succeeded after ${Math.round(outcome.ms)} ms`);
	assert.match(outcome.error.message, pattern);
	assert.ok(outcome.ms >= deadlineMs - 20, `gave up after ${Math.round(outcome.ms)} ms, before the deadline of ${deadlineMs} ms`);
	assert.ok(outcome.ms < deadlineMs + 700, `gave up after ${Math.round(outcome.ms)} ms, deadline ${deadlineMs} ms`);
}

describe('deadline helpers', () => {
	it('deadlineSignal aborts at its time with DeadlineExceeded, or with the caller\'s abort at once', async () => {
		const deadline = deadlineSignal(100);
		const startedAt = performance.now();
		await new Promise(resolve => deadline.signal.addEventListener('abort', resolve));
		assert.ok(performance.now() - startedAt >= 95);
		assert.ok(deadline.signal.reason instanceof DeadlineExceeded);
		const caller = new AbortController();
		const early = deadlineSignal(10_000, caller.signal);
		caller.abort(new Error('q'));
		assert.equal(early.signal.aborted, true);
		assert.equal((early.signal.reason as Error).message, 'q');
		early.done();
	});

	it('withDeadline gives up on work that ignores its signal', async () => {
		const outcome = await timed(() => withDeadline(150, new AbortController().signal, () => new Promise(() => undefined)));
		endsAtDeadline(outcome, 150, /no answer within 150 ms/);
	});
});

describe('a server that accepts and never answers', () => {
	// Plain TCP on 127.0.0.1: it takes every connection (the kernel completes the handshake) and never writes, as a
	// SIGSTOPped Patroni, HAProxy or etcd does. A second one trickles an HTTP answer a byte at a time, which an
	// inactivity timer never ends.
	let silent: net.Server;
	let trickle: net.Server;
	let silentUrl: string;
	let trickleUrl: string;
	const sockets = new Set<net.Socket>();
	const seen: string[] = [];
	let timers: NodeJS.Timeout[] = [];
	const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deadlines-'));
	const unixPath = path.join(socketDir, 'admin.sock');
	let unix: net.Server;

	before(async () => {
		const keep = (socket: net.Socket) => {
			sockets.add(socket);
			socket.on('data', chunk => seen.push(chunk.toString('latin1').split('\r\n')[0]!));
			socket.on('error', () => undefined);
			socket.on('close', () => sockets.delete(socket));
		};
		silent = net.createServer(keep);
		trickle = net.createServer(socket => {
			keep(socket);
			socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
			timers.push(setInterval(() => socket.write('x'), 50));
		});
		unix = net.createServer(keep);
		await Promise.all([
			new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve)),
			new Promise<void>(resolve => trickle.listen(0, '127.0.0.1', resolve)),
			new Promise<void>(resolve => unix.listen(unixPath, resolve)),
		]);
		silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
		trickleUrl = `http://127.0.0.1:${(trickle.address() as net.AddressInfo).port}`;
	});

	after(() => {
		for (const timer of timers) clearInterval(timer);
		timers = [];
		for (const socket of sockets) socket.destroy();
		silent.close();
		trickle.close();
		unix.close();
		fs.rmSync(socketDir, {recursive: true, force: true});
	});

	it('REST: a read ends at its deadline, a trickled answer too, and a cancel at once', async () => {
		endsAtDeadline(await timed(() => new PatroniClient(silentUrl, {timeoutMs: 200}).status()), 200, /GET .*\/patroni: no answer within 200 ms/);
		endsAtDeadline(await timed(() => httpRequest({url: `${trickleUrl}/patroni`, timeoutMs: 400})), 400, /no answer within 400 ms/);
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const cancelled = await timed(() => new PatroniClient(silentUrl).restart({}, controller.signal, 300_000));
		assert.match(cancelled.error?.message ?? '', /POST .*\/restart: aborted/);
		assert.ok(cancelled.ms < 400, `a cancelled POST /restart took ${Math.round(cancelled.ms)} ms`);
	});

	it('HAProxy: the stats page and the admin socket end at their deadlines', async () => {
		endsAtDeadline(await timed(() => fetchStatsCsv(`${silentUrl}/;csv`, {timeoutMs: 300})), 300, /no answer within 300 ms/);
		endsAtDeadline(await timed(() => socketCommand(unixPath, 'show stat', {timeoutMs: 300})), 300, /no answer to "show stat" within 300 ms/);
	});

	it('etcd: v2 reads and v3 calls end at their deadlines', async () => {
		const v2 = etcd2Client({endpoints: [silentUrl], requestTimeoutMs: 300}, '/service/x');
		endsAtDeadline(await timed(() => v2.read(new AbortController().signal)), 300, /etcd v2 read: no answer within 300 ms/);
		v2.close();
		const v3 = createEtcd3Client({endpoints: [silentUrl.replace('http://', '')], requestTimeoutMs: 300});
		endsAtDeadline(await timed(() => bounded('range', 400, new AbortController().signal, () => v3.getAll().prefix('/service/x').exec())), 400, /etcd range: /);
		v3.close();
	});

	it('basic auth goes with unsafe requests only (Patroni 3.0.2 checks it on no GET)', async () => {
		const headers: Array<{method?: string; authorization?: string}> = [];
		const server = http.createServer((request, response) => {
			headers.push({method: request.method, authorization: request.headers.authorization});
			request.resume();
			response.end('ok');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const client = new PatroniClient(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, {credentials: {username: 'u', password: 'p'}});
		await client.request('GET', '/patroni');
		await client.request('GET', '/cluster');
		await client.reload();
		await client.patchConfig({});
		await client.cancelRestart();
		server.close();
		const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
		assert.deepEqual(headers, [
			{method: 'GET', authorization: undefined},
			{method: 'GET', authorization: undefined},
			{method: 'POST', authorization: basic},
			{method: 'PATCH', authorization: basic},
			{method: 'DELETE', authorization: basic},
		]);
	});

	it('a switchover whose POST /switchover never answers is cancelled within 2 s, and says where it stopped', async () => {
		const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
		const snapshot = buildSnapshot(recorded.states, {scope: 'labtest', now: recorded.states.rest.updatedAt! + 500});
		const context = contextOn(() => snapshot, {pollMs: 20}, {patroni: () => new PatroniClient(silentUrl)});
		const candidate = snapshot.members.find(member => member.name !== snapshot.leader)!.name;
		const logged: string[] = [];
		const runner = new OperationRunner({isReadOnly: false, onStep: (title, event) => logged.push(`${title}: ${event.kind === 'step' ? event.text : event.summary}`)});
		const finished = runner.start(switchoverOperation(context, {candidate}));
		await waitUntil(() => seen.some(line => line.startsWith('POST /switchover')), 3000);
		const outcome = await timed(() => runner.interrupt('q', 1500));
		assert.ok(outcome.ms < 2000, `the cancel took ${Math.round(outcome.ms)} ms`);
		await finished;
		const record = runner.getView().operations[0]!;
		assert.equal(record.state, 'failed');
		assert.ok(logged.some(line => /interrupted \(q\): stopped at "asking node\d's Patroni to hand over/.test(line)), logged.join('\n'));
	});
});

describe('an operation cut short', () => {
	const progress = {what: 'rolling restart', done: ['node1', 'node2'], left: ['node3'], leftAs: 'still pending a restart'};

	it('says what it left half-done from its last progress', () => {
		assert.equal(describeHalfDone(progress), 'rolling restart stopped after node1, node2; node3 still pending a restart');
		assert.equal(
			describeHalfDone({...progress, done: [], left: ['node1', 'node2'], leftAs: 'still pending restarts', inFlight: 'node1: POST /restart'}),
			'rolling restart stopped before any was done; node1, node2 still pending restarts (node1: POST /restart was in flight)',
		);
	});

	it('the runner gives up on one that ignores its signal within its budget, and says what was half-done', async () => {
		const stuck: Operation = {
			title: 'rolling restart',
			target: 'every member',
			isMutating: true,
			async *run() {
				yield step('node2 restarted', 'done', progress);
				await new Promise(() => undefined);
			},
		};
		const runner = new OperationRunner({isReadOnly: false});
		void runner.start(stuck);
		await waitUntil(() => runner.getView().operations[0]?.events.length === 1, 1000);
		const startedAt = performance.now();
		const lines = await runner.interrupt('SIGTERM', 300);
		assert.ok(performance.now() - startedAt < 600);
		assert.deepEqual(lines, ['rolling restart: interrupted (SIGTERM): rolling restart stopped after node1, node2; node3 still pending a restart']);
		const record = runner.getView().operations[0]!;
		assert.equal(record.state, 'failed');
		assert.match(record.events.at(-1)!.kind === 'done' ? (record.events.at(-1) as {summary: string}).summary : '', /had not stopped 300 ms later/);
	});
});

async function waitUntil(holds: () => boolean, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!holds()) {
		if (Date.now() > deadline) assert.fail('not within the time given');
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
