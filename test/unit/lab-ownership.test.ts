// lab down / destroy act only on what `lab up` made: a state directory with the lab's marker (or a lab from before
// the marker: our lab.json and secrets.json), and containers whose labels name the scope and that directory. The
// engine here is a stand-in that records what is asked of it; test/lab/04-destroy-refuses.test.ts does it for real.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {after, describe, it} from 'node:test';
import type Docker from 'dockerode';
import {askYesNo} from '../../source/lab/confirm.js';
import {labConfig, type LabConfig} from '../../source/lab/lab-config.js';
import {claimStateDir, inspectStateDir, LabRefusal, MARKER_FILE} from '../../source/lab/lab-marker.js';
import {destroyQuestion, labDestroy, labDown, type DestroyPlan} from '../../source/lab/lab-teardown.js';
import type {LabContext} from '../../source/lab/lab.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-ownership-'));
after(() => fs.rmSync(root, {recursive: true, force: true}));

type FakeContainer = {readonly id: string; readonly name: string; readonly labels: Record<string, string>; readonly mount?: string};

/** A Docker engine holding `containers`, with the calls the lab makes; `removed` lists the ids it was told to remove. */
function fakeEngine(containers: readonly FakeContainer[]) {
	const removed: string[] = [];
	const docker = {
		ping: async () => 'OK',
		listContainers: async ({filters}: {filters: {label: string[]}}) => {
			const [key, value] = filters.label[0]!.split('=');
			return containers
				.filter(container => container.labels[key!] === value)
				.map(container => ({
					Id: container.id,
					Names: [`/${container.name}`],
					Labels: container.labels,
					State: 'exited',
					Mounts: container.mount ? [{Type: 'bind', Source: container.mount, Destination: '/lab'}] : [],
				}));
		},
		getContainer: (id: string) => ({
			stop: async () => undefined,
			remove: async () => {
				removed.push(id);
			},
		}),
	};
	const lines: string[] = [];
	const context: LabContext = {docker: docker as unknown as Docker, socketPath: '/fake.sock', log: line => lines.push(line)};
	return {context, removed, lines};
}

function labels(scope: string, stateDir?: string): Record<string, string> {
	return {'io.patroni-tui.lab': scope, 'io.patroni-tui.component': 'member', ...(stateDir ? {'io.patroni-tui.state-dir': stateDir} : {})};
}

function madeLab(name: string): LabConfig {
	const config = labConfig({scope: 'owned', stateDir: path.join(root, name)});
	claimStateDir(config);
	for (const entry of ['node1', 'node2', 'node3', 'etcd', 'haproxy']) fs.mkdirSync(path.join(config.stateDir, entry, 'data'), {recursive: true});
	fs.writeFileSync(path.join(config.stateDir, 'secrets.json'), '{}');
	fs.writeFileSync(path.join(config.stateDir, 'patronictl.yaml'), 'scope: owned\n');
	return config;
}

const yes = async () => true;

describe('lab state directories', () => {
	it('a directory without the marker is refused by destroy and down, saying what is there, and nothing is removed', async () => {
		const dir = path.join(root, 'foreign');
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
		const config = labConfig({scope: 'owned', stateDir: dir});
		const {context, removed} = fakeEngine([{id: 'a'.repeat(64), name: 'patroni-tui-owned-node1', labels: labels('owned', dir)}]);
		let asked = false;
		await assert.rejects(
			labDestroy(config, context, async () => (asked = true)),
			(error: Error) => error instanceof LabRefusal && error.message.startsWith(`${dir} holds 1 file (notes.txt) and no patroni-tui lab marker: refusing to delete it`),
		);
		await assert.rejects(labDown(config, context), LabRefusal);
		assert.throws(() => claimStateDir(config), /refusing to make a lab in it/);
		assert.equal(asked, false, 'not even asked');
		assert.deepEqual(removed, []);
		assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
	});

	it('a marker of another program, or a file for a directory, is not ours either', () => {
		const dir = path.join(root, 'fake-marker');
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, MARKER_FILE), '{"program":"other"}');
		fs.mkdirSync(path.join(dir, 'photos'));
		assert.deepEqual(inspectStateDir(dir), {kind: 'foreign', entries: [MARKER_FILE, 'photos'], why: `a ${MARKER_FILE} that is not a patroni-tui lab marker`});
		const file = path.join(root, 'a-file');
		fs.writeFileSync(file, 'x');
		assert.equal(inspectStateDir(file).kind, 'foreign');
	});

	it('a lab made before the marker (our lab.json and secrets.json) is ours, and lab up adds the marker', () => {
		const dir = path.join(root, 'before-marker');
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify({scope: 'owned', dcs: 'etcd3', synchronousMode: false, portOffset: 0}));
		const secrets = {superuserPassword: 'a', replicationPassword: 'b', rewindPassword: 'c', restApiUsername: 'patroni', restApiPassword: 'd'};
		fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(secrets));
		assert.deepEqual(inspectStateDir(dir), {kind: 'ours', marker: undefined});
		const marker = claimStateDir(labConfig({scope: 'owned', stateDir: dir}));
		assert.equal(inspectStateDir(dir).kind, 'ours');
		assert.deepEqual((inspectStateDir(dir) as {marker: unknown}).marker, marker);
		// Some other JSON under those names is not.
		const other = path.join(root, 'other-json');
		fs.mkdirSync(other);
		fs.writeFileSync(path.join(other, 'lab.json'), '{"name": "my lab notes"}');
		fs.writeFileSync(path.join(other, 'secrets.json'), '{}');
		assert.equal(inspectStateDir(other).kind, 'foreign');
	});

	it("destroy removes this lab's containers and what lab up wrote; another lab's container and files of the user's stay", async () => {
		const config = madeLab('ours');
		fs.writeFileSync(path.join(config.stateDir, 'notes.txt'), 'mine');
		const elsewhere = path.join(root, 'elsewhere');
		const ours = {id: '1'.repeat(64), name: 'patroni-tui-owned-node1', labels: labels('owned', config.stateDir)};
		const beforeLabel = {id: '2'.repeat(64), name: 'patroni-tui-owned-node2', labels: labels('owned'), mount: path.join(config.stateDir, 'node2')};
		const otherLab = {id: '3'.repeat(64), name: 'patroni-tui-owned-node3', labels: labels('owned', elsewhere)};
		const unproven = {id: '4'.repeat(64), name: 'patroni-tui-owned-etcd', labels: labels('owned'), mount: path.join(elsewhere, 'etcd')};
		const {context, removed, lines} = fakeEngine([ours, beforeLabel, otherLab, unproven]);
		let plan: DestroyPlan | undefined;
		const outcome = await labDestroy(config, context, async asked => {
			plan = asked;
			return true;
		});
		assert.equal(outcome, 'destroyed');
		assert.equal(destroyQuestion(plan!), `Delete lab 'owned' in ${config.stateDir}: 2 containers, data of 3 members?`);
		assert.deepEqual(removed.sort(), [ours.id, beforeLabel.id]);
		assert.ok(lines.some(line => line.startsWith(`leaving patroni-tui-owned-node3 (333333333333), whose labels name scope owned but the state directory ${elsewhere}`)), lines.join('\n'));
		assert.ok(lines.some(line => line.startsWith('leaving patroni-tui-owned-etcd (444444444444)')), lines.join('\n'));
		assert.deepEqual(fs.readdirSync(config.stateDir), ['notes.txt']);
		assert.ok(lines.some(line => line.includes('it also holds notes.txt, which lab up did not make')));
	});

	it('destroy answered no changes nothing; a lab of only its own files goes whole', async () => {
		const config = madeLab('whole');
		const {context, removed} = fakeEngine([{id: '5'.repeat(64), name: 'patroni-tui-owned-node1', labels: labels('owned', config.stateDir)}]);
		assert.equal(await labDestroy(config, context, async () => false), 'declined');
		assert.deepEqual(removed, []);
		assert.ok(fs.existsSync(path.join(config.stateDir, 'node1', 'data')));
		assert.equal(await labDestroy(config, context, yes), 'destroyed');
		assert.ok(!fs.existsSync(config.stateDir));
		// Again, with nothing left: nothing to refuse, nothing to ask, nothing to do.
		assert.equal(await labDestroy(config, fakeEngine([]).context, async () => assert.fail('asked')), 'nothing');
	});

	it('the question takes only y or yes; Enter, anything else or the end of input is no', async () => {
		for (const [typed, expected] of [['y\n', true], ['YES\n', true], ['\n', false], ['n\n', false], ['sure\n', false], ['', false]] as const) {
			const input = new PassThrough();
			const output = new PassThrough();
			const answer = askYesNo('Delete?', input, output);
			input.end(typed);
			assert.equal(await answer, expected, JSON.stringify(typed));
			assert.match(String(output.read()), /^Delete\? \[y\/N\] /);
		}
	});
});
