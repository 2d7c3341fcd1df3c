// Every bad value: one sentence naming where it is (the file and key, or the variable or flag) and what was expected.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {ConfigError} from '../../source/config.js';
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-refusals-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

const PATRONICTL = path.join(dir, 'patronictl.yaml');

/** The message a config in patronictl.yaml (and the given variables and flags) is refused with. */
function refusal(text: string, env: NodeJS.ProcessEnv = {}, flags: MonitorFlags = {}): string {
	fs.writeFileSync(PATRONICTL, text);
	try {
		resolveMonitorConfig({config: PATRONICTL, ...flags}, env, () => true);
	} catch (error) {
		assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
		return error.message.replace(dir + path.sep, '');
	}
	assert.fail(`accepted:\n${text}`);
}

const withEtcd = (rest: string) => `scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n${rest}`;

describe('bad values in a config file', () => {
	it('etcd3.hosts: each entry host:port, in a string or a list', () => {
		assert.equal(refusal('scope: s\netcd3:\n  hosts: 127.0.0.1:x\n'), 'patronictl.yaml: etcd3.hosts: expected host:port, got "127.0.0.1:x"');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: 127.0.0.1:2379,\n'), 'patronictl.yaml: etcd3.hosts: expected host:port, not an empty entry, got ""');
		assert.equal(refusal('scope: s\netcd3:\n  hosts:\n  - 127.0.0.1:2379\n  - 2380\n'), 'patronictl.yaml: etcd3.hosts: expected host:port, got 2380');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: 127.0.0.1:2379, 2380\n'), 'patronictl.yaml: etcd3.hosts: expected host:port, got "2380"');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: http://127.0.0.1:2379\n'), 'patronictl.yaml: etcd3.hosts: expected host:port, got "http://127.0.0.1:2379"');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: []\n'), 'patronictl.yaml: etcd3.hosts: expected at least one host:port, got an empty list');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: {a: 1}\n'), 'patronictl.yaml: etcd3.hosts: expected a list of host:port or "host1:port1,host2:port2", got a mapping');
		assert.equal(refusal('scope: s\netcd:\n  hosts: 127.0.0.1:99999\n'), 'patronictl.yaml: etcd.hosts: expected host:port, got "127.0.0.1:99999"');
	});

	it('etcd host, url, proxy, port and protocol', () => {
		assert.equal(refusal('scope: s\netcd:\n  host: a:2379,b:2379\n'), 'patronictl.yaml: etcd.host: expected host:port (one host; several go in hosts), got "a:2379,b:2379"');
		assert.equal(refusal('scope: s\netcd3:\n  url: 127.0.0.1:2379\n'), 'patronictl.yaml: etcd3.url: expected http(s)://host:port, got "127.0.0.1:2379"');
		assert.equal(refusal('scope: s\netcd3:\n  proxy: ftp://proxy:21\n'), 'patronictl.yaml: etcd3.proxy: expected http(s)://host:port, got "ftp://proxy:21"');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: a\n  port: 2379.0\n'), 'patronictl.yaml: etcd3.port: expected a port number from 1 to 65535, got 2379.0');
		assert.equal(refusal('scope: s\netcd3:\n  host: a:2379\n  protocol: grpc\n'), 'patronictl.yaml: etcd3.protocol: expected http or https, got "grpc"');
		assert.equal(refusal('scope: s\netcd3: 127.0.0.1:2379\n'), 'patronictl.yaml: etcd3: expected a mapping with hosts, host, url or proxy, got "127.0.0.1:2379"');
	});

	it('a DCS section with nothing to connect to, or what the monitor cannot follow', () => {
		assert.equal(refusal('scope: s\netcd3:\n'), 'patronictl.yaml: etcd3: expected hosts, host, url or proxy (Patroni: "Neither srv, hosts, host nor url are defined")');
		assert.equal(refusal('scope: s\netcd3:\n  srv: example.org\n'), 'patronictl.yaml: etcd3.srv: DNS SRV discovery is not supported by patroni-tui; give hosts, host or url');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: a:2379\n  cacert: /nonexistent/ca.pem\n'), 'patronictl.yaml: etcd3.cacert: cannot read /nonexistent/ca.pem: no such file');
		// Debian's dcs.yml as shipped: ZooKeeper.
		assert.equal(
			refusal('scope: s\n#etcd:\n#  host: 127.0.0.1:2379\n\nzookeeper:\n  hosts: 127.0.0.1:2181\n'),
			'patronictl.yaml: zookeeper: Patroni uses ZooKeeper with this configuration (the first DCS section of consul, etcd, etcd3, exhibitor, kubernetes, raft, zookeeper); patroni-tui reads etcd and etcd3 only',
		);
		assert.match(refusal('scope: s\netcd:\n  host: a:2379\nconsul:\n  host: 127.0.0.1:8500\n'), /^patronictl\.yaml: consul: Patroni uses Consul with this configuration/);
	});

	it('credentials: username and password both, each a scalar', () => {
		assert.equal(refusal(withEtcd('restapi:\n  authentication:\n    username: admin\n')), 'patronictl.yaml: restapi.authentication: expected username and password, got only username');
		assert.equal(refusal(withEtcd('ctl:\n  authentication: admin:secret\n')), 'patronictl.yaml: ctl.authentication: expected username and password, got "admin:secret"');
		assert.equal(refusal(withEtcd('restapi:\n  authentication:\n    username: admin\n    password: [a, b]\n')), 'patronictl.yaml: restapi.authentication.password: expected a password, got a list');
		assert.equal(
			refusal(withEtcd('postgresql:\n  authentication:\n    superuser: postgres\n')),
			'patronictl.yaml: postgresql.authentication.superuser: expected a mapping with username and password, got "postgres"',
		);
		assert.equal(
			refusal(withEtcd('postgresql:\n  authentication:\n    superuser:\n      username: postgres\n      password: {a: 1}\n')),
			'patronictl.yaml: postgresql.authentication.superuser.password: expected a password, got a mapping',
		);
	});

	it("a node's addresses: host:port, the port required", () => {
		assert.equal(refusal(withEtcd('restapi:\n  connect_address: 127.0.0.1\n')), 'patronictl.yaml: restapi.connect_address: expected host:port, got "127.0.0.1"');
		assert.equal(refusal(withEtcd('restapi:\n  listen: 127.0.0.1:80a8\n')), 'patronictl.yaml: restapi.listen: expected host:port, got "127.0.0.1:80a8"');
		assert.equal(refusal(withEtcd('postgresql:\n  connect_address: pg1:abc\n')), 'patronictl.yaml: postgresql.connect_address: expected host:port, got "pg1:abc"');
		assert.equal(refusal(withEtcd('restapi: 127.0.0.1:8008\n')), 'patronictl.yaml: restapi: expected a mapping, got "127.0.0.1:8008"');
	});

	it('scope and namespace: names', () => {
		assert.equal(refusal('scope: [a]\netcd3: {host: a:2379}\n'), 'patronictl.yaml: scope: expected a name, got a list');
		assert.equal(refusal('scope: s\nnamespace: {a: 1}\netcd3: {host: a:2379}\n'), 'patronictl.yaml: namespace: expected a name, got a mapping');
	});
});

describe('bad PATRONI_* variables name the variable', () => {
	it("PATRONI_ETCD3_HOSTS: a list in 'h1:p','h2:p' form whose entries are host:port", () => {
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD3_HOSTS: "'127.0.0.1:2379','127.0.0.1"}), `PATRONI_ETCD3_HOSTS: expected a list such as 'host1:2379','host2:2379', got "'127.0.0.1:2379','127.0.0.1"`);
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD3_HOSTS: '127.0.0.1:abc'}), 'PATRONI_ETCD3_HOSTS: expected host:port, got "127.0.0.1:abc"');
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD_HOSTS: ''}), 'PATRONI_ETCD_HOSTS: expected host:port, not an empty entry, got ""');
	});

	it('PATRONI_ETCD3_PORT, PATRONI_ETCD3_URL, PATRONI_ETCD3_PROTOCOL, PATRONI_SCOPE', () => {
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD3_HOST: 'a', PATRONI_ETCD3_PORT: 'abc'}), 'PATRONI_ETCD3_PORT: expected a port number from 1 to 65535, got "abc"');
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD3_URL: 'etcd:2379'}), 'PATRONI_ETCD3_URL: expected http(s)://host:port, got "etcd:2379"');
		assert.equal(refusal('scope: s\n', {PATRONI_ETCD3_HOSTS: 'a:1', PATRONI_ETCD3_PROTOCOL: 'ftp'}), 'PATRONI_ETCD3_PROTOCOL: expected http or https, got "ftp"');
		assert.equal(refusal('scope: s\netcd3: {host: a:2379}\n', {PATRONI_RESTAPI_CONNECT_ADDRESS: 'nohost'}), 'PATRONI_RESTAPI_CONNECT_ADDRESS: expected host:port, got "nohost"');
	});

	it('PATRONI_CONFIGURATION is named as the origin', () => {
		assert.throws(
			() => resolveMonitorConfig({}, {PATRONI_CONFIGURATION: 'scope: s\netcd3:\n  hosts: a:b\n'}, () => true),
			{message: 'PATRONI_CONFIGURATION: etcd3.hosts: expected host:port, got "a:b"'},
		);
	});
});

describe('bad flags and DOCKER_HOST', () => {
	const flagRefusal = (flags: MonitorFlags, env: NodeJS.ProcessEnv = {}) => {
		try {
			resolveMonitorConfig({scope: 's', ...flags}, env, () => true);
		} catch (error) {
			assert.ok(error instanceof ConfigError);
			return error.message;
		}
		assert.fail('accepted');
	};

	it('--etcd, --rest, --haproxy-stats, --haproxy-primary', () => {
		assert.equal(flagRefusal({etcd: '127.0.0.1:2379,127.0.0.1:x'}), '--etcd: expected host:port or http(s)://host:port, got "127.0.0.1:x"');
		assert.equal(flagRefusal({etcd: 'grpc://127.0.0.1:2379'}), '--etcd: expected host:port or http(s)://host:port, got "grpc://127.0.0.1:2379"');
		assert.equal(flagRefusal({etcd: 'http://127.0.0.1:2379/v3'}), '--etcd: expected host:port or http(s)://host:port, got "http://127.0.0.1:2379/v3"');
		assert.equal(flagRefusal({rest: '127.0.0.1'}), '--rest: expected http(s)://host:port, got "127.0.0.1"');
		assert.equal(flagRefusal({rest: 'ftp://127.0.0.1:8008'}), '--rest: expected http(s)://host:port, got "ftp://127.0.0.1:8008"');
		assert.equal(flagRefusal({etcd: 'a:2379', haproxyStats: '127.0.0.1:7000/;csv'}), '--haproxy-stats: expected an http(s):// URL such as http://127.0.0.1:7000/;csv, got "127.0.0.1:7000/;csv"');
		assert.equal(flagRefusal({etcd: 'a:2379', haproxyPrimary: 'nohost'}), '--haproxy-primary: expected host:port, got "nohost"');
	});

	it('good flags are read as given, a host without a port gets etcd\'s 2379', () => {
		const config = resolveMonitorConfig({scope: 's', etcd: '127.0.0.1, 127.0.0.2:2380', rest: '127.0.0.1:8008,https://pg1:8008/'}, {}, () => true);
		assert.deepEqual(config.dcs.endpoints, ['http://127.0.0.1:2379', 'http://127.0.0.2:2380']);
		assert.deepEqual(resolveMonitorConfig({scope: 's', etcd: 'https://etcd.example'}, {}, () => true).dcs.endpoints, ['https://etcd.example:2379']);
		assert.deepEqual(config.restSeeds, ['http://127.0.0.1:8008', 'https://pg1:8008']);
	});

	it('DOCKER_HOST that is not a unix socket', () => {
		assert.equal(flagRefusal({etcd: 'a:2379'}, {DOCKER_HOST: 'tcp://10.0.0.1:2375'}), 'DOCKER_HOST: expected unix:///path/to/docker.sock (patroni-tui talks to a local engine), got "tcp://10.0.0.1:2375"');
	});
});
