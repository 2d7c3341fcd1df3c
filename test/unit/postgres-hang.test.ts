import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {getEventListeners} from 'node:events';
import net from 'node:net';
import {PatroniClient, type PatroniApi} from '../../source/clients/patroni.js';
import {closePostgres, connectPostgres, withPostgres, type PostgresTarget} from '../../source/clients/postgres.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {replicationCheckOperation} from '../../source/operations/replication-check.js';
import {rollingRestartOperation} from '../../source/operations/rolling-restart.js';
import {OperationRunner} from '../../source/operations/runner.js';
import {contextOn} from '../helpers/operation-context.js';
import {timed} from '../helpers/timed.js';
import {isAvailable, startThrowawayPostgres, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';

// A throwaway PostgreSQL 15 of the test's own on 127.0.0.1:25998 (Debian's binaries, a temporary data directory,
// trust auth), whose processes the test stops with SIGSTOP as a frozen member would be: the postmaster (no new
// connection gets past the startup packet) or one backend (its query never answers). Everything started is
// stopped by its pid. Skipped where Debian's PostgreSQL 15 is not installed.
const PORT = 25998;
const target: PostgresTarget = {host: '127.0.0.1', port: PORT, user: 'postgres'};

describe('a frozen PostgreSQL (SIGSTOP)', {skip: !isAvailable && 'no /usr/lib/postgresql/15/bin/initdb'}, () => {
	let postmaster: ThrowawayPostgres | undefined;
	const stopped = new Set<number>();

	before(async () => {
		postmaster = await startThrowawayPostgres(PORT);
	});

	after(async () => {
		for (const pid of stopped) process.kill(pid, 'SIGCONT');
		await postmaster?.stop();
	});

	const stop = (pid: number) => {
		process.kill(pid, 'SIGSTOP');
		stopped.add(pid);
	};
	const resume = (pid: number) => {
		process.kill(pid, 'SIGCONT');
		stopped.delete(pid);
	};

	it("an operation's signal keeps no listener once its connections are closed (one each tripped MaxListenersExceededWarning)", async () => {
		const signal = new AbortController().signal;
		for (let index = 0; index < 15; index++) await withPostgres(target, client => client.query('select 1'), {}, signal);
		assert.equal(getEventListeners(signal, 'abort').length, 0);
		const open = await connectPostgres(target, {}, signal);
		assert.equal(getEventListeners(signal, 'abort').length, 1, 'an open connection is still tied to the signal');
		await closePostgres(open);
		assert.equal(getEventListeners(signal, 'abort').length, 0);
	});

	it('a query on a stopped backend fails at its query timeout, and the close takes its grace only', async t => {
		const client = await connectPostgres(target, {statementMs: 500});
		const pid = (await client.query<{pid: number}>('select pg_backend_pid() as pid')).rows[0]!.pid;
		stop(pid);
		const query = await timed(() => client.query('select 1'));
		assert.match(query.error?.message ?? 'it answered', /timeout/i);
		assert.ok(query.ms >= 950 && query.ms < 1700, `the query gave up after ${Math.round(query.ms)} ms (query timeout 1000 ms)`);
		const close = await timed(() => closePostgres(client));
		assert.ok(close.ms < 900, `the close took ${Math.round(close.ms)} ms`);
		t.diagnostic(`query on a stopped backend: error after ${Math.round(query.ms)} ms (query timeout 1000 ms); close ${Math.round(close.ms)} ms`);
		resume(pid);
	});

	it('a connection to a stopped postmaster fails at its connect timeout; an abort ends it at once', async t => {
		stop(postmaster!.pid);
		try {
			const connect = await timed(() => connectPostgres(target, {connectMs: 500}));
			assert.ok(connect.error, 'it connected');
			assert.ok(connect.ms >= 480 && connect.ms < 1300, `the connect gave up after ${Math.round(connect.ms)} ms (timeout 500 ms)`);
			const controller = new AbortController();
			setTimeout(() => controller.abort(), 150);
			const aborted = await timed(() => withPostgres(target, client => client.query('select 1'), {connectMs: 10_000}, controller.signal));
			assert.match(aborted.error?.message ?? 'it answered', /aborted/);
			assert.ok(aborted.ms < 700, `the abort took ${Math.round(aborted.ms)} ms`);
			t.diagnostic(`connect to a stopped postmaster: error after ${Math.round(connect.ms)} ms (timeout 500 ms); aborted at 150 ms: error after ${Math.round(aborted.ms)} ms`);
		} finally {
			resume(postmaster!.pid);
		}
	});

	it('a replication check on a frozen member is cancelled within 2 s, and its slot is free again', async t => {
		const member = {name: 'node1', role: 'leader', state: 'running', host: '127.0.0.1', port: PORT, api_url: 'http://127.0.0.1:1/patroni'};
		const patroni = (baseUrl: string) => ({baseUrl, cluster: async () => ({members: [member]})}) as unknown as PatroniApi;
		const context = contextOn(() => ({scope: 'hang', members: [], leader: undefined}) as unknown as ClusterSnapshot, {restSeeds: ['http://127.0.0.1:1']}, {patroni});
		const runner = new OperationRunner({isReadOnly: false});
		stop(postmaster!.pid);
		try {
			const finished = runner.start(replicationCheckOperation(context, {timeoutMs: 30_000}));
			await new Promise(resolve => setTimeout(resolve, 300));
			const cancel = await timed(() => runner.interrupt('q', 1500));
			assert.ok(cancel.ms < 2000, `the cancel took ${Math.round(cancel.ms)} ms`);
			t.diagnostic(`replication check on a frozen member: cancelled in ${Math.round(cancel.ms)} ms`);
			const ended = await timed(() => finished);
			assert.ok(ended.ms < 100, 'the operation itself had ended');
			const record = runner.getView().operations[0]!;
			assert.equal(record.state, 'failed');
			assert.ok(!record.events.some(event => event.kind === 'done' && /had not stopped/.test(event.summary)), 'it stopped within the budget by itself');
		} finally {
			resume(postmaster!.pid);
		}
	});

	it('a rolling restart whose POST /restart (300 s) never answers is cancelled within 2 s, naming the member left pending', async t => {
		// Patroni stands in: /cluster, /patroni and /config answered from here, POST /restart sent for real to a TCP
		// server that accepts and never answers. The leader's PostgreSQL is the throwaway one, really queried.
		const silent = net.createServer(socket => socket.on('error', () => undefined));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const sockets: net.Socket[] = [];
		silent.on('connection', socket => sockets.push(socket));
		const hanging = new PatroniClient(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
		const member = {name: 'node1', role: 'leader', state: 'running', host: '127.0.0.1', port: PORT, api_url: 'http://127.0.0.1:1/patroni', pending_restart: true};
		const patroni = (baseUrl: string) => ({
			baseUrl,
			cluster: async () => ({members: [member]}),
			status: async () => ({state: 'running', role: 'master', pending_restart: true}),
			config: async () => ({postgresql: {parameters: {}}}),
			restart: (request: object, signal?: AbortSignal, timeoutMs?: number) => hanging.restart(request, signal, timeoutMs),
		}) as unknown as PatroniApi;
		const context = contextOn(() => ({scope: 'hang', members: [], leader: undefined}) as unknown as ClusterSnapshot, {restSeeds: ['http://127.0.0.1:1']}, {patroni});
		const runner = new OperationRunner({isReadOnly: false});
		try {
			const finished = runner.start(rollingRestartOperation(context, {mode: 'in-place'}));
			const deadline = Date.now() + 10_000;
			while (sockets.length === 0) {
				assert.ok(Date.now() < deadline, `no POST /restart was sent: ${JSON.stringify(runner.getView().operations[0]?.events)}`);
				await new Promise(resolve => setTimeout(resolve, 20));
			}
			const cancel = await timed(() => runner.interrupt('SIGTERM', 1500));
			assert.ok(cancel.ms < 2000, `the cancel took ${Math.round(cancel.ms)} ms`);
			await finished;
			t.diagnostic(`rolling restart, POST /restart in flight: cancelled in ${Math.round(cancel.ms)} ms`);
			assert.deepEqual(cancel.error, undefined);
			const record = runner.getView().operations[0]!;
			const texts = record.events.map(event => (event.kind === 'step' ? event.text : event.summary));
			assert.ok(texts.includes('interrupted (SIGTERM): rolling restart stopped before any was done; node1 still pending a restart (node1: POST /restart was in flight)'), texts.join('\n'));
			assert.equal(record.state, 'failed');
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	});
});
