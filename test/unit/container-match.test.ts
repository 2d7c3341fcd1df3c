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

/** The recorded lab was made before the endpoint labels: its containers carry scope, component and member only. */
const recordedLab = await Promise.all(recorded('inspect-labtest.json').map(payload => view(payload)));
/** Where the test lab (port offset 100) is reached: each member's REST and PostgreSQL, its etcd and HAProxy. */
const LAB_ENDPOINTS: Record<string, Record<string, string>> = {
	etcd: {'io.patroni-tui.endpoint': 'http://127.0.0.1:12479'},
	haproxy: {'io.patroni-tui.endpoint': '127.0.0.1:15100,http://127.0.0.1:17100/;csv'},
	...Object.fromEntries([1, 2, 3].map(index => [`node${index}`, {'io.patroni-tui.rest-api': `http://127.0.0.1:${18_107 + index}/patroni`, 'io.patroni-tui.postgres': `127.0.0.1:${15_532 + index}`}])),
};
/** The same containers with the endpoint labels `lab up` now writes (lab.ts), added here to the recording. */
const lab = recordedLab.map(container => ({...container, labels: {...container.labels, ...LAB_ENDPOINTS[container.name.replace('patroni-tui-labtest-', '')]}}));
const labInfra = {etcd: ['http://127.0.0.1:12479'], haproxy: ['http://127.0.0.1:17100/;csv', '127.0.0.1:15100']};
/** Another lab of scope labtest at port offset 0: the same labels but its own endpoints (lab.ts writes them so). */
const otherLab = lab.map(container => ({
	...container,
	id: `0ff${container.id.slice(3)}`,
	name: container.name.replace('labtest', 'labtest-elsewhere'),
	labels: Object.fromEntries(Object.entries(container.labels).map(([key, value]) => [key, value.replaceAll(/127\.0\.0\.1:(\d+)/g, (_, port: string) => `127.0.0.1:${Number(port) - 100}`)])),
}));
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
			node1: "patroni-tui-labtest-node1 · the lab's labels (scope labtest, member node1, REST 127.0.0.1:18108)",
			node2: "patroni-tui-labtest-node2 · the lab's labels (scope labtest, member node2, REST 127.0.0.1:18109)",
			node3: "patroni-tui-labtest-node3 · the lab's labels (scope labtest, member node3, REST 127.0.0.1:18110)",
		});
	});

	it("takes another lab's container of the same scope and member names for none of this lab's members", () => {
		const node1 = [labMembers[0]!];
		assert.equal(otherLab.find(container => container.name.endsWith('node1'))!.labels['io.patroni-tui.rest-api'], 'http://127.0.0.1:18008/patroni');
		assert.deepEqual(summary(matchContainersToMembers(node1, otherLab, context('labtest'))), {node1: undefined}, 'only the other lab’s');
		assert.deepEqual(summary(matchContainersToMembers(node1, [...otherLab, ...lab], context('labtest'))), {
			node1: "patroni-tui-labtest-node1 · the lab's labels (scope labtest, member node1, REST 127.0.0.1:18108)",
		});
		// Excluded from every rule: even listening where this lab's node1 does, it is the other lab's.
		const listening = otherLab.map(container => ({...container, listening: [{address: '127.0.0.1', port: 18_108, via: 'socket' as const}]}));
		assert.deepEqual(summary(matchContainersToMembers(node1, listening, context('labtest'))), {node1: undefined});
		// A PostgreSQL label naming another place is another lab's too, whatever its REST label says.
		const pgElsewhere = lab.map(container => ({...container, labels: {...container.labels, 'io.patroni-tui.postgres': '127.0.0.1:5432'}}));
		assert.deepEqual(summary(matchContainersToMembers(node1, pgElsewhere, context('labtest'))), {node1: undefined});
		// "localhost" in the member key is the loopback address the label names.
		const viaLocalhost: MemberRef = {name: 'node1', apiUrl: 'http://localhost:18108/patroni'};
		assert.match(matchContainersToMembers([viaLocalhost], lab, context('labtest'))['node1']!.proof.text, /REST 127\.0\.0\.1:18108/);
	});

	it('takes the labels of a container made before the endpoint labels as no proof alone: its listening port decides', () => {
		assert.deepEqual(summary(matchContainersToMembers(labMembers, recordedLab, context('labtest'))), {node1: undefined, node2: undefined, node3: undefined});
		// In the recording's order: etcd, haproxy, node1-3 (18108-18110).
		const listening = recordedLab.map((container, index) => ({...container, listening: [{address: '127.0.0.1', port: 18_106 + index, via: 'socket' as const}]}));
		assert.deepEqual(summary(matchContainersToMembers(labMembers, listening, context('labtest'))), {
			node1: "patroni-tui-labtest-node1 · its process listening on 127.0.0.1:18108 (the member's REST API)",
			node2: "patroni-tui-labtest-node2 · its process listening on 127.0.0.1:18109 (the member's REST API)",
			node3: "patroni-tui-labtest-node3 · its process listening on 127.0.0.1:18110 (the member's REST API)",
		});
		// Nor is a member whose key the DCS lacks the REST of proven by the labels.
		assert.deepEqual(summary(matchContainersToMembers([{name: 'node1'}], lab, context('labtest'))), {node1: undefined});
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
	it("are the lab's by its labels for this scope and an endpoint the monitor is configured with", () => {
		const infra = findInfraContainers(everything, context('labtest', labInfra));
		assert.deepEqual(infra.etcd.map(found => `${found.container.name} · ${found.proof.text}`), ["patroni-tui-labtest-etcd · the lab's labels (scope labtest, etcd, 127.0.0.1:12479)"]);
		assert.deepEqual(infra.haproxy.map(found => `${found.container.name} · ${found.proof.text}`), ["patroni-tui-labtest-haproxy · the lab's labels (scope labtest, haproxy, 127.0.0.1:15100)"]);
		assert.deepEqual(findInfraContainers(everything, context('labtest')), {etcd: [], haproxy: []}, 'nothing configured, nothing agrees');
	});

	it("are not another lab's of the same scope, nor proven by labels without an endpoint", () => {
		const names = (infra: ReturnType<typeof findInfraContainers>) => [...infra.etcd, ...infra.haproxy].map(found => found.container.name);
		assert.deepEqual(names(findInfraContainers(otherLab, context('labtest', labInfra))), [], 'only the other lab’s');
		assert.deepEqual(names(findInfraContainers([...otherLab, ...lab], context('labtest', labInfra))), ['patroni-tui-labtest-etcd', 'patroni-tui-labtest-haproxy']);
		assert.deepEqual(names(findInfraContainers(recordedLab, context('labtest', labInfra))), [], 'made before the endpoint labels');
		const etcd = {...recordedLab[0]!, listening: [{address: '127.0.0.1', port: 12_479, via: 'socket' as const}]};
		assert.deepEqual(
			findInfraContainers([etcd], context('labtest', labInfra)).etcd.map(found => found.proof.text),
			['its process listening on 127.0.0.1:12479 (the configured etcd endpoint)'],
		);
		const elsewhere = {...etcd, labels: {...etcd.labels, 'io.patroni-tui.endpoint': 'http://127.0.0.1:12379'}};
		assert.deepEqual(findInfraContainers([elsewhere], context('labtest', labInfra)).etcd, [], 'an endpoint label naming another place excludes it, port or not');
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
