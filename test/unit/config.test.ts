import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {ConfigError} from '../../source/config.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-config-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

function file(name: string, text: string): string {
	const target = path.join(dir, name);
	fs.writeFileSync(target, text);
	return target;
}

// A patronictl config as the course exercise would have it (etcd v2) and a Patroni node's own YAML (etcd v3).
const patronictlV2 = file('patronictl.yaml', 'scope: dummy\nnamespace: /service/\netcd:\n  host: 127.0.0.1:2379\nctl:\n  authentication:\n    username: admin\n    password: ctl-secret\n');
const nodeV3 = file(
	'patroni.yml',
	[
		'scope: demo',
		'name: pg1',
		'restapi:',
		'  listen: 127.0.0.1:18008',
		'  connect_address: 127.0.0.1:8008',
		'  authentication: {username: rest, password: rest-secret}',
		'etcd3:',
		'  hosts: [127.0.0.1:2379, 127.0.0.1:2479]',
		'postgresql:',
		'  authentication:',
		'    superuser: {username: su, password: su-secret}',
	].join('\n'),
);

describe('monitor configuration', () => {
	it("reads patronictl's config: etcd: means the v2 API, ctl credentials for the REST API", () => {
		const config = resolveMonitorConfig({config: patronictlV2}, {});
		assert.equal(config.scope, 'dummy');
		assert.deepEqual(config.dcs, {api: 'etcd2', endpoints: ['http://127.0.0.1:2379']});
		assert.deepEqual(config.restCredentials, {username: 'admin', password: 'ctl-secret'});
	});

	it("reads a Patroni node's YAML: etcd3 hosts, its REST address as a seed, the superuser for SQL", () => {
		const config = resolveMonitorConfig({config: nodeV3}, {});
		assert.deepEqual(config.dcs, {api: 'etcd3', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:2479']});
		assert.deepEqual(config.restSeeds, ['http://127.0.0.1:8008']);
		assert.deepEqual(config.postgres, {user: 'su', password: 'su-secret'});
	});

	it('lets PATRONI_* variables override the file, and flags override both', () => {
		const env = {PATRONI_SCOPE: 'fromenv', PATRONI_RESTAPI_USERNAME: 'u', PATRONI_RESTAPI_PASSWORD: 'p', PATRONI_ETCD3_HOSTS: '127.0.0.1:9999'};
		const config = resolveMonitorConfig({config: nodeV3}, env);
		assert.equal(config.scope, 'fromenv');
		assert.deepEqual(config.restCredentials, {username: 'u', password: 'p'});
		assert.deepEqual(config.dcs.endpoints, ['http://127.0.0.1:9999']);
		assert.equal(resolveMonitorConfig({config: nodeV3, scope: 'flag'}, env).scope, 'flag');
	});

	it('finds the config the way patronictl does: PATRONICTL_CONFIG_FILE when there is no -c', () => {
		assert.equal(resolveMonitorConfig({}, {PATRONICTL_CONFIG_FILE: patronictlV2}).scope, 'dummy');
	});

	it('refuses a malformed file, a missing one, and what cannot name a cluster, each with a sentence', () => {
		const broken = file('broken.yaml', 'scope: [unclosed\n');
		assert.throws(() => resolveMonitorConfig({config: broken}, {}), (error: Error) => error instanceof ConfigError && /is not valid YAML/.test(error.message));
		assert.throws(() => resolveMonitorConfig({config: path.join(dir, 'absent.yaml')}, {}), /Cannot read the config file/);
		assert.throws(() => resolveMonitorConfig({etcd: '127.0.0.1:2379'}, {}), /Which cluster\?/);
		assert.throws(() => resolveMonitorConfig({scope: 'x'}, {}), /Where is the cluster\?/);
		assert.throws(() => resolveMonitorConfig({scope: 'x', etcd: '127.0.0.1:1', interval: 0}, {}), {message: '--interval: expected seconds from 0.1 to 3600, got "0"'});
		assert.throws(() => resolveMonitorConfig({scope: 'x', etcd: '127.0.0.1:1', haproxyPrimary: 'nohost'}, {}), /--haproxy-primary: expected host:port/);
	});

	it('polls calm clusters 3 x less often unless told otherwise, never faster than --interval', () => {
		const base = {scope: 'x', etcd: '127.0.0.1:1'};
		assert.equal(resolveMonitorConfig(base, {}).calmIntervalMs, 3000);
		assert.equal(resolveMonitorConfig({...base, interval: 0.25}, {}).calmIntervalMs, 750);
		assert.equal(resolveMonitorConfig({...base, calmInterval: 1}, {}).calmIntervalMs, 1000);
		assert.equal(resolveMonitorConfig({...base, interval: 2, calmInterval: 1}, {}).calmIntervalMs, 2000);
		assert.throws(() => resolveMonitorConfig({...base, calmInterval: -1}, {}), {message: '--calm-interval: expected seconds from 0.1 to 3600, got "-1"'});
	});

	it('--lab with no lab there says how to make one', () => {
		assert.throws(() => resolveMonitorConfig({lab: true, stateDir: path.join(dir, 'nolab')}, {}), /No lab found in .*lab up/);
	});
});
