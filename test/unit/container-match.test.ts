// Matching on `docker inspect` payloads recorded from the real engine: the test lab's five containers, and
// containers made from the lab's image beside it for a second cluster, "dummy", whose members are also called
// node1-3 (docker inspect patroni-tui-labtest-node1 … evidence-spilo > test/fixtures/docker/*.json; secret values
// in the environment replaced by "<removed>"). Each payload goes through the Docker source's own inspectedView.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {readPatroniIdentity} from '../../source/clients/patroni-files.js';
import {findInfraContainers, matchContainersToMembers, type EvidenceContext, type MemberRef} from '../../source/model/container-match.js';
import type {ContainerView, ListenAddress} from '../../source/model/views.js';
import {inspectedView, type InspectPayload} from '../../source/sources/container-facts.js';

type Recorded = InspectPayload & {readonly Id: string; readonly Name: string; readonly Config: InspectPayload['Config'] & {readonly Labels: Record<string, string>; readonly Image: string}};

const FIXTURES = 'test/fixtures/docker';
const recorded = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Recorded[];

const foreign = recorded('inspect-foreign.json');
const byName = (name: string) => foreign.find(payload => payload.Name === `/${name}`)!;
/** evidence-yaml's mounted file is read from the fixtures, where the recording copied it; the lab's hold passwords. */
const mountedYaml = byName('evidence-yaml').Mounts!.find(mount => mount.Destination === '/etc/patroni/patroni.yml')!.Source;
const readIdentity = async (hostPath: string) => (hostPath === mountedYaml ? readPatroniIdentity(path.join(FIXTURES, 'patroni.yml')) : undefined);

async function view(payload: Recorded, listening: readonly ListenAddress[] = []): Promise<ContainerView> {
	const base = {id: payload.Id, name: payload.Name.replace(/^\//, ''), image: payload.Config.Image, state: payload.State.Status, labels: payload.Config.Labels ?? {}};
	const {view: found} = await inspectedView(base, payload, readIdentity);
	return listening.length > 0 ? {...found, listening: [...(found.listening ?? []), ...listening]} : found;
}

const lab = await Promise.all(recorded('inspect-labtest.json').map(payload => view(payload)));
/** What /proc said evidence-hostnet's python listens on (test/unit/proc-sockets.test.ts reads it from the recording). */
const HOSTNET_LISTENS: ListenAddress[] = [{address: '127.0.0.1', port: 28_413, via: 'socket'}];
const env = await view(byName('evidence-env'));
const yaml = await view(byName('evidence-yaml'));
const hostnet = await view(byName('evidence-hostnet'), HOSTNET_LISTENS);
const spilo = await view(byName('evidence-spilo'));
const decoy = await view(byName('dummy-node1'));
const everything = [...lab, env, yaml, hostnet, spilo, decoy];

const LOCAL = ['127.0.0.1', '::1', '10.0.2.15'];
const context = (scope: string, endpoints: EvidenceContext['endpoints'] = {etcd: [], haproxy: []}): EvidenceContext => ({scope, localAddresses: LOCAL, endpoints});
const labMembers: MemberRef[] = [1, 2, 3].map(index => ({name: `node${index}`, host: '127.0.0.1', port: 15_532 + index, apiUrl: `http://127.0.0.1:${18_107 + index}/patroni`}));
const spiloId = spilo.id.slice(0, 12);
const dummyMembers: MemberRef[] = [
	{name: 'node1', host: '127.0.0.1', port: 25_433, apiUrl: 'http://127.0.0.1:28411/patroni'},
	{name: 'node2', host: '127.0.0.1', port: 25_434, apiUrl: 'http://127.0.0.1:28412/patroni'},
	{name: 'node3', host: '127.0.0.1', port: 25_435, apiUrl: 'http://127.0.0.1:28413/patroni'},
	{name: spiloId, host: '127.0.0.1', port: 25_436, apiUrl: 'http://127.0.0.1:28414/patroni'},
];
const summary = (matched: ReturnType<typeof matchContainersToMembers>) =>
	Object.fromEntries(Object.entries(matched).map(([member, found]) => [member, found && `${found.container.name} · ${found.proof.text}`]));

describe('a container is a member’s only on evidence', () => {
	it("matches the lab's members by its labels, scope and member", () => {
		assert.deepEqual(summary(matchContainersToMembers(labMembers, everything, context('labtest'))), {
			node1: "patroni-tui-labtest-node1 · the lab's labels (scope labtest, member node1)",
			node2: "patroni-tui-labtest-node2 · the lab's labels (scope labtest, member node2)",
			node3: "patroni-tui-labtest-node3 · the lab's labels (scope labtest, member node3)",
		});
	});

	it("matches the other cluster's members by environment, mounted YAML, listening port and spilo's convention", () => {
		assert.deepEqual(summary(matchContainersToMembers(dummyMembers, everything, context('dummy'))), {
			node1: 'evidence-env · its environment (PATRONI_SCOPE names scope dummy, member node1)',
			node2: 'evidence-yaml · its Patroni file /etc/patroni/patroni.yml (scope dummy, name node2)',
			node3: "evidence-hostnet · its process listening on 127.0.0.1:28413 (the member's REST API)",
			[spiloId]: `evidence-spilo · spilo's convention (member = hostname = short id ${spiloId}, SCOPE=dummy)`,
		});
	});

	it('never mixes two clusters with the same member names on one engine', () => {
		const forLab = matchContainersToMembers(labMembers, everything, context('labtest'));
		const forDummy = matchContainersToMembers(dummyMembers, everything, context('dummy'));
		for (const name of ['node1', 'node2', 'node3']) {
			assert.match(forLab[name]!.container.name, /^patroni-tui-labtest-/);
			assert.doesNotMatch(forDummy[name]!.container.name, /labtest/);
		}
		// Without its own evidence, dummy's node1 gets no container rather than the lab's.
		assert.deepEqual(summary(matchContainersToMembers(dummyMembers, lab, context('dummy'))), {node1: undefined, node2: undefined, node3: undefined, [spiloId]: undefined});
	});

	it('takes a name, a compose service or a hostname alone as no proof', () => {
		assert.equal(decoy.hostname, 'node1');
		assert.equal(decoy.labels['com.docker.compose.service'], 'node1');
		for (const scope of ['dummy', 'labtest', 'node1']) {
			assert.deepEqual(summary(matchContainersToMembers([{name: 'node1'}], [decoy], context(scope))), {node1: undefined}, scope);
		}
		// Spilo's hostname without the scope is no proof either, nor with another scope.
		const unscoped = {...spilo, patroni: undefined};
		assert.deepEqual(summary(matchContainersToMembers([{name: spiloId}], [unscoped], context('dummy'))), {[spiloId]: undefined});
		assert.deepEqual(summary(matchContainersToMembers([{name: spiloId}], [spilo], context('demo'))), {[spiloId]: undefined});
	});

	it('takes a listening port as proof only on the host network and only for an address of this host', () => {
		const member: MemberRef = {name: 'node3', apiUrl: 'http://127.0.0.1:28413/patroni'};
		assert.ok(matchContainersToMembers([member], [hostnet], context('dummy'))['node3']);
		assert.equal(matchContainersToMembers([member], [{...hostnet, networkMode: 'none'}], context('dummy'))['node3'], undefined);
		const wildcard = {...hostnet, listening: [{address: '0.0.0.0', port: 28_413, via: 'socket' as const}]};
		assert.ok(matchContainersToMembers([{name: 'node3', apiUrl: 'http://10.0.2.15:28413/patroni'}], [wildcard], context('dummy'))['node3']);
		assert.equal(matchContainersToMembers([{name: 'node3', apiUrl: 'http://10.9.9.9:28413/patroni'}], [wildcard], context('dummy'))['node3'], undefined, 'another host');
		// A container whose settings name another scope is that cluster's, whatever port it holds.
		const otherScope = {...hostnet, patroni: [{from: 'environment' as const, source: 'PATRONI_SCOPE', scope: 'labtest'}]};
		assert.equal(matchContainersToMembers([member], [otherScope], context('dummy'))['node3'], undefined);
	});

	it('keeps the environment out of the view: only the scope and the name', () => {
		assert.ok(byName('evidence-spilo').Config.Env.some(entry => entry.startsWith('PGPASSWORD_SUPERUSER=')), 'the recording has the variable');
		assert.doesNotMatch(JSON.stringify(spilo), /PGPASSWORD|<removed>/);
		assert.deepEqual(spilo.patroni, [{from: 'environment', source: 'SCOPE', scope: 'dummy'}]);
	});
});

describe("the cluster's etcd and HAProxy containers", () => {
	it("are the lab's by its labels for this scope", () => {
		const infra = findInfraContainers(everything, context('labtest'));
		assert.deepEqual(infra.etcd.map(found => `${found.container.name} · ${found.proof.text}`), ["patroni-tui-labtest-etcd · the lab's labels (scope labtest, etcd)"]);
		assert.deepEqual(infra.haproxy.map(found => found.container.name), ['patroni-tui-labtest-haproxy']);
	});

	it("are another cluster's only when they listen where the monitor reaches its etcd or HAProxy", () => {
		assert.deepEqual(findInfraContainers(everything, context('dummy')), {etcd: [], haproxy: []}, 'the lab’s etcd is not dummy’s');
		const etcd = {...hostnet, id: 'e7cd', name: 'dummy-etcd', listening: [{address: '127.0.0.1', port: 22_379, via: 'socket' as const}]};
		const haproxy = {...hostnet, id: 'ab99', name: 'dummy-lb', listening: [{address: '0.0.0.0', port: 27_000, via: 'published' as const}], networkMode: 'bridge'};
		const infra = findInfraContainers([etcd, haproxy, decoy], context('dummy', {etcd: ['http://127.0.0.1:22379'], haproxy: ['http://127.0.0.1:27000/;csv']}));
		assert.deepEqual(infra.etcd.map(found => `${found.container.name} · ${found.proof.text}`), ['dummy-etcd · its process listening on 127.0.0.1:22379 (the configured etcd endpoint)']);
		assert.deepEqual(infra.haproxy.map(found => `${found.container.name} · ${found.proof.text}`), ['dummy-lb · its published port 127.0.0.1:27000 (the configured HAProxy address)']);
	});
});
