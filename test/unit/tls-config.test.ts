// TLS and etcd users as Patroni 3.0.2 reads them (dcs/etcd.py get_etcd_client, request.py PatroniRequest, config.py's
// PATRONI_* variables) and as the monitor's flags add to them. Reading checks only that a file holds a PEM block, so
// the files here are PEM-shaped text; what connects with real certificates is tested against real servers elsewhere.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {configWarnings} from '../../source/config-warnings.js';
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-tls-config-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

function pem(name: string, kind = 'CERTIFICATE'): string {
	const target = path.join(dir, name);
	fs.writeFileSync(target, `-----BEGIN ${kind}-----\n${Buffer.from(name).toString('base64')}\n-----END ${kind}-----\n`, {mode: 0o600});
	return target;
}

const ca = pem('ca.crt');
const cert = pem('client.crt');
const key = pem('client.key', 'PRIVATE KEY');
const combined = path.join(dir, 'combined.pem');
fs.writeFileSync(combined, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'), {mode: 0o600});
const notPem = path.join(dir, 'not.pem');
fs.writeFileSync(notPem, 'hello\n');

let count = 0;
function read(text: string, env: NodeJS.ProcessEnv = {}, flags: MonitorFlags = {}) {
	const file = path.join(dir, `patronictl-${++count}.yaml`);
	fs.writeFileSync(file, text);
	return resolveMonitorConfig({config: file, ...flags}, env, () => true);
}

function refusal(text: string, env: NodeJS.ProcessEnv = {}, flags: MonitorFlags = {}): string {
	try {
		read(text, env, flags);
	} catch (error) {
		return (error as Error).message.replace(/^\S*patronictl-\d+\.yaml/, 'patronictl.yaml').replaceAll(dir, '<dir>');
	}
	return 'accepted';
}

const paths = (tls: {ca?: {path: string}; cert?: {path: string}; key?: {path: string}} | undefined) =>
	tls && {ca: tls.ca?.path, cert: tls.cert?.path, key: tls.key?.path};

describe('etcd over TLS, and etcd users', () => {
	it('cacert, cert and key of an etcd3 or etcd section: the CA and the client certificate, its key in `cert` when no `key`', () => {
		const full = read(`scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  protocol: https\n  cacert: ${ca}\n  cert: ${cert}\n  key: ${key}\n`);
		assert.deepEqual(full.dcs.endpoints, ['https://127.0.0.1:2379']);
		assert.deepEqual(paths(full.dcs.tls), {ca, cert, key});
		assert.equal(full.dcs.tls?.verifyServer, true);
		assert.equal(full.dcs.tls?.verifyHostname, true);
		assert.deepEqual(paths(read(`scope: s\netcd:\n  host: 127.0.0.1:2379\n  protocol: https\n  cert: ${combined}\n`).dcs.tls), {ca: undefined, cert: combined, key: combined});
		// python-etcd takes a key only with a certificate.
		assert.deepEqual(paths(read(`scope: s\netcd3:\n  url: https://127.0.0.1:2379\n  cacert: ${ca}\n  key: ${key}\n`).dcs.tls), {ca, cert: undefined, key: undefined});
		assert.equal(read('scope: s\netcd3:\n  url: https://127.0.0.1:2379\n').dcs.tls, undefined);
	});

	it('PATRONI_ETCD3_CACERT, _CERT, _KEY, and the etcd user from the section or its variables', () => {
		const config = read('scope: s\n', {PATRONI_ETCD3_HOSTS: "'127.0.0.1:2379'", PATRONI_ETCD3_PROTOCOL: 'https', PATRONI_ETCD3_CACERT: ca, PATRONI_ETCD3_CERT: cert, PATRONI_ETCD3_KEY: key, PATRONI_ETCD3_USERNAME: 'root', PATRONI_ETCD3_PASSWORD: 'pw'});
		assert.deepEqual(paths(config.dcs.tls), {ca, cert, key});
		assert.equal(config.dcs.username, 'root');
		assert.equal(config.dcs.password, 'pw');
	});

	it('a file that cannot be used is named with its key, and never quoted', () => {
		assert.equal(refusal(`scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  cacert: ${dir}/missing.crt\n`), 'patronictl.yaml: etcd3.cacert: cannot read <dir>/missing.crt: no such file');
		assert.equal(refusal(`scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  cert: ${dir}\n`), `patronictl.yaml: etcd3.cert: cannot read <dir>: a directory, not a file`);
		assert.equal(refusal(`scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  cacert: ${notPem}\n`), 'patronictl.yaml: etcd3.cacert: <dir>/not.pem holds no PEM block ("-----BEGIN ...-----")');
		assert.equal(refusal('scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  cacert: [a]\n'), 'patronictl.yaml: etcd3.cacert: expected a file path, got a list');
	});

	it('--etcd-cacert, --etcd-cert and --etcd-key over the config; --etcd-user with its password never a flag', () => {
		const text = `scope: s\netcd3:\n  hosts: 127.0.0.1:2379\n  protocol: https\n  cacert: ${combined}\n  username: root\n  password: from-file\n`;
		const flagged = read(text, {}, {etcdCacert: ca, etcdCert: cert, etcdKey: key});
		assert.deepEqual(paths(flagged.dcs.tls), {ca, cert, key});
		assert.equal(flagged.dcs.password, 'from-file');
		assert.equal(read(text, {}, {etcdUser: 'root'}).dcs.password, 'from-file');
		assert.equal(read(text, {PATRONI_TUI_ETCD_PASSWORD: 'from-env'}, {etcdUser: 'root'}).dcs.password, 'from-env');
		assert.equal(refusal(text, {}, {etcdUser: 'other'}), '--etcd-user other: no password for it: set PATRONI_TUI_ETCD_PASSWORD, or give the config (-c) whose etcd section has it');
		assert.equal(refusal(text, {}, {etcdUser: 'root:secret'}), '--etcd-user: expected a user name alone; the password goes in PATRONI_TUI_ETCD_PASSWORD or the config, never in a flag');
		assert.equal(refusal(text, {}, {etcdKey: key}), '--etcd-key: give --etcd-cert with it (the key is of that certificate)');
		assert.equal(refusal(text, {}, {etcdCacert: `${dir}/nope`}), '--etcd-cacert: cannot read <dir>/nope: no such file');
		// --etcd replaces the section, its files and user with it (patronictl's --dcs-url); the flags' files stay.
		const replaced = read(text, {}, {etcd: 'https://127.0.0.1:2379', etcdCacert: ca});
		assert.deepEqual(paths(replaced.dcs.tls), {ca, cert: undefined, key: undefined});
		assert.equal(replaced.dcs.username, undefined);
	});

	it('schemes: the v3 client is TLS to every endpoint or none; TLS flags on http endpoints are a mistake said', () => {
		assert.equal(refusal('scope: s\n', {}, {etcd: '127.0.0.1:2379,https://127.0.0.1:2380'}), 'etcd endpoints mix http and https (http://127.0.0.1:2379, https://127.0.0.1:2380): give them all one scheme');
		assert.deepEqual(read('scope: s\n', {}, {etcd: '127.0.0.1:2379,https://127.0.0.1:2380', etcdApi: 'etcd2'}).dcs.endpoints, ['http://127.0.0.1:2379', 'https://127.0.0.1:2380']);
		assert.equal(refusal('scope: s\n', {}, {etcd: '127.0.0.1:2379', etcdCacert: ca}), '--etcd-cacert/--etcd-cert are for https etcd endpoints; http://127.0.0.1:2379 are http (write --etcd https://host:port)');
	});
});

describe("the members' REST API over TLS, as patronictl reaches it", () => {
	it('ctl.cacert, ctl.certfile and ctl.keyfile; restapi.cafile, certfile and keyfile when ctl has none', () => {
		const ctl = read(`scope: s\netcd3: {hosts: 127.0.0.1:2379}\nctl:\n  cacert: ${ca}\n  certfile: ${cert}\n  keyfile: ${key}\n`);
		assert.deepEqual(paths(ctl.restTls), {ca, cert, key});
		assert.equal(ctl.restTls.verifyServer && ctl.restTls.verifyHostname, true);
		const node = read(`scope: s\netcd3: {hosts: 127.0.0.1:2379}\nrestapi:\n  listen: 127.0.0.1:8008\n  cafile: ${ca}\n  certfile: ${combined}\n`);
		assert.deepEqual(paths(node.restTls), {ca, cert: combined, key: combined});
		assert.deepEqual(node.restSeeds, ['https://127.0.0.1:8008']);
		assert.deepEqual(paths(read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n').restTls), {ca: undefined, cert: undefined, key: undefined});
	});

	it('ctl.insecure: nothing verified without a client certificate, the host name only with one; and said on screen', () => {
		const insecure = read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\nctl: {insecure: true}\n');
		assert.equal(insecure.restTls.verifyServer, false);
		assert.deepEqual(configWarnings(insecure).map(warning => warning.short), ['REST TLS not verified']);
		const withCert = read(`scope: s\netcd3: {hosts: 127.0.0.1:2379}\nctl: {insecure: true, certfile: ${cert}, keyfile: ${key}}\n`);
		assert.deepEqual([withCert.restTls.verifyServer, withCert.restTls.verifyHostname], [true, false]);
		assert.deepEqual(configWarnings(withCert).map(warning => warning.short), ['REST host names not verified']);
		assert.deepEqual(configWarnings(read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n')), []);
		assert.equal(refusal('scope: s\netcd3: {hosts: 127.0.0.1:2379}\nctl: {insecure: "false"}\n'), 'patronictl.yaml: ctl.insecure: expected true or false, got "false"');
	});

	it('PATRONI_CTL_* and PATRONI_RESTAPI_* variables, PATRONI_CTL_INSECURE read by parse_bool', () => {
		const env = {PATRONI_CTL_CACERT: ca, PATRONI_CTL_CERTFILE: cert, PATRONI_CTL_KEYFILE: key, PATRONI_CTL_INSECURE: 'on'};
		const config = read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', env);
		assert.deepEqual(paths(config.restTls), {ca, cert, key});
		assert.equal(config.restTls.verifyHostname, false);
		// A value parse_bool cannot read is dropped, as config.py drops it: verification stays on.
		assert.equal(read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {PATRONI_CTL_INSECURE: 'maybe'}).restTls.verifyServer, true);
		assert.deepEqual(paths(read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {PATRONI_RESTAPI_CAFILE: ca}).restTls), {ca, cert: undefined, key: undefined});
	});
});

describe("HAProxy's stats page over https", () => {
	it('--haproxy-cacert verifies an https stats page by that CA; refused for an http page or none, the file named', () => {
		const config = read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {}, {haproxyStats: 'https://127.0.0.1:7000/;csv', haproxyCacert: ca});
		assert.equal(config.haproxy.tls?.ca?.path, ca);
		assert.equal(config.haproxy.tls?.verifyServer && config.haproxy.tls.verifyHostname, true);
		assert.equal(read('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {}, {haproxyStats: 'https://127.0.0.1:7000/;csv'}).haproxy.tls, undefined, "Node's store");
		assert.equal(refusal('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {}, {haproxyStats: 'http://127.0.0.1:7000/;csv', haproxyCacert: ca}), '--haproxy-cacert is for a stats page on https; http://127.0.0.1:7000/;csv is not');
		assert.equal(refusal('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {}, {haproxyCacert: ca}), '--haproxy-cacert is for a stats page on https; no --haproxy-stats URL is given');
		assert.equal(refusal('scope: s\netcd3: {hosts: 127.0.0.1:2379}\n', {}, {haproxyStats: 'https://127.0.0.1:7000/;csv', haproxyCacert: `${dir}/nope`}), '--haproxy-cacert: cannot read <dir>/nope: no such file');
	});
});
