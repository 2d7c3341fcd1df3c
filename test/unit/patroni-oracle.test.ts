// The monitor's reading of a config against Patroni's own, where Debian's Patroni is installed: the same files and
// variables given to patroni.config.Config and get_etcd_client (test/helpers/patroni-oracle.py, which connects to
// nothing) must name the same DCS, etcd endpoints and credentials, REST credentials, superuser password and scope.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {resolveMonitorConfig} from '../../source/resolve-config.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = path.resolve('test/helpers/patroni-oracle.py');
const hasPatroni = spawnSync(PYTHON, ['-c', 'import patroni.config, patroni.dcs.etcd'], {stdio: 'ignore'}).status === 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-oracle-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

type Reading = {
	readonly dcs: string | null;
	readonly scope: string | null;
	readonly endpoints?: string[];
	readonly username?: string | null;
	readonly password?: string | null;
	readonly restAuth: string | null;
	readonly superuserPassword: string | null;
};

type Case = {readonly name: string; readonly yaml?: string; readonly env?: NodeJS.ProcessEnv};

const CASES: readonly Case[] = [
	{name: "postgres0.yml's etcd host", yaml: 'scope: batman\nname: postgresql0\netcd:\n  host: 127.0.0.1:2379\npostgresql:\n  authentication:\n    superuser:\n      username: postgres\n      password: zalando\n'},
	{name: "Debian's config, an empty superuser password", yaml: 'scope: "15-main"\nnamespace: "/postgresql-common/"\netcd:\n  host: 127.0.0.1:2379\npostgresql:\n  authentication:\n    superuser:\n      username: "postgres"\n      password:\n'},
	{name: 'hosts as a string, port for the hosts without one', yaml: 'scope: s\netcd3:\n  hosts: 10.0.0.1,10.0.0.2:2381\n  port: 2380\n'},
	{name: 'hosts as a list, IPv6, protocol, etcd credentials', yaml: 'scope: s\netcd3:\n  hosts: ["[::1]:2379", 127.0.0.1]\n  protocol: https\n  username: root\n  password: 1234\n'},
	{name: 'url with a user and no port', yaml: 'scope: s\netcd3:\n  url: https://patroni:s3cret@10.0.0.1\n  username: ignored\n'},
	{name: 'proxy over hosts, url and host', yaml: 'scope: s\netcd3:\n  proxy: http://10.0.0.9:23790\n  hosts: 10.0.0.1:2379\n  url: http://10.0.0.2:2379\n  host: 10.0.0.3:2379\n'},
	{name: 'hosts over url', yaml: 'scope: s\netcd3:\n  url: http://10.0.0.2:2379\n  hosts: [10.0.0.1:2379]\n'},
	{name: 'url over host', yaml: 'scope: s\netcd3:\n  url: http://10.0.0.2:2379\n  host: 10.0.0.3:2379\n'},
	{name: 'host with port given apart', yaml: 'scope: s\netcd:\n  host: 127.0.0.1:4001\n  port: 4002\n'},
	{name: 'etcd and etcd3 both', yaml: 'scope: s\netcd3:\n  host: 10.0.0.1:2379\netcd:\n  host: 10.0.0.2:2379\n'},
	{name: 'numbers as passwords', yaml: 'scope: 1234\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  authentication: {username: admin, password: 0123}\npostgresql:\n  authentication:\n    superuser: {username: postgres, password: 1.50}\n'},
	{name: 'yes and a long number', yaml: 'scope: s\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  authentication: {username: 42, password: yes}\npostgresql:\n  authentication:\n    superuser: {password: 12345678901234567890}\n'},
	{name: 'the old layout', yaml: 'scope: s\netcd: {host: 127.0.0.1:2379}\npostgresql:\n  superuser: {username: su, password: 1_000}\n'},
	{name: "PATRONI_ETCD3_HOSTS 'h1:p','h2:p' over the file", yaml: 'scope: s\netcd3:\n  hosts: 10.0.0.1:2379\n', env: {PATRONI_ETCD3_HOSTS: "'10.0.0.5:2379','10.0.0.6:2379'"}},
	{name: 'PATRONI_ETCD3_HOSTS unquoted', yaml: 'scope: s\netcd3:\n  hosts: 10.0.0.1:2379\n', env: {PATRONI_ETCD3_HOSTS: '10.0.0.5:2379,10.0.0.6:2379'}},
	{name: 'an etcd3 variable beside the file\'s etcd', yaml: 'scope: s\netcd:\n  host: 10.0.0.2:2379\n', env: {PATRONI_ETCD3_HOSTS: '10.0.0.5:2379'}},
	{name: 'the variables alone', env: {PATRONI_SCOPE: 'envonly', PATRONI_ETCD_HOST: '127.0.0.1', PATRONI_ETCD_PORT: '4001', PATRONI_ETCD_PROTOCOL: 'https'}},
	{name: 'etcd credentials from variables', env: {PATRONI_SCOPE: 's', PATRONI_ETCD3_URL: 'http://10.0.0.1:2379', PATRONI_ETCD3_USERNAME: 'u', PATRONI_ETCD3_PASSWORD: 'p'}},
	{
		name: 'credentials from variables over the file',
		yaml: 'scope: s\netcd3: {host: 127.0.0.1:2379}\nrestapi:\n  authentication: {username: file, password: file}\npostgresql:\n  authentication:\n    superuser: {username: postgres, password: file}\n',
		env: {PATRONI_RESTAPI_PASSWORD: 'env', PATRONI_SUPERUSER_PASSWORD: 'envsu'},
	},
	{name: 'PATRONI_CONFIGURATION', env: {PATRONI_CONFIGURATION: 'scope: whole\netcd:\n  hosts: [127.0.0.1:2379]\n', PATRONI_SCOPE: 'ignored'}},
];

const parentEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PATRONI')));

function patroniReads(file: string, env: NodeJS.ProcessEnv): Reading {
	const result = spawnSync(PYTHON, [ORACLE, file], {env: {...parentEnv, ...env}, encoding: 'utf8', timeout: 30_000});
	assert.equal(result.status, 0, result.stderr);
	return JSON.parse(result.stdout) as Reading;
}

/** urllib3 reads a host without a scheme as http, and a scheme in any case. */
const asUrl = (endpoint: string) => (endpoint.includes('://') ? endpoint.replace(/^[a-z]+/i, scheme => scheme.toLowerCase()) : `http://${endpoint}`);

describe("the monitor reads a config as Patroni 3.0.2's own code does", {skip: hasPatroni ? false : 'Debian\'s patroni is not installed'}, () => {
	CASES.forEach((testCase, index) => {
		it(testCase.name, () => {
			const file = path.join(dir, `case-${index}.yml`);
			if (testCase.yaml !== undefined) fs.writeFileSync(file, testCase.yaml);
			const env = testCase.env ?? {};
			const patroni = patroniReads(testCase.yaml === undefined ? path.join(dir, 'none.yml') : file, env);
			const ours = resolveMonitorConfig({...(testCase.yaml === undefined ? {} : {config: file})}, {PATRONICTL_CONFIG_FILE: '', ...env}, () => true);
			assert.equal(ours.scope, patroni.scope);
			assert.equal(ours.dcs.api, patroni.dcs === 'etcd' ? 'etcd2' : 'etcd3');
			assert.deepEqual(ours.dcs.endpoints, patroni.endpoints?.map(asUrl));
			assert.equal(ours.dcs.username ?? null, patroni.username ?? null);
			assert.equal(ours.dcs.username ? ours.dcs.password ?? null : null, patroni.username ? patroni.password ?? null : null);
			assert.equal(ours.restCredentials ? `${ours.restCredentials.username}:${ours.restCredentials.password}` : null, patroni.restAuth);
			assert.equal(ours.postgres.password ?? null, patroni.superuserPassword);
		});
	});
});
