import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {PostgresView} from '../../source/model/views.js';
import {isLeaderRole} from '../../source/model/roles.js';
import {postgresSource} from '../../source/sources/postgres-source.js';
import {restSource} from '../../source/sources/rest-source.js';
import type {Source, SourceEvent} from '../../source/sources/source.js';
import {ensureTestLab, patronictl, testLabSecrets, waitFor} from '../helpers/lab.js';
import {sql} from '../helpers/postgres.js';
import {psql, psqlValue} from '../helpers/psql-witness.js';

const run = promisify(execFile);

/** Consumes a source in the background, as the UI would, keeping every event it yields. */
class Recorder<T> {
	readonly events: Array<SourceEvent<T>> = [];
	readonly #controller = new AbortController();
	readonly #done: Promise<void>;

	constructor(source: Source<T>) {
		this.#done = (async () => {
			for await (const event of source(this.#controller.signal)) this.events.push(event);
		})();
	}

	/** The first data event from index `from` on that satisfies `test`. */
	async data(what: string, test: (data: T) => boolean, timeoutMs = 30_000, from = 0): Promise<{data: T; index: number; at: number}> {
		return waitFor(what, async () => {
			const index = this.events.findIndex((event, i) => i >= from && event.kind === 'data' && test(event.data));
			const event = this.events[index];
			return event?.kind === 'data' ? {data: event.data, index, at: event.at} : undefined;
		}, timeoutMs);
	}

	/** Aborts and resolves with how long the iterator took to end. */
	async stop(): Promise<number> {
		const start = Date.now();
		this.#controller.abort();
		await this.#done;
		return Date.now() - start;
	}
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

describe('REST and PostgreSQL sources against the lab', () => {
	let status: LabStatus;
	before(async () => {
		process.on('unhandledRejection', onUnhandled);
		status = await ensureTestLab();
	});
	after(() => {
		process.off('unhandledRejection', onUnhandled);
		assert.deepEqual(unhandled, [], 'no unhandled rejection');
	});

	it("REST: the first view names patronictl's leader and has a status for all three members", async () => {
		const started = Date.now();
		const rest = new Recorder(restSource({seeds: status.members.map(m => m.restApi), interval: 1000, timeoutMs: 2000}));
		try {
			const {data} = await rest.data('a REST view', () => true);
			console.log(`first REST view after ${Date.now() - started} ms`);
			const listed = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string}>;
			const leader = listed.find(member => member.Role === 'Leader')?.Member;
			assert.ok(leader, 'patronictl names a leader');
			assert.equal(data.cluster?.members.find(member => isLeaderRole(member.role))?.name, leader);
			assert.deepEqual(Object.keys(data.members).sort(), status.members.map(m => m.name).sort());
			for (const [name, entry] of Object.entries(data.members)) {
				assert.equal(entry.error, undefined, `${name}: ${entry.error}`);
				assert.equal(entry.status?.state, 'running', name);
				assert.equal(isLeaderRole(entry.status?.role), name === leader, `${name} is ${entry.status?.role}`);
			}
			assert.ok(Array.isArray(data.history), 'history fetched');
			assert.equal(typeof data.config?.['ttl'], 'number', 'config fetched');
		} finally {
			const stoppedIn = await rest.stop();
			console.log(`REST source ended ${stoppedIn} ms after abort`);
			assert.ok(stoppedIn < 1000, `ended ${stoppedIn} ms after abort`);
		}
	});

	it('PostgreSQL: one primary streaming to both replicas; a killed replica is an error, then recovers by itself', async () => {
		const haproxyPorts = [status.haproxy.primary.port, status.haproxy.replicas.port];
		const endpoints = status.members.map(m => ({name: m.name, ...m.postgres}));
		assert.ok(endpoints.every(endpoint => !haproxyPorts.includes(endpoint.port)), 'never through HAProxy');
		const source = postgresSource({
			endpoints: () => endpoints,
			user: 'postgres',
			password: testLabSecrets().superuserPassword,
			interval: 500,
			connectTimeoutMs: 2000,
			statementTimeoutMs: 2000,
		});
		const started = Date.now();
		const pg = new Recorder(source);
		try {
			const healthy = (view: PostgresView) => streamingTo(view)?.length === 2;
			const {data} = await pg.data('every member answering, two replicas streaming', healthy);
			console.log(`first healthy PostgreSQL view after ${Date.now() - started} ms`);
			const members = Object.entries(data.members);
			const primaries = members.filter(([, member]) => member.isInRecovery === false).map(([name]) => name);
			assert.equal(primaries.length, 1, JSON.stringify(data));
			const replicas = members.filter(([, member]) => member.isInRecovery === true).map(([name]) => name).sort();
			assert.deepEqual(streamingTo(data), replicas);
			// psql, asked the same of each member, must agree with the source.
			for (const endpoint of endpoints) {
				assert.equal(await psqlValue(endpoint.port, 'select pg_is_in_recovery()'), primaries.includes(endpoint.name) ? 'f' : 't', `${endpoint.name} per psql`);
			}
			const primaryPort = endpoints.find(endpoint => endpoint.name === primaries[0])!.port;
			assert.deepEqual(await psql(primaryPort, "select application_name from pg_stat_replication where state = 'streaming' order by 1"), replicas, 'streaming per psql');
			const timelines = new Set(members.map(([, member]) => member.timeline));
			assert.equal(timelines.size, 1, `timelines ${[...timelines].join(',')}`);
			assert.equal(typeof [...timelines][0], 'number');
			await persistentOnEveryMember(endpoints.map(endpoint => endpoint.port));

			const victim = replicas[0]!;
			const others = members.map(([name]) => name).filter(name => name !== victim);
			const container = status.members.find(m => m.name === victim)?.container?.id;
			assert.ok(container, `${victim} has a container`);
			const from = pg.events.length;
			const killedAt = Date.now();
			await run('docker', ['exec', container, 'sh', '-c', 'kill -9 $(head -1 /lab/data/postmaster.pid)'], {timeout: 15_000});

			const failed = await pg.data(`an error for ${victim}`, view => view.members[victim]?.error !== undefined, 20_000, from);
			console.log(`${victim}: error after ${failed.at - killedAt} ms: ${failed.data.members[victim]?.error}`);
			for (const name of others) assert.equal(failed.data.members[name]?.error, undefined, `${name} keeps its data`);
			assert.ok(others.every(name => typeof failed.data.members[name]?.isInRecovery === 'boolean'));

			const back = await pg.data(`${victim} back`, view => view.members[victim]?.isInRecovery === true, 60_000, failed.index);
			console.log(`${victim}: answering again ${back.at - killedAt} ms after the kill`);
			const streaming = await pg.data('both replicas streaming again', healthy, 60_000, back.index);
			console.log(`both replicas streaming again ${streaming.at - killedAt} ms after the kill`);
			assert.ok(pg.events.every(event => event.kind === 'data'), 'the source itself never failed');
		} finally {
			const stoppedIn = await pg.stop();
			console.log(`PostgreSQL source ended ${stoppedIn} ms after abort`);
			assert.ok(stoppedIn < 1500, `ended ${stoppedIn} ms after abort`);
		}
	});
});

/** One connection per member lives across polls: a backend of ours older than several polls is still there. */
async function persistentOnEveryMember(ports: readonly number[]): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, 2500));
	for (const port of ports) {
		const [row] = await sql<{count: number}>(
			port,
			"select count(*)::int as count from pg_stat_activity where application_name = 'patroni-tui' and backend_start < now() - interval '2 seconds'",
		);
		assert.ok((row?.count ?? 0) >= 1, `a lasting connection on ${port}`);
	}
}

/** Application names the primary sees streaming, sorted; undefined unless every member answered. */
function streamingTo(view: PostgresView): string[] | undefined {
	const members = Object.values(view.members);
	if (members.length === 0 || members.some(member => member.error !== undefined)) return undefined;
	const primary = members.find(member => member.isInRecovery === false);
	return primary?.replication?.filter(row => row.state === 'streaming').map(row => row.applicationName).sort();
}
