import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import YAML from 'yaml';
import {demuxDockerLog} from '../../source/lab/containers.js';
import {labUser} from '../../source/lab/image.js';
import {DEFAULT_PORTS, labConfig, memberPorts} from '../../source/lab/lab-config.js';
import {labPorts} from '../../source/lab/preflight.js';
import {etcdCommand, LAB_TIMINGS, renderHaproxyConfig, renderPatroniConfig, renderPatronictlConfig} from '../../source/lab/render.js';

const secrets = {
	superuserPassword: 'su-secret',
	replicationPassword: 'repl-secret',
	rewindPassword: 'rewind-secret',
	restApiUsername: 'patroni',
	restApiPassword: 'rest-secret',
};

describe('lab configuration', () => {
	it('keeps clear of the system PostgreSQL, etcd and Patroni ports by default', () => {
		const ports = labPorts(labConfig({stateDir: '/tmp/x'})).map(use => use.port);
		for (const system of [5432, 2379, 2380, 8008]) assert.ok(!ports.includes(system));
		assert.equal(new Set(ports).size, ports.length, 'no port used twice');
	});

	it('moves every port by the offset', () => {
		const config = labConfig({stateDir: '/tmp/x', portOffset: 100});
		assert.equal(config.ports.etcdClient, DEFAULT_PORTS.etcdClient + 100);
		assert.deepEqual(memberPorts(config, 2), {postgres: DEFAULT_PORTS.postgresBase + 102, restApi: DEFAULT_PORTS.restApiBase + 102});
	});

	it('refuses a bad scope, DCS or offset with a sentence', () => {
		assert.throws(() => labConfig({scope: 'Has Space'}), /Scope "Has Space" is not valid/);
		assert.throws(() => labConfig({dcs: 'zookeeper'}), /DCS "zookeeper" is not supported/);
		assert.throws(() => labConfig({portOffset: 1.5}), /Port offset 1.5 is out of range/);
	});

	it("renders a Patroni config on loopback with timings Patroni accepts (loop_wait + 2 * retry_timeout <= ttl)", () => {
		const config = labConfig({stateDir: '/tmp/x'});
		const document = YAML.parse(renderPatroniConfig(config, secrets, 1, '/usr/lib/postgresql/15/bin'));
		assert.equal(document.name, 'node2');
		assert.equal(document.restapi.listen, '127.0.0.1:18009');
		assert.equal(document.postgresql.listen, '127.0.0.1:15434');
		assert.deepEqual(document.etcd3.hosts, ['127.0.0.1:12379']);
		assert.ok(LAB_TIMINGS.loop_wait + 2 * LAB_TIMINGS.retry_timeout <= LAB_TIMINGS.ttl);
		assert.equal(document.bootstrap.dcs.postgresql.use_pg_rewind, true);
		assert.equal(document.restapi.authentication.password, 'rest-secret');
	});

	it('points Patroni at the v2 API with an etcd: section for --dcs etcd2', () => {
		const document = YAML.parse(renderPatroniConfig(labConfig({stateDir: '/tmp/x', dcs: 'etcd2'}), secrets, 0, '/bin'));
		assert.deepEqual(document.etcd.hosts, ['127.0.0.1:12379']);
		assert.equal(document.etcd3, undefined);
	});

	it('routes HAProxy by /primary and /replica checks against each REST API, all on 127.0.0.1', () => {
		const text = renderHaproxyConfig(labConfig({stateDir: '/tmp/x'}));
		assert.match(text, /listen primary\n\s+bind 127\.0\.0\.1:15000/);
		assert.match(text, /option httpchk OPTIONS \/primary/);
		assert.match(text, /option httpchk OPTIONS \/replica/);
		assert.match(text, /server node3 127\.0\.0\.1:15435 check port 18010/);
		assert.match(text, /stats socket \/lab\/haproxy\.sock mode 600 level admin/);
		const addresses = [...text.matchAll(/(\d+\.\d+\.\d+\.\d+)/g)].map(match => match[1]);
		assert.ok(addresses.every(address => address === '127.0.0.1'));
	});

	it('enables the v2 API in etcd and listens on loopback only', () => {
		const command = etcdCommand(labConfig({stateDir: '/tmp/x'})).join(' ');
		assert.match(command, /--enable-v2=true/);
		assert.doesNotMatch(command, /0\.0\.0\.0/);
	});

	it("gives patronictl the REST credentials it needs for unsafe endpoints", () => {
		const document = YAML.parse(renderPatronictlConfig(labConfig({stateDir: '/tmp/x'}), secrets));
		assert.equal(document.ctl.authentication.username, 'patroni');
		assert.equal(document.scope, 'lab');
	});

	it("runs containers as the host's postgres user, or 999 where there is none", () => {
		assert.deepEqual(labUser('root:x:0:0::/root:/bin/sh\npostgres:x:101:104::/var/lib/postgresql:/bin/bash\n'), {uid: 101, gid: 104});
		assert.deepEqual(labUser('root:x:0:0::/root:/bin/sh\n'), {uid: 999, gid: 999});
	});

	it("reads Docker's multiplexed log frames", () => {
		const frame = (stream: number, text: string) => {
			const payload = Buffer.from(text);
			const header = Buffer.alloc(8);
			header[0] = stream;
			header.writeUInt32BE(payload.length, 4);
			return Buffer.concat([header, payload]);
		};
		assert.equal(demuxDockerLog(Buffer.concat([frame(1, 'one\n'), frame(2, 'two\n')])), 'one\ntwo');
	});
});
