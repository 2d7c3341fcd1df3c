/**
 * Confirmations default to No. Every action key's flow is answered by keys through the real dialog reducer and
 * flows (test/helpers/dialog-driver.ts); the operations a confirmation would start are captured, not run — a
 * recording stand-in for the runner, which is enough to prove that Enter and Esc start nothing. What a started
 * operation then does to a real cluster is test/lab/35-confirm-default-no.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {dialogReducer, YES, type Dialog} from '../../source/dialog.js';
import {createFlows, type FlowContext} from '../../source/flows.js';
import {containerFlow, haproxyServerFlow} from '../../source/flows/infra-flows.js';
import {failoverFlow, switchoverFlow} from '../../source/flows/leader-flows.js';
import {editParameterFlow, writeProbeFlow} from '../../source/flows/parameter-flows.js';
import type {ProbeBeside} from '../../source/flows/probe.js';
import type {ActionCommand} from '../../source/keymap.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {PgSetting} from '../../source/operations/pg-settings.js';
import {PANE_NAMES, type PaneName} from '../../source/panes.js';
import {healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {drive} from '../helpers/dialog-driver.js';
import {contextOn} from '../helpers/operation-context.js';

const settings = JSON.parse(fs.readFileSync('test/fixtures/pg-settings-15.json', 'utf8')) as PgSetting[];
const ops = () => contextOn(() => healthySnapshot, {}, {haproxy: {socketPath: '/tmp/patroni-tui-no.sock', primary: {host: '127.0.0.1', port: 15000}}});
/** Marks the operations the probe would wrap, so a test can tell y (with it) from o (without). */
const probe: ProbeBeside = {target: () => '127.0.0.1:15000', wrap: operation => ({...operation, title: `${operation.title} + write probe`})};

const on = (members: number, snapshot: ClusterSnapshot = healthySnapshot): FlowContext => ({
	snapshot,
	selection: Object.fromEntries(PANE_NAMES.map(name => [name, name === 'members' ? members : 0])) as Record<PaneName, number>,
});
const titles = (driven: {started: readonly {title: string}[]}) => driven.started.map(operation => operation.title);

describe('the confirmation dialog', () => {
	const dialog: Dialog = {kind: 'confirm', title: 'Pause lab?', lines: [], answers: YES, onAnswer: () => ({kind: 'close'})};
	it('Enter, Esc, n and N cancel; y and Y confirm; anything else does nothing', () => {
		assert.equal(dialogReducer(dialog, {name: 'return', input: '\r'}).kind, 'cancel');
		assert.match((dialogReducer(dialog, {name: 'return', input: '\r'}) as {message?: string}).message ?? '', /nothing was sent \(Enter is No here; y confirms\)/);
		for (const key of [{name: 'escape', input: ''}, {name: 'n', input: 'n'}, {name: 'N', input: 'N'}]) assert.equal(dialogReducer(dialog, key).kind, 'cancel', key.name);
		for (const input of ['y', 'Y']) assert.deepEqual(dialogReducer(dialog, {name: input, input}), {kind: 'submit', answer: 'yes', dialog});
		for (const input of ['o', 'j', ' ', 'yes']) assert.equal(dialogReducer(dialog, {name: input, input}).kind, 'none', input);
	});
});

describe('Enter and Esc on every action key send nothing', () => {
	const flows = createFlows(ops);
	const runs = [['enter', 'enter', 'enter', 'enter', 'enter', 'enter', 'enter'], ['esc'], ['enter', 'esc'], ['enter', 'enter', 'esc'], ['enter', 'enter', 'n']];
	for (const command of Object.keys(flows) as ActionCommand[]) {
		for (const member of [0, 1]) {
			it(`${command}, cursor on ${healthySnapshot.members[member]!.name}`, async () => {
				const flow = command === 'edit-parameter' ? editParameterFlow(ops, probe, async () => settings) : flows[command]!;
				for (const keys of runs) {
					const driven = await drive(flow(on(member)), keys);
					assert.deepEqual(titles(driven), [], `${command} ${keys.join(' ')}: ${driven.message ?? driven.dialog?.title}`);
				}
			});
		}
	}
});

describe('y confirms; the write probe is named, and o turns it down', () => {
	it('switchover: s, Enter, Enter is the question [y/o/N]; y runs it with the probe, o without, Enter not at all', async () => {
		const flow = switchoverFlow(ops, probe);
		const asked = await drive(flow(on(0)), ['enter', 'enter']);
		assert.equal(asked.dialog?.title, 'Switchover node2 → node1?');
		assert.ok(asked.dialog?.lines.some(line => line.includes('write probe on 127.0.0.1:15000')), asked.dialog?.lines.join(' / '));
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'enter', 'enter'])), []);
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'enter', 'y'])), ['switchover node2 → node1 + write probe']);
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'enter', 'Y'])), ['switchover node2 → node1 + write probe']);
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'enter', 'o'])), ['switchover node2 → node1']);
	});

	it('a switchover time that is not one stays on screen with the reason, to be corrected', async () => {
		const driven = await drive(switchoverFlow(ops, probe)(on(0)), ['enter', 'down', 'enter', '25:99', 'enter']);
		assert.equal(driven.dialog?.kind, 'input');
		assert.equal(driven.dialog?.kind === 'input' && driven.dialog.text, '25:99');
		assert.match(driven.dialog?.error ?? '', /"25:99" is not a future time\. Correct it, or Esc to cancel\./);
	});

	it('failover with a healthy leader: the name typed; Tab turns the probe off', async () => {
		const flow = failoverFlow(ops, probe);
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'y', 'enter'])), [], 'y is only a letter of a name');
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'node1', 'enter'])), ['failover → node1 + write probe']);
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter', 'tab', 'node1', 'enter'])), ['failover → node1']);
	});

	it('w asks before it starts the probe (it writes), and stops it without asking', async () => {
		const flow = writeProbeFlow(ops);
		const asked = await drive(flow(on(0)), []);
		assert.equal(asked.dialog?.title, 'Start the write probe on 127.0.0.1:15000?');
		assert.deepEqual(titles(await drive(flow(on(0)), ['enter'])), []);
		assert.deepEqual(titles(await drive(flow(on(0)), ['y'])), ['write probe to 127.0.0.1:15000']);
		assert.match((await drive(flow(on(0)), [])).message ?? '', /write probe stopping/);
	});

	it('pause, reload, replication check, a replica restart: y, and only y', async () => {
		const flows = createFlows(ops);
		assert.deepEqual(titles(await drive(flows['pause-resume']!(on(0)), ['y'])), ['pause lab (maintenance mode)']);
		assert.deepEqual(titles(await drive(flows.reload!(on(0)), ['enter', 'y'])), ['reload every member']);
		assert.deepEqual(titles(await drive(flows['replication-check']!(on(0)), ['y'])).length, 1);
		assert.deepEqual(titles(await drive(flows.restart!(on(0)), ['enter', 'y'])), ['restart node1']);
	});
});

describe('typed names', () => {
	const flows = createFlows(ops);
	it("restarting the leader needs its name typed, not y", async () => {
		const asked = await drive(flows.restart!(on(1)), ['enter']);
		assert.equal(asked.dialog?.kind, 'typed');
		assert.equal(asked.dialog?.title, 'Restart PostgreSQL on node2, the leader');
		assert.deepEqual(titles(await drive(flows.restart!(on(1)), ['enter', 'y', 'enter', 'enter'])), []);
		assert.match((await drive(flows.restart!(on(1)), ['enter', 'node3', 'enter'])).dialog?.error ?? '', /Type node2 exactly/);
		assert.deepEqual(titles(await drive(flows.restart!(on(1)), ['enter', 'node2', 'enter'])), ['restart node2']);
	});

	it("drain or maint of the server HAProxy routes writes to (primary/node2, the leader's) needs node2 typed", async () => {
		const flow = haproxyServerFlow(ops);
		const servers = await drive(flow(on(0)), []);
		assert.ok(servers.dialog?.kind === 'choose');
		assert.ok(!servers.dialog.options.some(option => /FRONTEND|BACKEND/.test(option.label)), 'no summary row is offered as a server');
		const toLeader = ['down', 'enter'];
		const states = await drive(flow(on(0)), toLeader);
		assert.ok(states.dialog?.kind === 'choose');
		assert.deepEqual(states.dialog.options.map(option => option.value), ['drain', 'maint'], 'an UP server is already ready');
		for (const state of [['enter'], ['down', 'enter']]) {
			const asked = await drive(flow(on(0)), [...toLeader, ...state]);
			assert.equal(asked.dialog?.kind, 'typed', state.join(' '));
			assert.deepEqual(titles(await drive(flow(on(0)), [...toLeader, ...state, 'y', 'enter'])), []);
		}
		assert.deepEqual(titles(await drive(flow(on(0)), [...toLeader, 'down', 'enter', 'node2', 'enter'])), ['HAProxy primary/node2 → maint']);
		// A replica's server in the replicas listener: a plain [y/N].
		const replica = await drive(flow(on(0)), ['down', 'down', 'down', 'down', 'enter', 'enter']);
		assert.equal(replica.dialog?.kind, 'confirm', replica.dialog?.title);
	});

	it("stopping or killing etcd's or HAProxy's container needs its name typed; a running container is offered no Start", async () => {
		const flow = containerFlow(ops);
		const containers = await drive(flow(on(0)), []);
		assert.ok(containers.dialog?.kind === 'choose');
		const {options, index: current} = containers.dialog;
		for (const name of ['patroni-tui-lab-etcd', 'patroni-tui-lab-haproxy']) {
			const index = options.findIndex(option => option.value === name);
			const moves = Array.from({length: Math.abs(index - current)}, () => (index > current ? 'down' : 'up'));
			const actions = await drive(flow(on(0)), [...moves, 'enter']);
			assert.ok(actions.dialog?.kind === 'choose');
			assert.deepEqual(actions.dialog.options.map(option => option.label), ['Stop', 'Restart', 'Kill (SIGKILL)'], 'the likely one first, no Start');
			assert.equal(actions.dialog.index, 0);
			for (const action of [[], ['down', 'down']]) {
				const asked = await drive(flow(on(0)), [...moves, 'enter', ...action, 'enter']);
				assert.equal(asked.dialog?.kind, 'typed', `${name} ${action.join(' ')}`);
				assert.deepEqual(titles(await drive(flow(on(0)), [...moves, 'enter', ...action, 'enter', 'y', 'enter'])), []);
			}
			assert.deepEqual(titles(await drive(flow(on(0)), [...moves, 'enter', 'enter', name, 'enter'])), [`docker stop ${name}`]);
		}
	});

	it('a stopped container is offered Start alone', async () => {
		const stopped: ClusterSnapshot = {...healthySnapshot, containers: healthySnapshot.containers.map(container => (container.member === 'node1' ? {...container, state: 'exited'} : container))};
		const driven = await drive(containerFlow(() => contextOn(() => stopped))(on(0, stopped)), ['enter']);
		assert.ok(driven.dialog?.kind === 'choose');
		assert.deepEqual(driven.dialog.lines, ['It is exited.']);
		assert.deepEqual(driven.dialog.options.map(option => option.label), ['Start']);
	});
});

describe('the parameter dialog keeps a wrong value for correction', () => {
	it('out of range: the value and the reason stay; corrected, it goes on to the [y/N]', async () => {
		const flow = editParameterFlow(ops, probe, async () => settings);
		const wrong = await drive(flow(on(0)), ['work_mem', 'enter', '1', 'enter']);
		assert.equal(wrong.dialog?.title, 'New value for work_mem');
		assert.equal(wrong.dialog?.kind === 'input' && wrong.dialog.text, '1');
		assert.match(wrong.dialog?.error ?? '', /work_mem .*Correct it, or Esc to cancel\./);
		assert.deepEqual(wrong.started, []);
		// Patroni's own limit is a wrong value too: kept, with Patroni's rule.
		const patroni = await drive(flow(on(0)), ['max_connections', 'enter', '20', 'enter']);
		assert.equal(patroni.dialog?.title, 'New value for max_connections');
		assert.match(patroni.dialog?.error ?? '', /Patroni refuses max_connections below 25.*Correct it, or Esc to cancel\./);
	});
});
