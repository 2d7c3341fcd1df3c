// `lab up --tls`: what each component is configured with (Patroni, patronictl, PostgreSQL, etcd, HAProxy), the
// containers' TLS mount and endpoint labels, and how the lab remembers TLS (lab.json) and refuses a switch.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import type Docker from 'dockerode';
import YAML from 'yaml';
import {createLabContainer, specHash} from '../../source/lab/containers.js';
import {tlsRequest} from '../../source/lab/lab-cli.js';
import {labConfig} from '../../source/lab/lab-config.js';
import {labEntries, LabRefusal} from '../../source/lab/lab-marker.js';
import {resolveLabConfig, writeLabSettings} from '../../source/lab/lab-settings.js';
import {formatLabStatus, labStatus} from '../../source/lab/lab-status.js';
import {desiredSpecs} from '../../source/lab/lab.js';
import {etcdCommand, renderHaproxyConfig, renderPatroniConfig, renderPatronictlConfig} from '../../source/lab/render.js';
import {loadOrCreateSecrets, readSecrets, secretsPath, withEtcdRootPassword} from '../../source/lab/secrets.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-unit-tls-render-'));
after(() => fs.rmSync(root, {recursive: true, force: true}));

const STATE = '/tmp/patroni-tui-unit-tls';
const tls = labConfig({scope: 'tlsunit', stateDir: STATE, portOffset: 300, tls: true});
const plain = labConfig({scope: 'tlsunit', stateDir: STATE, portOffset: 300});
const secrets = {
	superuserPassword: 'su-secret',
	replicationPassword: 'repl-secret',
	rewindPassword: 'rewind-secret',
	restApiUsername: 'patroni',
	restApiPassword: 'rest-secret',
	etcdRootPassword: 'etcd-secret',
};

type Auth = {username: string; password?: string; sslmode?: string; sslrootcert?: string};
type PatroniYaml = {
	restapi: Record<string, unknown>;
	ctl?: Record<string, unknown>;
	etcd3?: Record<string, unknown>;
	etcd?: Record<string, unknown>;
	postgresql: {parameters: Record<string, string>; pg_hba: string[]; authentication: Record<'superuser' | 'replication' | 'rewind', Auth>};
};
const patroni = (config = tls, index = 0) => YAML.parse(renderPatroniConfig(config, secrets, index, '/usr/lib/postgresql/15/bin')) as PatroniYaml;

describe('lab up --tls: Patroni', () => {
	it('serves the REST API on https with the server certificate, asking client certificates of unsafe requests only', () => {
		assert.deepEqual(patroni().restapi, {
			listen: '127.0.0.1:18308',
			connect_address: '127.0.0.1:18308',
			authentication: {username: 'patroni', password: 'rest-secret'},
			certfile: '/tls/server.crt',
			keyfile: '/tls/server.key',
			cafile: '/tls/ca.crt',
			verify_client: 'optional',
		});
	});

	it("reaches other members' APIs with the CA and the client certificate (ctl)", () => {
		assert.deepEqual(patroni().ctl, {cacert: '/tls/ca.crt', certfile: '/tls/client.crt', keyfile: '/tls/client.key'});
	});

	it('talks to etcd on https with the CA, the client certificate and etcd root user, v3 and v2 alike', () => {
		const section = {hosts: ['127.0.0.1:12679'], protocol: 'https', cacert: '/tls/ca.crt', cert: '/tls/client.crt', key: '/tls/client.key', username: 'root', password: 'etcd-secret'};
		assert.deepEqual(patroni().etcd3, section);
		const v2 = patroni(labConfig({stateDir: STATE, portOffset: 300, tls: true, dcs: 'etcd2'}));
		assert.deepEqual(v2.etcd, section);
		assert.equal(v2.etcd3, undefined);
	});

	it('runs PostgreSQL with ssl on and lets TCP clients in over SSL only (hostssl, no host line; local stays)', () => {
		const {parameters, pg_hba: hba} = patroni().postgresql;
		assert.equal(parameters['ssl'], 'on');
		assert.equal(parameters['ssl_cert_file'], '/tls/server.crt');
		assert.equal(parameters['ssl_key_file'], '/tls/server.key');
		assert.deepEqual(hba, ['local all all peer', 'hostssl replication replicator 127.0.0.1/32 scram-sha-256', 'hostssl all all 127.0.0.1/32 scram-sha-256']);
		assert.ok(hba.every(line => !/^host\s/.test(line)));
	});

	it("verifies the server on its own, replication and pg_rewind connections (libpq's sslmode verify-full)", () => {
		for (const [role, auth] of Object.entries(patroni().postgresql.authentication)) {
			assert.equal(auth.sslmode, 'verify-full', role);
			assert.equal(auth.sslrootcert, '/tls/ca.crt', role);
		}
	});

	it('gives a lab without --tls none of it', () => {
		const document = patroni(plain);
		assert.equal(document.ctl, undefined);
		assert.equal(document.restapi['certfile'], undefined);
		assert.equal(document.etcd3?.['protocol'], undefined);
		assert.equal(document.postgresql.parameters['ssl'], undefined);
		assert.ok(document.postgresql.pg_hba.every(line => !line.startsWith('hostssl')));
		assert.equal(document.postgresql.authentication.replication.sslmode, undefined);
	});
});

describe('lab up --tls: patronictl.yaml', () => {
	const document = YAML.parse(renderPatronictlConfig(tls, secrets)) as {
		etcd3: Record<string, unknown>;
		ctl: Record<string, unknown>;
		postgresql: {authentication: {superuser: Auth}};
	};

	it("names the host's files for etcd (protocol https, cacert, cert, key, username, password)", () => {
		assert.deepEqual(document.etcd3, {
			hosts: ['127.0.0.1:12679'],
			protocol: 'https',
			cacert: `${STATE}/tls/ca.crt`,
			cert: `${STATE}/tls/client.crt`,
			key: `${STATE}/tls/client.key`,
			username: 'root',
			password: 'etcd-secret',
		});
	});

	it('gives patronictl a ctl section with the CA and client certificate beside the REST credentials', () => {
		assert.deepEqual(document.ctl, {
			authentication: {username: 'patroni', password: 'rest-secret'},
			cacert: `${STATE}/tls/ca.crt`,
			certfile: `${STATE}/tls/client.crt`,
			keyfile: `${STATE}/tls/client.key`,
		});
	});

	it("says how PostgreSQL is verified, without the superuser's password", () => {
		assert.deepEqual(document.postgresql.authentication.superuser, {username: 'postgres', sslmode: 'verify-full', sslrootcert: `${STATE}/tls/ca.crt`});
	});

	it('writes no YAML anchor or alias, with or without TLS', () => {
		for (const config of [tls, plain]) assert.doesNotMatch(renderPatronictlConfig(config, secrets), /[&*]a\d/);
	});
});

describe('lab up --tls: etcd and HAProxy', () => {
	it('runs etcd on https asking for client certificates of the CA; peers stay on loopback http', () => {
		const command = etcdCommand(tls);
		assert.ok(command.includes('--listen-client-urls=https://127.0.0.1:12679'));
		assert.ok(command.includes('--advertise-client-urls=https://127.0.0.1:12679'));
		assert.ok(command.includes('--listen-peer-urls=http://127.0.0.1:12680'));
		for (const flag of ['--cert-file=/tls/server.crt', '--key-file=/tls/server.key', '--trusted-ca-file=/tls/ca.crt', '--client-cert-auth']) {
			assert.ok(command.includes(flag), flag);
		}
		assert.ok(!etcdCommand(plain).some(flag => flag.includes('tls') || flag === '--client-cert-auth'));
	});

	it("checks each member's https API, verifying it against the CA, and serves its stats page on https", () => {
		const text = renderHaproxyConfig(tls);
		const servers = text.split('\n').filter(line => line.trim().startsWith('server '));
		assert.equal(servers.length, 6);
		for (const line of servers) assert.match(line, /check port 183\d\d check-ssl verify required ca-file \/tls\/ca\.crt check-sni localhost verifyhost localhost$/);
		assert.match(text, /bind 127\.0\.0\.1:17300 ssl crt \/tls\/haproxy\.pem\n/);
		assert.doesNotMatch(renderHaproxyConfig(plain), /ssl/);
	});
});

describe('lab up --tls: containers', () => {
	const specs = desiredSpecs(tls, 'patroni-tui-lab:1', {});
	const spec = (name: string) => specs.find(found => found.name === `patroni-tui-tlsunit-${name}`)!;

	it('labels the endpoints https, as Patroni registers its api_url', () => {
		assert.equal(spec('node1').endpointLabels?.['io.patroni-tui.rest-api'], 'https://127.0.0.1:18308/patroni');
		assert.equal(spec('etcd').endpointLabels?.['io.patroni-tui.endpoint'], 'https://127.0.0.1:12679');
		assert.equal(spec('haproxy').endpointLabels?.['io.patroni-tui.endpoint'], '127.0.0.1:15300,https://127.0.0.1:17300/;csv');
	});

	it('mounts <state>/tls read-only at /tls in every container, and nothing more without TLS', async () => {
		const binds: string[][] = [];
		const docker = {createContainer: async (options: Docker.ContainerCreateOptions) => (binds.push(options.HostConfig?.Binds ?? []), {id: 'c0ffee'})} as unknown as Docker;
		for (const each of specs) await createLabContainer(docker, 'tlsunit', each);
		assert.ok(binds.every(list => list.includes(`${STATE}/tls:/tls:ro`)), JSON.stringify(binds));
		const without = desiredSpecs(plain, 'patroni-tui-lab:1', {});
		assert.ok(without.every(each => each.tlsDir === undefined));
		assert.notEqual(specHash('tlsunit', spec('node1')), specHash('tlsunit', without.find(each => each.member === 'node1')!));
	});

	it('lab destroy removes tls/ of a TLS lab only', () => {
		assert.ok(labEntries(tls).includes('tls'));
		assert.ok(!labEntries(plain).includes('tls'));
	});

	it('lab status says TLS is on and where the CA is, https everywhere, and no key', async () => {
		const status = await labStatus(tls, undefined);
		assert.deepEqual(status.tls, {enabled: true, ca: `${STATE}/tls/ca.crt`});
		assert.equal(status.etcd.endpoints[0], 'https://127.0.0.1:12679');
		assert.equal(status.members[0]?.restApi, 'https://127.0.0.1:18308');
		assert.equal(status.haproxy.statsCsvUrl, 'https://127.0.0.1:17300/;csv');
		assert.match(formatLabStatus(status), /TLS {15}on: .*CA \/tmp\/patroni-tui-unit-tls\/tls\/ca\.crt/);
		assert.doesNotMatch(JSON.stringify(status) + formatLabStatus(status), /\.key|secret/);
		assert.deepEqual((await labStatus(plain, undefined)).tls, {enabled: false});
		assert.doesNotMatch(formatLabStatus(await labStatus(plain, undefined)), /TLS/);
	});
});

describe('lab up --tls: kept in the state directory', () => {
	let count = 0;
	const made = (tlsFlag: boolean) => {
		const stateDir = path.join(root, `lab${count++}`);
		writeLabSettings(labConfig({scope: 'tlsunit', stateDir, tls: tlsFlag}), 0);
		return stateDir;
	};

	it('is known to later commands without the flag', () => {
		const stateDir = made(true);
		assert.equal(resolveLabConfig({stateDir}).config.tls, true);
		assert.equal(resolveLabConfig({stateDir}, true).config.tls, true);
		assert.equal(resolveLabConfig({stateDir, tls: true}, true).config.tls, true);
	});

	it('refuses --tls on a lab made without it, and --no-tls on a TLS lab, as a refusal (exit 2) with a sentence', () => {
		const refusal = (stateDir: string, tlsFlag: boolean) => {
			try {
				resolveLabConfig({stateDir, tls: tlsFlag}, true);
			} catch (error) {
				assert.ok(error instanceof LabRefusal, String(error));
				return error.message;
			}
			return assert.fail('accepted');
		};
		const plainDir = made(false);
		assert.equal(refusal(plainDir, true), `The lab in ${plainDir} was made with no --tls. Use that, or "lab destroy" it first.`);
		const tlsDir = made(true);
		assert.equal(refusal(tlsDir, false), `The lab in ${tlsDir} was made with --tls. Use that, or "lab destroy" it first.`);
		// down, status and destroy find the lab as it was made, whatever the flag says.
		assert.equal(resolveLabConfig({stateDir: tlsDir, tls: false}).config.tls, true);
	});

	it('reads a lab.json from before --tls as a lab without TLS, and refuses a "tls" that is not true or false', () => {
		const stateDir = path.join(root, 'old');
		fs.mkdirSync(stateDir);
		fs.writeFileSync(path.join(stateDir, 'lab.json'), JSON.stringify({scope: 'lab', dcs: 'etcd3', synchronousMode: false, portOffset: 0}));
		assert.equal(resolveLabConfig({stateDir}).config.tls, false);
		fs.writeFileSync(path.join(stateDir, 'lab.json'), JSON.stringify({scope: 'lab', dcs: 'etcd3', synchronousMode: false, portOffset: 0, tls: 'yes'}));
		assert.throws(() => resolveLabConfig({stateDir}), /lab\.json has "tls" as a string, expected true or false/);
	});

	it("adds etcd's root password to secrets.json (0600) for a TLS lab only, once", () => {
		const stateDir = path.join(root, 'secrets');
		const first = loadOrCreateSecrets(stateDir);
		assert.equal(first.etcdRootPassword, undefined, 'a lab without TLS keeps the secrets.json it always had');
		const completed = withEtcdRootPassword(stateDir, first);
		assert.match(completed.etcdRootPassword, /^[\w-]{32}$/);
		assert.equal(fs.statSync(secretsPath(stateDir)).mode & 0o777, 0o600);
		assert.deepEqual(readSecrets(stateDir), completed);
		assert.deepEqual(withEtcdRootPassword(stateDir, readSecrets(stateDir)!), completed);
		assert.deepEqual(fs.readdirSync(stateDir), ['secrets.json']);
	});

	it('takes --tls and --no-tls from the command line, the last one winning, and neither as undefined', () => {
		assert.equal(tlsRequest(['lab', 'up', '--tls']), true);
		assert.equal(tlsRequest(['lab', 'up', '--no-tls']), false);
		assert.equal(tlsRequest(['lab', 'up', '--tls', '--no-tls']), false);
		assert.equal(tlsRequest(['lab', 'up']), undefined);
		assert.equal(tlsRequest(['lab', 'up', '--', '--tls']), undefined);
	});
});
