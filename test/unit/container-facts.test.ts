import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {patroniIdentity} from '../../source/clients/patroni-files.js';
import {environmentSettings, inspectedView, patroniFileCandidates, publishedPorts, type InspectPayload} from '../../source/sources/container-facts.js';

const recorded = (file: string) => JSON.parse(fs.readFileSync(`test/fixtures/docker/${file}`, 'utf8')) as Array<InspectPayload & {Name: string}>;
const labNode1 = recorded('inspect-labtest.json').find(payload => payload.Name === '/patroni-tui-labtest-node1')! as InspectPayload & {Name: string; Id: string; Config: {Labels: Record<string, string>}};
const yaml = recorded('inspect-foreign.json').find(payload => payload.Name === '/evidence-yaml')!;

describe("a container's Patroni settings", () => {
	it('finds the YAML the command names, where the host keeps it, and a YAML mounted as a file', () => {
		assert.deepEqual(patroniFileCandidates(labNode1), [{file: '/lab/patroni.yml', hostPath: '/tmp/patroni-tui-test-lab/node1/patroni.yml'}]);
		assert.deepEqual(patroniFileCandidates(yaml), [{file: '/etc/patroni/patroni.yml', hostPath: yaml.Mounts!.find(mount => mount.Destination === '/etc/patroni/patroni.yml')!.Source}]);
	});

	it("reads the scope and name from Patroni's variables, spilo's SCOPE and PATRONI_CONFIGURATION; a name alone is nothing", () => {
		const of = (entries: Record<string, string>) => environmentSettings(new Map(Object.entries(entries)));
		assert.deepEqual(of({PATRONI_SCOPE: 'dummy', PATRONI_NAME: 'node1'}), [{from: 'environment', source: 'PATRONI_SCOPE', scope: 'dummy', name: 'node1'}]);
		assert.deepEqual(of({SCOPE: 'demo', PGPASSWORD_SUPERUSER: 'x'}), [{from: 'environment', source: 'SCOPE', scope: 'demo'}]);
		assert.deepEqual(of({PATRONI_NAME: 'node1'}), []);
		assert.deepEqual(of({PATRONI_CONFIGURATION: 'scope: batman\nname: 1234\npostgresql:\n  authentication: {superuser: {password: s3cret}}\n'}), [
			{from: 'environment', source: 'PATRONI_CONFIGURATION', scope: 'batman', name: '1234'},
		]);
	});

	it("reads Patroni's YAML for its scope and name only", () => {
		assert.deepEqual(patroniIdentity('scope: 42\nname: node1\nrestapi: {listen: 127.0.0.1:8008}\n'), {scope: '42', name: 'node1'});
		assert.equal(patroniIdentity('just: [unclosed'), undefined);
		assert.equal(patroniIdentity('- a list\n'), undefined);
	});

	it('reads the ports the engine publishes', () => {
		const payload = {...yaml, NetworkSettings: {Ports: {'5432/tcp': [{HostIp: '127.0.0.1', HostPort: '25432'}], '8008/tcp': null, '53/udp': [{HostIp: '', HostPort: '53'}]}}};
		assert.deepEqual(publishedPorts(payload), [{address: '127.0.0.1', port: 25_432, via: 'published'}]);
		assert.deepEqual(publishedPorts(labNode1), [], 'host networking publishes nothing');
	});

	it("reads the sockets of a lab container only when it lacks the endpoint labels that prove it without them", async () => {
		const running = {...labNode1, State: {...labNode1.State, Running: true, Pid: 4242}};
		const base = {id: labNode1.Id, name: 'patroni-tui-labtest-node1', state: 'running', labels: labNode1.Config.Labels};
		assert.equal((await inspectedView(base, running, async () => undefined)).pid, 4242, 'made before the endpoint labels: its port must prove it');
		const labelled = {...base, labels: {...base.labels, 'io.patroni-tui.rest-api': 'http://127.0.0.1:18108/patroni'}};
		assert.equal((await inspectedView(labelled, running, async () => undefined)).pid, undefined);
	});
});
