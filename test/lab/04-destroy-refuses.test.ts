// `lab destroy` and `lab down` touch only what `lab up` made (issue 19): a directory that never held a lab, and a
// container labelled with the same scope by another state directory's lab, survive them. Nothing here brings a lab
// up or touches the test lab: the containers are made with the docker CLI from the lab's image (created, never
// started), with the labels `lab up` writes, spelled out here; scope `destroytest`, ports +1000 (never bound: the
// one `lab up` here is refused before any container is made).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {dockerCli} from '../helpers/docker-cli.js';
import {cli} from '../helpers/lab.js';

const SCOPE = 'destroytest';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-destroytest-'));
const made: string[] = [];

async function labImage(): Promise<string> {
	const images = (await dockerCli(['images', '--format', '{{.Repository}}:{{.Tag}}', 'patroni-tui-lab'])).split('\n').filter(Boolean);
	assert.ok(images.length > 0, 'a patroni-tui-lab image (made by any lab up) to create containers from');
	return images[0]!;
}

/** A container as `lab up` labels one (the labels written out, not imported), created and not started; its full id. */
async function create(image: string, name: string, stateDir: string | undefined, mount?: string): Promise<string> {
	const labels = [`io.patroni-tui.lab=${SCOPE}`, 'io.patroni-tui.component=member', 'io.patroni-tui.member=node1', ...(stateDir ? [`io.patroni-tui.state-dir=${stateDir}`] : [])];
	const options = [...labels.flatMap(label => ['--label', label]), ...(mount ? ['--volume', `${mount}:/lab`] : [])];
	const id = (await dockerCli(['create', '--name', `${name}-${process.pid}`, ...options, image, '/usr/bin/sleep', 'infinity'])).trim();
	made.push(id);
	return id;
}

async function exists(id: string): Promise<boolean> {
	return (await dockerCli(['ps', '--all', '--quiet', '--no-trunc', '--filter', `id=${id}`])).trim() === id;
}

/** A state directory as `lab up` leaves one: its marker, files and a folder per component. */
function labDir(name: string): string {
	const dir = path.join(root, name);
	fs.mkdirSync(dir);
	const marker = {program: 'patroni-tui', scope: SCOPE, id: `test-${process.pid}`, createdAt: new Date().toISOString()};
	fs.writeFileSync(path.join(dir, '.patroni-tui-lab'), JSON.stringify(marker));
	fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify({scope: SCOPE, dcs: 'etcd3', synchronousMode: false, portOffset: 1000}));
	for (const entry of ['etcd', 'haproxy', 'node1', 'node2', 'node3']) fs.mkdirSync(path.join(dir, entry, 'data'), {recursive: true});
	return dir;
}

const args = (stateDir: string) => ['--scope', SCOPE, '--state-dir', stateDir, '--port-offset', '1000'];

describe('lab destroy refuses what it did not make', () => {
	let image: string;
	before(async () => {
		image = await labImage();
	});
	after(async () => {
		for (const id of made) await dockerCli(['rm', '--force', id]).catch(() => undefined);
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('a directory with one unrelated file survives destroy, down and up, each refused with exit 2 naming what is there', async () => {
		const dir = path.join(root, 'foreign');
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
		const ours = await create(image, 'patroni-tui-destroytest-labelled', dir);
		for (const [action, refusing] of [['destroy', 'delete it'], ['down', 'take a lab down from it'], ['up', 'make a lab in it']] as const) {
			const result = await cli(['lab', action, ...args(dir)]);
			assert.equal(result.code, 2, `${action}: ${result.stderr}`);
			assert.ok(result.stderr.includes(`${dir} holds 1 file (notes.txt) and no patroni-tui lab marker: refusing to ${refusing}`), result.stderr);
			assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
		}
		assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
		assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
		assert.ok(await exists(ours), 'not even a container labelled with that directory is touched when the directory is refused');
	});

	it("another lab's container of the same scope survives destroy; this lab's go, with its files, and the user's file stays", async () => {
		const dir = labDir('ours');
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
		const elsewhere = path.join(root, 'elsewhere');
		const foreign = await create(image, 'patroni-tui-destroytest-node1', elsewhere);
		const unlabelledElsewhere = await create(image, 'patroni-tui-destroytest-node3', undefined, path.join(elsewhere, 'node3'));
		const ours = await create(image, 'patroni-tui-destroytest-node1-ours', dir);
		const oursBeforeLabel = await create(image, 'patroni-tui-destroytest-node2', undefined, path.join(dir, 'node2'));
		// stdin is no terminal here: destroy does not ask.
		const result = await cli(['lab', 'destroy', ...args(dir)]);
		assert.equal(result.code, 0, result.stderr);
		assert.ok(!(await exists(ours)) && !(await exists(oursBeforeLabel)), "this lab's containers removed");
		assert.ok(await exists(foreign), "the other lab's container survives");
		assert.ok(await exists(unlabelledElsewhere), 'a container proven to be of no state directory of ours survives');
		assert.match(result.stderr, new RegExp(`leaving patroni-tui-destroytest-node1-${process.pid} \\(${foreign.slice(0, 12)}\\), whose labels name scope destroytest but the state directory ${elsewhere}`));
		assert.deepEqual(fs.readdirSync(dir), ['notes.txt'], 'what lab up writes is gone, the rest is not');
		assert.match(result.stderr, /it also holds notes\.txt, which lab up did not make/);
		// `lab down` of a directory that is gone: nothing of ours is left to remove, and the other lab's stays.
		const down = await cli(['lab', 'down', ...args(path.join(root, 'gone'))]);
		assert.equal(down.code, 0, down.stderr);
		assert.ok(await exists(foreign));
	});

	it("lab up refuses, with exit 2, to make its containers beside another lab's that holds one of their names", async () => {
		const dir = path.join(root, 'up-beside');
		const elsewhere = path.join(root, 'elsewhere-up');
		// Exactly the name this lab's etcd container would have: the other lab's is neither removed nor replaced.
		const labels = [`io.patroni-tui.lab=${SCOPE}`, 'io.patroni-tui.component=etcd', `io.patroni-tui.state-dir=${elsewhere}`].flatMap(label => ['--label', label]);
		const id = (await dockerCli(['create', '--name', `patroni-tui-${SCOPE}-etcd`, ...labels, image, '/usr/bin/sleep', 'infinity'])).trim();
		made.push(id);
		const result = await cli(['lab', 'up', ...args(dir)], 120_000);
		assert.equal(result.code, 2, result.stderr);
		assert.ok(result.stderr.includes(`patroni-tui-${SCOPE}-etcd (${id.slice(0, 12)}), whose labels name scope ${SCOPE} but the state directory ${elsewhere}`), result.stderr);
		assert.match(result.stderr, /Take that lab down, or use another --scope/);
		assert.ok(await exists(id));
		const created = (await dockerCli(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=io.patroni-tui.state-dir=${dir}`])).trim();
		assert.equal(created, '', 'no container made for the new lab');
	});
});
