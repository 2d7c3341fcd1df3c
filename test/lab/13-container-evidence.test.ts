// A container belongs to a member only on evidence, against the real engine: beside the test lab, containers made
// from the lab's own image play a spilo member (default hostname = short id, SCOPE in the environment), a
// host-network member known only by the port it listens on, and a decoy whose name and hostname say "node1".
// Their member keys are written to the lab's etcd as Patroni writes them; the built command is asked with --json.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {dockerCli} from '../helpers/docker-cli.js';
import {cli, ensureTestLab, labArgs, TEST_SCOPE, waitFor} from '../helpers/lab.js';

const run = promisify(execFile);
const SCOPE = `evidence${process.pid}`;
const PREFIX = `/service/${SCOPE}`;
/** Ports nothing else in the test lab uses (its own are 12479, 15533-15535, 18108-18110, 15100, 17100). */
const PORT_REST = 28_411;
const PORT_PG = 28_412;

async function etcdctl(status: LabStatus, args: readonly string[]): Promise<string> {
	const {stdout} = await run('etcdctl', ['--endpoints', status.etcd.endpoints[0]!, ...args], {env: {...process.env, ETCDCTL_API: '3'}, timeout: 15_000});
	return stdout.trim();
}

/** A member key as Patroni 3 writes it with etcd3: JSON on the member's lease. */
function memberKey(conn: number, api: number): string {
	return JSON.stringify({conn_url: `postgres://127.0.0.1:${conn}/postgres`, api_url: `http://127.0.0.1:${api}/patroni`, state: 'running', role: 'replica', version: '3.0.2', timeline: 1});
}

async function snapshotOf(args: readonly string[]): Promise<ClusterSnapshot> {
	const result = await cli(['--json', ...args], 60_000);
	assert.ok(result.stdout.trim().startsWith('{'), `--json printed a snapshot; stderr: ${result.stderr}`);
	return JSON.parse(result.stdout) as ClusterSnapshot;
}

describe('containers matched on evidence only, on the real engine', () => {
	let status: LabStatus;
	let lease: string | undefined;
	const made: string[] = [];
	let spilo: {id: string; shortId: string; name: string};
	let hostNet: {id: string; name: string};
	let image: string;

	before(async () => {
		status = await ensureTestLab();
		image = (await dockerCli(['inspect', '--format', '{{.Config.Image}}', `patroni-tui-${TEST_SCOPE}-node1`])).trim();
		// docker run -d with the lab's image as postgres, /usr from the host read-only; its full id.
		const create = async (name: string, options: readonly string[], command: readonly string[]) => {
			const id = (await dockerCli(['run', '--detach', '--name', name, '--user', 'postgres', '--volume', '/usr:/usr:ro', ...options, image, ...command])).trim();
			made.push(id);
			return id;
		};
		const spiloId = await create(`${SCOPE}-spilo`, ['--network', 'none', '--env', `SCOPE=${SCOPE}`, '--env', 'PGVERSION=15'], ['/usr/bin/sleep', 'infinity']);
		spilo = {id: spiloId, shortId: spiloId.slice(0, 12), name: `${SCOPE}-spilo`};
		// Listens on the REST port its member key names; no label, no environment, no hostname of its own.
		const hostNetId = await create(`${SCOPE}-hostnet`, ['--network', 'host', '--workdir', '/tmp'], ['/usr/bin/python3', '-m', 'http.server', String(PORT_REST), '--bind', '127.0.0.1']);
		hostNet = {id: hostNetId, name: `${SCOPE}-hostnet`};
		// A name and a hostname alone prove nothing.
		await create(`${SCOPE}-node1`, ['--network', 'none', '--hostname', 'node1'], ['/usr/bin/sleep', 'infinity']);
		await waitFor('the host-network container listening', async () => {
			const response = await fetch(`http://127.0.0.1:${PORT_REST}/`).catch(() => undefined);
			return response ? true : undefined;
		});
		lease = (await etcdctl(status, ['lease', 'grant', '600'])).match(/lease ([0-9a-f]+) granted/)?.[1];
		assert.ok(lease, 'etcd granted a lease');
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/members/${spilo.shortId}`, memberKey(25_432, 28_008)]);
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/members/hostnet1`, memberKey(PORT_PG, PORT_REST)]);
		await etcdctl(status, ['put', '--lease', lease, `${PREFIX}/members/node1`, memberKey(25_433, 28_009)]);
	});

	after(async () => {
		await etcdctl(status, ['del', '--prefix', `${PREFIX}/`]).catch(() => undefined);
		if (lease) await etcdctl(status, ['lease', 'revoke', lease]).catch(() => undefined);
		for (const id of made) await dockerCli(['rm', '--force', id]).catch(() => undefined);
	});

	it("shows the spilo member's container, proved by spilo's convention, and no container of the lab", async () => {
		const snapshot = await snapshotOf(['--etcd', status.etcd.endpoints[0]!, '--scope', SCOPE]);
		const member = snapshot.members.find(found => found.name === spilo.shortId);
		assert.equal(member?.container?.id, spilo.id, JSON.stringify(snapshot.members));
		assert.equal(member?.container?.name, spilo.name);
		assert.equal(member?.container?.proof.by, 'spilo');
		assert.match(member!.container!.proof.text, new RegExp(`short id ${spilo.shortId}, SCOPE=${SCOPE}`));
		assert.ok(!snapshot.containers.some(container => container.name.startsWith(`patroni-tui-${TEST_SCOPE}-`)), JSON.stringify(snapshot.containers));
	});

	it('shows the host-network member by the port its process listens on, and nothing for a name', async () => {
		const snapshot = await snapshotOf(['--etcd', status.etcd.endpoints[0]!, '--scope', SCOPE]);
		const byPort = snapshot.members.find(found => found.name === 'hostnet1');
		assert.equal(byPort?.container?.id, hostNet.id, JSON.stringify(snapshot.members));
		assert.equal(byPort?.container?.proof.text, `its process listening on 127.0.0.1:${PORT_REST} (the member's REST API)`);
		const named = snapshot.members.find(found => found.name === 'node1');
		assert.ok(named, 'node1 is a member of the scope');
		assert.equal(named.container, undefined, `"${SCOPE}-node1" with hostname node1 is not node1's container`);
		assert.deepEqual(snapshot.containers.map(container => container.name).sort(), [hostNet.name, spilo.name].sort());
	});

	it("the lab's own snapshot shows its containers by their labels, and none of these", async () => {
		const snapshot = await snapshotOf(['--lab', ...labArgs()]);
		// The endpoint labels are kept out of the spec hash: a test lab made before them keeps its containers, which
		// are then proven another way (their Patroni file, their ports). The docker CLI says which kind each one is.
		for (const member of snapshot.members) {
			const rest = member.apiUrl?.replace(/^https?:\/\/([^/]+).*$/, '$1');
			const container = `patroni-tui-${TEST_SCOPE}-${member.name}`;
			const restLabel = (await dockerCli(['inspect', '--format', '{{index .Config.Labels "io.patroni-tui.rest-api"}}', container])).trim();
			const text = member.container?.proof.text;
			assert.equal(member.container?.name, container, `${member.name}: ${text}`);
			if (restLabel !== '') assert.equal(text, `the lab's labels (scope ${TEST_SCOPE}, member ${member.name}, REST ${rest})`);
			else assert.match(text ?? '', /^(its Patroni file \/lab\/patroni\.yml|its process listening on)/, `${member.name}, made before the endpoint labels: ${text}`);
		}
		assert.ok(!snapshot.containers.some(container => made.includes(container.id)), JSON.stringify(snapshot.containers));
		assert.deepEqual(snapshot.containers.map(container => container.role).sort(), ['etcd', 'haproxy', 'member', 'member', 'member']);
	});

	it("takes a container labelled as the lab's node1 but for another REST endpoint for none of the lab's", async () => {
		// Another lab of the same scope, or a copy: created (never started) with the labels lab up writes, REST elsewhere.
		const labels = [`io.patroni-tui.lab=${TEST_SCOPE}`, 'io.patroni-tui.component=member', 'io.patroni-tui.member=node1', 'io.patroni-tui.rest-api=http://127.0.0.1:1/patroni'];
		const name = `${SCOPE}-other-lab-node1`;
		const id = (await dockerCli(['create', '--name', name, '--network', 'none', ...labels.flatMap(label => ['--label', label]), image, '/usr/bin/sleep', 'infinity'])).trim();
		made.push(id);
		const snapshot = await snapshotOf(['--lab', ...labArgs()]);
		const node1 = snapshot.members.find(member => member.name === 'node1');
		assert.equal(node1?.container?.name, `patroni-tui-${TEST_SCOPE}-node1`, JSON.stringify(node1?.container));
		assert.ok(!snapshot.containers.some(container => container.id === id), JSON.stringify(snapshot.containers));
	});
});
