import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ConfigError} from '../../source/config-error.js';
import {fleetClusterConfig, resolveMonitorTarget} from '../../source/resolve-config.js';
import {fleetKey, INITIAL_FLEET_UI} from '../../source/fleet-keys.js';

const noDocker = () => false;

describe('one cluster or the fleet, from the command line', () => {
	it('no scope anywhere is the fleet of the namespace; a scope is that cluster; --all is the fleet anyway', () => {
		const fleet = resolveMonitorTarget({etcd: '127.0.0.1:2379'}, {}, noDocker);
		assert.equal(fleet.kind, 'fleet');
		assert.equal(fleet.config.scope, '');
		assert.equal(fleet.config.namespace, '/service/');
		const one = resolveMonitorTarget({etcd: '127.0.0.1:2379', scope: 'billing'}, {}, noDocker);
		assert.deepEqual([one.kind, one.config.scope], ['cluster', 'billing']);
		const all = resolveMonitorTarget({etcd: '127.0.0.1:2379', scope: 'billing', all: true}, {}, noDocker);
		assert.equal(all.kind, 'fleet');
		assert.equal(all.kind === 'fleet' && all.named, 'billing');
	});

	it('the fleet needs etcd: REST alone names no namespace', () => {
		assert.throws(() => resolveMonitorTarget({rest: 'http://127.0.0.1:8008'}, {}, noDocker), (error: Error) => error instanceof ConfigError && /^The fleet is read from etcd/.test(error.message));
	});

	it('a cluster opened from the fleet keeps the REST seeds and HAProxy only when it is the one the config named', () => {
		const target = resolveMonitorTarget({etcd: '127.0.0.1:2379', scope: 'billing', all: true, rest: 'http://127.0.0.1:8008', haproxyStats: 'http://127.0.0.1:7000/;csv'}, {}, noDocker);
		assert.equal(target.kind, 'fleet');
		if (target.kind !== 'fleet') return;
		const named = fleetClusterConfig(target, 'billing');
		assert.deepEqual([named.scope, named.restSeeds, named.haproxy.statsUrl], ['billing', ['http://127.0.0.1:8008'], 'http://127.0.0.1:7000/;csv']);
		const other = fleetClusterConfig(target, 'orders');
		assert.deepEqual([other.scope, other.restSeeds, other.haproxy.statsUrl], ['orders', [], undefined]);
		assert.deepEqual(other.dcs, named.dcs, 'the same etcd and its access');
	});
});

describe("the fleet's keys", () => {
	const press = (ui = INITIAL_FLEET_UI, name: string, input = name) => fleetKey(ui, {name, input}, 5, 3);

	it('typing filters from the first row; Backspace and Esc undo it; q quits only with nothing typed', () => {
		const typed = press(INITIAL_FLEET_UI, 'b');
		assert.deepEqual(typed, {kind: 'update', ui: {filter: 'b', cursor: 0}});
		assert.ok(typed.kind === 'update');
		assert.deepEqual(press(typed.ui, 'q'), {kind: 'update', ui: {filter: 'bq', cursor: 0}}, 'a q in a scope name is typed');
		assert.deepEqual(press(typed.ui, 'backspace', ''), {kind: 'update', ui: {filter: '', cursor: 0}});
		assert.deepEqual(press(typed.ui, 'escape', ''), {kind: 'update', ui: {filter: '', cursor: 0}});
		assert.deepEqual(press(INITIAL_FLEET_UI, 'q'), {kind: 'quit'});
		assert.deepEqual(press(typed.ui, 'ctrl-c', 'c'), {kind: 'quit'});
		assert.deepEqual(press(INITIAL_FLEET_UI, ' '), {kind: 'none'}, 'no space in a scope');
		assert.deepEqual(press(typed.ui, 'leet048'), {kind: 'update', ui: {filter: 'bleet048', cursor: 0}}, 'a paste (one read, many characters) is typed whole');
		assert.deepEqual(press(INITIAL_FLEET_UI, 'qa'), {kind: 'update', ui: {filter: 'qa', cursor: 0}}, 'a pasted name starting with q is typed, not a quit');
	});

	it('arrows and pages move within the rows; Enter opens the row under the cursor, none when nothing is shown', () => {
		assert.deepEqual(press({filter: '', cursor: 4}, 'down', ''), {kind: 'update', ui: {filter: '', cursor: 4}});
		assert.deepEqual(press({filter: '', cursor: 0}, 'pagedown', ''), {kind: 'update', ui: {filter: '', cursor: 3}});
		assert.deepEqual(press({filter: '', cursor: 1}, 'up', ''), {kind: 'update', ui: {filter: '', cursor: 0}});
		assert.deepEqual(press({filter: '', cursor: 2}, 'return', ''), {kind: 'open', index: 2});
		assert.deepEqual(fleetKey({filter: 'zz', cursor: 0}, {name: 'return', input: ''}, 0, 3), {kind: 'none'});
	});
});
