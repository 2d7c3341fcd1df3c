import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, describe, it} from 'node:test';
import {withWriteProbe} from '../../source/operations/composition.js';
import {done, mutation, OperationRefused, step, type Operation} from '../../source/operations/operation.js';
import {OperationRunner} from '../../source/operations/runner.js';
import type {WriteProbeOptions} from '../../source/operations/write-probe.js';

// A stand-in for PostgreSQL: a TCP server that records when each connection came and closes it at once. It is
// not a database (every write fails), only a witness of whether, and when, the write probe tried to write.
describe('the write probe beside an operation starts only once that operation has validated', () => {
	let server: net.Server;
	let port = 0;
	const connections: number[] = [];

	before(async () => {
		server = net.createServer(socket => {
			connections.push(performance.now());
			socket.destroy();
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as net.AddressInfo).port;
	});

	after(async () => {
		await new Promise(resolve => server.close(resolve));
	});

	const probe = (): WriteProbeOptions => ({primary: {host: '127.0.0.1', port}, targetName: `127.0.0.1:${port}`, postgres: {user: 'postgres'}, intervalMs: 20});
	const runWrapped = async (operation: Operation) => {
		const runner = new OperationRunner({isReadOnly: false});
		await runner.start(withWriteProbe(operation, probe()));
		return runner.getView().operations[0]!;
	};

	it('a refused switchover (refused before its first step) writes nothing', async () => {
		connections.length = 0;
		const refused = mutation(false, 'switchover node1 → node3', 'node3', async function* () {
			throw new OperationRefused('Cannot switch over: node3 is not streaming.');
			yield step('never');
		});
		const record = await runWrapped(refused);
		assert.equal(record.state, 'refused');
		assert.deepEqual(record.events.map(event => (event.kind === 'done' ? event.summary : event.text)), ['Cannot switch over: node3 is not streaming.']);
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(connections.length, 0, 'no connection was made to write');
	});

	it('an operation with nothing to do (done first) writes nothing', async () => {
		connections.length = 0;
		const idle = mutation(false, 'rolling restart', 'every member pending a restart', async function* () {
			yield done(true, 'No member is pending a restart.');
		});
		const record = await runWrapped(idle);
		assert.equal(record.state, 'succeeded');
		assert.equal(record.events.length, 1);
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(connections.length, 0);
	});

	it('a validated operation: the probe starts after validation and before the action, and says what became of its table', async () => {
		connections.length = 0;
		let validatedAt = 0;
		let actedAt = 0;
		const acting = mutation(false, 'switchover node1 → node2', 'node2', async function* () {
			validatedAt = performance.now();
			yield step('asking node1\'s Patroni to hand over to node2', 'running');
			actedAt = performance.now();
			yield done(true, 'node2 is the leader');
		});
		const record = await runWrapped(acting);
		const texts = record.events.map(event => (event.kind === 'done' ? `done: ${event.summary}` : event.text));
		assert.ok(connections.length > 0, 'the probe tried to write');
		assert.ok(connections[0]! > validatedAt && connections[0]! < actedAt, 'its first write came between validation and the action');
		assert.match(texts[0]!, /^write probe started: a small write every 20 ms into public\.patroni_tui_probe_[0-9a-f]{12} \(its own, dropped at the end\) through 127\.0\.0\.1:\d+$/);
		assert.equal(texts[1], 'asking node1\'s Patroni to hand over to node2');
		assert.match(texts[2]!, /^write probe: 0 acknowledged, \d+ failed, longest outage .*, 0 acknowledged writes missing$/);
		// Nothing could be created on the stand-in, and the result says so rather than claiming a drop.
		assert.match(texts[3]!, /^write probe table: no table was created \(/);
		assert.equal(texts.at(-1), 'done: node2 is the leader');
	});
});
