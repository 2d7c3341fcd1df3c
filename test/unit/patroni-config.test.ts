// Configuration read as Patroni 3.0.2 reads it (patroni/config.py, patroni/dcs/etcd.py), on files written the way
// Patroni's postgres0.yml and Debian's /etc/patroni/config.yml.in and dcs.yml write them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-patroni-config-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

let count = 0;
function file(text: string, name = `config-${++count}.yml`): string {
	const target = path.join(dir, name);
	fs.writeFileSync(target, text);
	return target;
}

const hasSocket = () => true;
const read = (text: string, env: NodeJS.ProcessEnv = {}, flags: MonitorFlags = {}) => resolveMonitorConfig({config: file(text), ...flags}, env, hasSocket);

// Patroni's own example node (postgres0.yml at v3.0.2), cut to what the monitor reads.
const POSTGRES0 = `scope: batman
#namespace: /service/
name: postgresql0

restapi:
  listen: 127.0.0.1:8008
  connect_address: 127.0.0.1:8008
#  authentication:
#    username: username
#    password: password

etcd:
  #Provide host to do the initial discovery of the cluster topology:
  host: 127.0.0.1:2379

postgresql:
  listen: 127.0.0.1:5432
  connect_address: 127.0.0.1:5432
  data_dir: data/postgresql0
  authentication:
    replication:
      username: replicator
      password: rep-pass
    superuser:
      username: postgres
      password: zalando
`;

// Debian's config.yml.in as pg_createconfig_patroni fills it in, with dcs.yml's etcd lines uncommented.
const DEBIAN = `scope: "15-main"
namespace: "/postgresql-common/"
name: pg1

etcd:
  host: 127.0.0.1:2379

restapi:
  listen: 10.0.0.5:8008
  connect_address: 10.0.0.5:8008

postgresql:
  listen: "*:5432"
  connect_address: 10.0.0.5:5432
  use_unix_socket: true
  authentication:
    replication:
      username: "replicator"
      password: "rep-pass"
    superuser:
      username: "postgres"
      password:
`;

describe("a Patroni node's YAML and a patronictl.yaml", () => {
	it("reads Patroni's postgres0.yml: etcd's host (the v2 API), the REST connect_address as a seed, the superuser", () => {
		const config = read(POSTGRES0);
		assert.equal(config.scope, 'batman');
		assert.equal(config.namespace, '/service/');
		assert.deepEqual(config.dcs, {api: 'etcd2', endpoints: ['http://127.0.0.1:2379']});
		assert.deepEqual(config.restSeeds, ['http://127.0.0.1:8008']);
		assert.deepEqual(config.postgres, {user: 'postgres', password: 'zalando'});
		assert.equal(config.restCredentials, undefined);
	});

	it("reads Debian's config: quoted scope and namespace; an empty superuser password is none (PGPASSWORD then)", () => {
		const config = read(DEBIAN, {PGPASSWORD: 'from-env'});
		assert.equal(config.scope, '15-main');
		assert.equal(config.namespace, '/postgresql-common/');
		assert.deepEqual(config.restSeeds, ['http://10.0.0.5:8008']);
		assert.deepEqual(config.postgres, {user: 'postgres', password: 'from-env'});
	});

	it('reads a patronictl.yaml: scope, namespace, etcd3 hosts, ctl.authentication before restapi.authentication', () => {
		const config = read(
			'scope: demo\nnamespace: /db/\netcd3:\n  hosts:\n  - 10.0.0.1:2379\n  - 10.0.0.2:2379\nctl:\n  authentication:\n    username: ctl\n    password: ctl-pass\nrestapi:\n  authentication:\n    username: rest\n    password: rest-pass\n',
		);
		assert.deepEqual(config.dcs, {api: 'etcd3', endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379']});
		assert.equal(config.namespace, '/db/');
		assert.deepEqual(config.restCredentials, {username: 'ctl', password: 'ctl-pass'});
		assert.deepEqual(config.restSeeds, []);
	});

	it('takes the REST seed from listen when there is no connect_address (a wildcard is this machine), https with a certfile', () => {
		assert.deepEqual(read('scope: s\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  listen: 0.0.0.0:8008\n').restSeeds, ['http://127.0.0.1:8008']);
		assert.deepEqual(read('scope: s\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  listen: ":8008"\n').restSeeds, ['http://127.0.0.1:8008']);
		// The certfile is read (it is also patronictl's client certificate): a PEM block is all the reading checks.
		const certfile = file('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'pg1.pem');
		assert.deepEqual(read(`scope: s\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  connect_address: pg1.example:8008\n  certfile: ${certfile}\n`).restSeeds, ['https://pg1.example:8008']);
	});

	it('reads the old layout: postgresql.superuser without authentication, else pg_rewind', () => {
		assert.deepEqual(read('scope: s\netcd: {host: h:2379}\npostgresql:\n  superuser: {username: su, password: old}\n').postgres, {user: 'su', password: 'old'});
		assert.deepEqual(read('scope: s\netcd: {host: h:2379}\npostgresql:\n  authentication: {}\n  pg_rewind: {username: rw, password: rwp}\n').postgres, {user: 'rw', password: 'rwp'});
	});
});

describe('etcd and etcd3 sections, as get_etcd_client reads them', () => {
	const endpoints = (section: string, env: NodeJS.ProcessEnv = {}) => read(`scope: s\n${section}`, env).dcs;

	it('hosts: a YAML list, a comma-separated string (spaces allowed), a host without a port gets port, else 2379', () => {
		assert.deepEqual(endpoints('etcd3:\n  hosts:\n  - 127.0.0.1:2379\n  - 127.0.0.1:2479\n').endpoints, ['http://127.0.0.1:2379', 'http://127.0.0.1:2479']);
		assert.deepEqual(endpoints('etcd3:\n  hosts: host1:2379, host2:2380\n').endpoints, ['http://host1:2379', 'http://host2:2380']);
		assert.deepEqual(endpoints('etcd3:\n  hosts: host1,host2:2381\n  port: 2380\n').endpoints, ['http://host1:2380', 'http://host2:2381']);
		assert.deepEqual(endpoints('etcd3:\n  hosts: [127.0.0.1]\n').endpoints, ['http://127.0.0.1:2379']);
		assert.deepEqual(endpoints('etcd3:\n  hosts: ["[::1]:2379"]\n').endpoints, ['http://[::1]:2379']);
	});

	it('host: its own port, else port, else 2379; port given beats the one in host, as Patroni does', () => {
		assert.deepEqual(endpoints('etcd:\n  host: etcd1.example\n').endpoints, ['http://etcd1.example:2379']);
		assert.deepEqual(endpoints('etcd:\n  host: etcd1.example:4001\n').endpoints, ['http://etcd1.example:4001']);
		assert.deepEqual(endpoints('etcd:\n  host: etcd1.example:4001\n  port: 4002\n').endpoints, ['http://etcd1.example:4002']);
	});

	it("url and proxy: their scheme, host, port (2379 when none) and the url's user and password", () => {
		assert.deepEqual(endpoints('etcd3:\n  url: https://patroni:s3cret@etcd.example:2379\n'), {
			api: 'etcd3',
			endpoints: ['https://etcd.example:2379'],
			username: 'patroni',
			password: 's3cret',
		});
		assert.deepEqual(endpoints('etcd3:\n  url: http://etcd.example\n').endpoints, ['http://etcd.example:2379']);
		assert.deepEqual(endpoints('etcd3:\n  proxy: http://127.0.0.1:23790\n').endpoints, ['http://127.0.0.1:23790']);
	});

	it('protocol is the scheme of hosts and host; username and password are etcd credentials', () => {
		assert.deepEqual(endpoints('etcd3:\n  hosts: a:2379,b:2379\n  protocol: https\n  username: root\n  password: 1234\n'), {
			api: 'etcd3',
			endpoints: ['https://a:2379', 'https://b:2379'],
			username: 'root',
			password: '1234',
		});
	});

	it('several set: proxy, then hosts, then url, then host (etcd.py: proxy wins, url replaces host, hosts are read first)', () => {
		const all = 'etcd3:\n  proxy: http://proxy:1\n  hosts: hosts:2\n  url: http://url:3\n  host: host:4\n';
		assert.deepEqual(endpoints(all).endpoints, ['http://proxy:1']);
		assert.deepEqual(endpoints(all.replace(/ {2}proxy.*\n/, '')).endpoints, ['http://hosts:2']);
		assert.deepEqual(endpoints('etcd3:\n  url: http://url:3\n  host: host:4\n').endpoints, ['http://url:3']);
	});

	it("both etcd and etcd3: Patroni's get_dcs takes etcd (the v2 API) first", () => {
		assert.equal(endpoints('etcd3:\n  host: a:2379\netcd:\n  host: b:2379\n').api, 'etcd2');
	});

	it("PATRONI_ETCD3_HOSTS in the documented 'h1:p','h2:p' form, and unquoted, override the file's hosts", () => {
		const section = 'etcd3:\n  hosts: file:2379\n';
		assert.deepEqual(endpoints(section, {PATRONI_ETCD3_HOSTS: "'10.0.0.1:2379','10.0.0.2:2379'"}).endpoints, ['http://10.0.0.1:2379', 'http://10.0.0.2:2379']);
		assert.deepEqual(endpoints(section, {PATRONI_ETCD3_HOSTS: '10.0.0.1:2379,10.0.0.2:2379'}).endpoints, ['http://10.0.0.1:2379', 'http://10.0.0.2:2379']);
		assert.deepEqual(endpoints(section, {PATRONI_ETCD3_HOSTS: '- 10.0.0.3:2379'}).endpoints, ['http://10.0.0.3:2379']);
	});

	it('the other PATRONI_ETCD*_ variables: URL, PROXY, HOST, PORT, PROTOCOL, USERNAME, PASSWORD', () => {
		assert.deepEqual(endpoints('', {PATRONI_ETCD3_URL: 'https://etcd.example:2379'}).endpoints, ['https://etcd.example:2379']);
		assert.deepEqual(endpoints('etcd3: {hosts: a:1}\n', {PATRONI_ETCD3_PROXY: 'http://proxy:3'}).endpoints, ['http://proxy:3']);
		assert.deepEqual(endpoints('', {PATRONI_ETCD_HOST: 'etcd1', PATRONI_ETCD_PORT: '4001', PATRONI_ETCD_PROTOCOL: 'https'}), {
			api: 'etcd2',
			endpoints: ['https://etcd1:4001'],
		});
		const withAuth = endpoints('', {PATRONI_ETCD3_HOSTS: 'a:2379', PATRONI_ETCD3_USERNAME: 'root', PATRONI_ETCD3_PASSWORD: 'pw'});
		assert.deepEqual(withAuth, {api: 'etcd3', endpoints: ['http://a:2379'], username: 'root', password: 'pw'});
	});

	it("a variable for etcd3 beside the file's etcd section: Patroni still takes etcd, as get_dcs would", () => {
		assert.deepEqual(endpoints('etcd:\n  host: b:2379\n', {PATRONI_ETCD3_HOSTS: 'a:2379'}), {api: 'etcd2', endpoints: ['http://b:2379']});
	});
});

describe('numbers and other YAML scalars as Patroni (PyYAML, then str()) makes them text', () => {
	const password = (value: string) => read(`scope: s\netcd3: {host: a:2379}\nrestapi:\n  authentication:\n    username: admin\n    password: ${value}\n`).restCredentials?.password;
	const superuser = (value: string) => read(`scope: s\netcd3: {host: a:2379}\npostgresql:\n  authentication:\n    superuser:\n      username: postgres\n      password: ${value}\n`).postgres.password;

	it('password: 1234 is "1234" for REST (restapi and ctl) and for PostgreSQL', () => {
		assert.equal(password('1234'), '1234');
		assert.equal(superuser('1234'), '1234');
		assert.deepEqual(read('scope: s\netcd3: {host: a:2379}\nctl:\n  authentication: {username: 42, password: 1234}\n').restCredentials, {username: '42', password: '1234'});
	});

	it("YAML 1.1 as PyYAML reads it: 0123 is octal, 1_000 an int, 1.50 a float, yes a bool; 09 and quoted text stay text", () => {
		assert.equal(password('0123'), '83');
		assert.equal(password('1_000'), '1000');
		assert.equal(password('1.50'), '1.5');
		assert.equal(password('1.0'), '1.0');
		assert.equal(password('1e3'), '1e3');
		assert.equal(password('yes'), 'True');
		assert.equal(password('09'), '09');
		assert.equal(password('"0123"'), '0123');
		assert.equal(password('12345678901234567890'), '12345678901234567890');
		assert.equal(superuser('0x1F'), '31');
	});

	it('a numeric scope is its text', () => {
		assert.equal(read('scope: 1234\netcd3: {host: a:2379}\n').scope, '1234');
	});
});

describe('the PATRONI_* variables', () => {
	it('override the file: scope, namespace, REST and superuser credentials, the REST address', () => {
		const env = {
			PATRONI_SCOPE: 'other',
			PATRONI_NAMESPACE: '/ns/',
			PATRONI_RESTAPI_USERNAME: 'u',
			PATRONI_RESTAPI_PASSWORD: 'p',
			PATRONI_SUPERUSER_PASSWORD: 'supw',
			PATRONI_RESTAPI_CONNECT_ADDRESS: '127.0.0.1:9008',
		};
		const config = read(POSTGRES0, env);
		assert.equal(config.scope, 'other');
		assert.equal(config.namespace, '/ns/');
		assert.deepEqual(config.restCredentials, {username: 'u', password: 'p'});
		assert.deepEqual(config.postgres, {user: 'postgres', password: 'supw'});
		assert.deepEqual(config.restSeeds, ['http://127.0.0.1:9008']);
	});

	it('with no file, stand for it as they do for patronictl; PATRONI_CONFIGURATION holds a whole one', () => {
		const alone = resolveMonitorConfig({}, {PATRONICTL_CONFIG_FILE: '', PATRONI_SCOPE: 'envonly', PATRONI_ETCD3_HOSTS: "'127.0.0.1:2379'"}, hasSocket);
		assert.equal(alone.scope, 'envonly');
		assert.deepEqual(alone.dcs.endpoints, ['http://127.0.0.1:2379']);
		const whole = resolveMonitorConfig({}, {PATRONI_CONFIGURATION: 'scope: whole\netcd:\n  hosts: [127.0.0.1:2379]\n', PATRONI_SCOPE: 'ignored'}, hasSocket);
		assert.equal(whole.scope, 'whole');
		assert.equal(whole.dcs.api, 'etcd2');
	});

	it("--etcd replaces the file's DCS section, as patronictl's --dcs-url does; the section's name still picks the API", () => {
		const config = read('scope: s\netcd:\n  hosts: 127.0.0.1:notaport\n', {}, {etcd: '10.0.0.9:2379'});
		assert.deepEqual(config.dcs, {api: 'etcd2', endpoints: ['http://10.0.0.9:2379']});
	});
});
