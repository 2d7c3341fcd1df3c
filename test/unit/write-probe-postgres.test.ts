import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {withWriteProbe} from '../../source/operations/composition.js';
import {done, mutation, OperationRefused, step} from '../../source/operations/operation.js';
import {OperationRunner} from '../../source/operations/runner.js';
import {QUICK_FINISH, startWriteProbe as startProbe, type WriteProbe, type WriteProbeOptions} from '../../source/operations/write-probe.js';
import {isAvailable, startThrowawayPostgres, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';

// The write probe against a throwaway PostgreSQL 15 of the test's own on 127.0.0.1:25999 (not the lab): its own
// table made and dropped, others' tables untouched, lost writes counted exactly, nothing written when refused.
const PORT = 25999;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the write probe on a real PostgreSQL', {skip: !isAvailable && 'no /usr/lib/postgresql/15/bin/initdb'}, () => {
	let server: ThrowawayPostgres;
	const probeTables = async () => (await server.sql<{name: string}>("select relname as name from pg_class where relkind = 'r' and relname like 'patroni\\_tui\\_probe%' order by 1")).map(row => row.name);
	const options = (overrides: Partial<WriteProbeOptions> = {}): WriteProbeOptions => ({primary: {host: '127.0.0.1', port: PORT}, targetName: `127.0.0.1:${PORT}`, postgres: {user: 'postgres'}, intervalMs: 5, ...overrides});

	// A failed assertion must not leave a probe writing (the file would never end): every one is stopped after.
	const started: WriteProbe[] = [];
	const startWriteProbe = (probeOptions: WriteProbeOptions) => {
		const probe = startProbe(probeOptions);
		started.push(probe);
		return probe;
	};

	before(async () => {
		server = await startThrowawayPostgres(PORT);
		// Tables that are not this run's: the old fixed-name probe table and one that only looks like a probe's.
		await server.sql('create table patroni_tui_probe (id bigserial primary key, token text)');
		await server.sql('create table patroni_tui_probe_0123456789ab (id bigint primary key)');
		await server.sql('insert into patroni_tui_probe_0123456789ab values (1), (2)');
	});

	after(async () => {
		await Promise.all(started.map(probe => probe.finish(QUICK_FINISH).catch(() => undefined)));
		await server?.stop();
	});

	it('writes into a table of its own, counts every acknowledged write back, and drops only that table', async () => {
		const probe = startWriteProbe(options());
		await sleep(400);
		assert.deepEqual(await probeTables(), ['patroni_tui_probe', 'patroni_tui_probe_0123456789ab', probe.table.replace('public.', '')].sort());
		const [mark] = await server.sql<{mark: string}>('select obj_description($1::regclass, \'pg_class\') as mark', [probe.table]);
		assert.match(mark!.mark, /^patroni-tui write probe, run [0-9a-f]{12}$/);
		const result = await probe.finish();
		assert.ok(result.acknowledged > 10, `${result.acknowledged} acknowledged`);
		assert.equal(result.missing, 0);
		assert.equal(probe.rangeCount, 1, 'no failure, one range');
		assert.equal(result.isTableLeft, false);
		assert.equal(result.cleanup, `dropped ${probe.table}`);
		assert.deepEqual(await probeTables(), ['patroni_tui_probe', 'patroni_tui_probe_0123456789ab']);
		assert.equal((await server.sql<{n: string}>('select count(*) as n from patroni_tui_probe_0123456789ab'))[0]!.n, '2');
	});

	it('counts exactly the acknowledged writes that went missing, and names a few', async () => {
		const probe = startWriteProbe(options());
		await sleep(300);
		// Lost writes, as a failover to a replica that had not received them would lose them.
		await server.sql(`delete from ${probe.table} where id in (2, 3, 4, 9)`);
		await sleep(100);
		const result = await probe.finish();
		assert.equal(result.missing, 4);
		assert.deepEqual(result.missingTokens.map(token => Number(token.split('-')[1])), [2, 3, 4, 9]);
		assert.equal(result.cleanup, `dropped ${probe.table}`);
	});

	it('counts every acknowledged write lost when its whole table is gone', async () => {
		const probe = startWriteProbe(options({intervalMs: 20}));
		await sleep(200);
		const before = probe.stats.acknowledged;
		await server.sql(`drop table ${probe.table}`);
		const result = await probe.finish();
		assert.ok(result.missing >= before && result.missing <= result.acknowledged, `${result.missing} missing of ${result.acknowledged}`);
		assert.deepEqual(await probeTables(), ['patroni_tui_probe', 'patroni_tui_probe_0123456789ab']);
	});

	it('says, naming the table, that it was left behind when the cluster is gone at the end', async () => {
		let port = PORT;
		const probe = startWriteProbe(options({primary: () => ({host: '127.0.0.1', port})}));
		await sleep(200);
		port = 1; // nothing listens there: the leader is gone
		await assert.rejects(probe.finish({timeoutMs: 600, connectMs: 200, statementMs: 200}), error => {
			assert.match((error as Error).message, new RegExp(`could not be read back within 0.6 s: .*; ${probe.table.replace('.', '\\.')} is left in database postgres through 127\\.0\\.0\\.1:${PORT} \\(the cluster did not answer\\): drop it with "drop table ${probe.table.replace('.', '\\.')}"`));
			return true;
		});
		await server.sql(`drop table ${probe.table}`);
	});

	it('beside a refused operation writes nothing; beside a cancelled one, still drops its table', async () => {
		const before = await server.sql<{n: string}>('select count(*) as n from pg_class');
		const runner = new OperationRunner({isReadOnly: false});
		const refused = mutation(false, 'switchover node1 → node3', 'node3', async function* () {
			throw new OperationRefused('Cannot switch over: node3 is not streaming.');
			yield step('never');
		});
		await runner.start(withWriteProbe(refused, options()));
		assert.equal(runner.getView().operations[0]!.state, 'refused');
		assert.deepEqual(await server.sql('select count(*) as n from pg_class'), before, 'no relation was created');

		const long = mutation(false, 'rolling restart', 'every member', async function* (signal) {
			yield step('order: node2, then node3', 'info');
			await new Promise(resolve => signal.addEventListener('abort', resolve, {once: true}));
			yield done(false, 'Cancelled before "node2 (replica)"');
		});
		const running = runner.start(withWriteProbe(long, options()));
		await sleep(300);
		assert.equal((await probeTables()).length, 3, 'the probe made its table');
		const lines = await runner.interrupt('q', 1500);
		await running;
		const texts = runner.getView().operations[1]!.events.map(event => (event.kind === 'done' ? event.summary : event.text));
		assert.ok(texts.some(text => /^write probe: \d+ acknowledged, 0 failed, .*, 0 acknowledged writes missing$/.test(text)), texts.join('\n'));
		assert.ok(texts.some(text => /^write probe table: dropped public\.patroni_tui_probe_[0-9a-f]{12}$/.test(text)), texts.join('\n'));
		assert.equal(lines.length, 1);
		assert.deepEqual(await probeTables(), ['patroni_tui_probe', 'patroni_tui_probe_0123456789ab']);
	});
});
