// The lab labels each container with where the cluster reaches it, so the monitor can tell it from another lab's
// of the same scope; the labels stay out of the spec hash, so a running lab made before them is not recreated.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type Docker from 'dockerode';
import YAML from 'yaml';
import {createLabContainer, specHash} from '../../source/lab/containers.js';
import {labConfig} from '../../source/lab/lab-config.js';
import {desiredSpecs} from '../../source/lab/lab.js';
import {renderPatroniConfig} from '../../source/lab/render.js';

const config = labConfig({scope: 'labtest', stateDir: '/tmp/patroni-tui-unit-endpoint-labels', portOffset: 100});
const specs = desiredSpecs(config, 'patroni-tui-lab:1', {});
const spec = (name: string) => specs.find(found => found.name === `patroni-tui-labtest-${name}`)!;
const secrets = {superuserPassword: 's', replicationPassword: 'r', rewindPassword: 'w', restApiUsername: 'u', restApiPassword: 'p'};

describe("the lab's endpoint labels", () => {
	it("name each member's REST as Patroni advertises it (api_url) and its PostgreSQL, etcd's client URL and HAProxy's listeners", () => {
		const patroni = YAML.parse(renderPatroniConfig(config, secrets, 0, '/usr/lib/postgresql/15/bin')) as {restapi: {connect_address: string}; postgresql: {connect_address: string}};
		assert.deepEqual(spec('node1').endpointLabels, {
			'io.patroni-tui.rest-api': `http://${patroni.restapi.connect_address}/patroni`,
			'io.patroni-tui.postgres': patroni.postgresql.connect_address,
		});
		assert.equal(spec('node1').endpointLabels?.['io.patroni-tui.rest-api'], 'http://127.0.0.1:18108/patroni');
		assert.deepEqual(spec('etcd').endpointLabels, {'io.patroni-tui.endpoint': 'http://127.0.0.1:12479'});
		assert.deepEqual(spec('haproxy').endpointLabels, {'io.patroni-tui.endpoint': '127.0.0.1:15100,http://127.0.0.1:17100/;csv'});
	});

	it('are written at creation and kept out of the spec hash', async () => {
		let created: Docker.ContainerCreateOptions | undefined;
		const docker = {createContainer: async (options: Docker.ContainerCreateOptions) => ((created = options), {id: 'c0ffee'})} as unknown as Docker;
		const node1 = spec('node1');
		assert.equal(await createLabContainer(docker, 'labtest', node1), 'c0ffee');
		assert.equal(created?.Labels?.['io.patroni-tui.rest-api'], 'http://127.0.0.1:18108/patroni');
		assert.equal(created?.Labels?.['io.patroni-tui.postgres'], '127.0.0.1:15533');
		const {endpointLabels: _, ...withoutLabels} = node1;
		assert.equal(specHash('labtest', node1), specHash('labtest', withoutLabels), 'a lab made before the labels is not outdated');
	});
});
