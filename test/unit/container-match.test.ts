import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {findInfraContainers, matchContainersToMembers} from '../../source/model/container-match.js';
import type {ContainerView} from '../../source/model/views.js';

function container(name: string, extra: Partial<ContainerView> = {}): ContainerView {
	return {id: `${name.replace(/\W/g, '').padEnd(12, '0')}ffff`, name, state: 'running', labels: {}, ...extra};
}

function labContainer(scope: string, suffix: string, component: string, member?: string): ContainerView {
	const labels: Record<string, string> = {'io.patroni-tui.lab': scope, 'io.patroni-tui.component': component};
	if (member) labels['io.patroni-tui.member'] = member;
	// Host networking: every container's hostname is the host's.
	return container(`patroni-tui-${scope}-${suffix}`, {hostname: 'vm', labels});
}

const members = ['node1', 'node2', 'node3'].map(name => ({name, host: '127.0.0.1', apiUrl: `http://127.0.0.1:18108/patroni`}));
const names = (matched: Record<string, ContainerView | undefined>) => Object.fromEntries(Object.entries(matched).map(([member, found]) => [member, found?.name]));

describe('matchContainersToMembers', () => {
	const lab = ['etcd', 'haproxy', 'node1', 'node2', 'node3'].map(suffix =>
		labContainer('labtest', suffix, suffix.startsWith('node') ? 'member' : suffix, suffix.startsWith('node') ? suffix : undefined),
	);

	it('matches by the member label', () => {
		assert.deepEqual(names(matchContainersToMembers(members, lab)), {
			node1: 'patroni-tui-labtest-node1',
			node2: 'patroni-tui-labtest-node2',
			node3: 'patroni-tui-labtest-node3',
		});
	});

	it('leaves a member unmatched rather than guess between two clusters, unless the scope tells them apart', () => {
		const demo = ['node1', 'node2', 'node3'].map(name => labContainer('lab', name, 'member', name));
		const both = [...demo, ...lab];
		assert.deepEqual(names(matchContainersToMembers(members, both)), {node1: undefined, node2: undefined, node3: undefined});
		assert.equal(matchContainersToMembers(members, both, {scope: 'labtest'})['node2']?.name, 'patroni-tui-labtest-node2');
		assert.equal(matchContainersToMembers(members, both, {scope: 'lab'})['node2']?.name, 'patroni-tui-lab-node2');
	});

	it('matches by container name, docker-compose style', () => {
		const containers = [container('demo-etcd1'), container('demo_patroni1'), container('demo-patroni2'), container('patroni3')];
		const matched = matchContainersToMembers(['patroni1', 'patroni2', 'patroni3'].map(name => ({name})), containers);
		assert.deepEqual(names(matched), {patroni1: 'demo_patroni1', patroni2: 'demo-patroni2', patroni3: 'patroni3'});
	});

	it('matches by the compose service label and by hostname (from the REST address too)', () => {
		const containers = [
			container('demo-pg-a-1', {labels: {'com.docker.compose.service': 'pga'}}),
			container('x1', {hostname: 'pgb'}),
			container('x2', {hostname: 'db3.internal'}),
		];
		const matched = matchContainersToMembers([{name: 'pga'}, {name: 'pgb'}, {name: 'pgc', apiUrl: 'http://db3.internal:8008/patroni'}], containers);
		assert.deepEqual(names(matched), {pga: 'demo-pg-a-1', pgb: 'x1', pgc: 'x2'});
	});

	it("matches spilo's members: name = hostname = short container id", () => {
		const ids = ['3f1c2b9a8d7e', '9a0b1c2d3e4f'];
		const containers = ids.map((id, index) => ({id: `${id}${'5'.repeat(52)}`, name: `spilo_${index}`, state: 'running', labels: {'application': 'spilo'}}));
		const matched = matchContainersToMembers(ids.map(name => ({name, host: '172.17.0.2'})), containers);
		assert.deepEqual(names(matched), {[ids[0]!]: 'spilo_0', [ids[1]!]: 'spilo_1'});
		const withHostname = containers.map((found, index) => ({...found, hostname: ids[index]!}));
		assert.equal(matchContainersToMembers([{name: ids[1]!}], withHostname)[ids[1]!]?.name, 'spilo_1');
	});

	it('gives each container to one member at most, strongest evidence first', () => {
		// "a-node1" would match node1 by name, but the label says it runs node2.
		const containers = [container('a-node1', {labels: {'io.patroni-tui.member': 'node2'}}), container('b-node1')];
		assert.deepEqual(names(matchContainersToMembers([{name: 'node1'}, {name: 'node2'}], containers)), {node1: 'b-node1', node2: 'a-node1'});
	});
});

describe('findInfraContainers', () => {
	it('finds etcd and HAProxy by the component label, else by what they run', () => {
		const containers = [
			labContainer('labtest', 'etcd', 'etcd'),
			labContainer('labtest', 'haproxy', 'haproxy'),
			labContainer('labtest', 'node1', 'member', 'node1'),
			container('demo-etcd1', {command: '/usr/local/bin/etcd --name etcd1'}),
			container('lb', {command: 'haproxy -f /usr/local/etc/haproxy/haproxy.cfg'}),
			container('demo-patroni1', {command: '/bin/sh /entrypoint.sh patroni --etcd-hosts etcd1:2379'}),
			container('unrelated', {command: 'nginx -g daemon off;'}),
		];
		const infra = findInfraContainers(containers);
		assert.deepEqual(infra.etcd.map(found => found.name), ['patroni-tui-labtest-etcd', 'demo-etcd1']);
		assert.deepEqual(infra.haproxy.map(found => found.name), ['patroni-tui-labtest-haproxy', 'lb']);
	});
});
