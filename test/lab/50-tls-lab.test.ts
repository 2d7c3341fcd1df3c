import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';
import {containerStartedAt} from '../helpers/docker-cli.js';
import {cli} from '../helpers/lab.js';

// A TLS lab of its own (`lab up --tls`), checked from outside with Debian's tools only: patronictl with nothing but
// the lab's patronictl.yaml, etcdctl, curl and psql. Brought up here and destroyed at the end.
const SCOPE = 'labtls';
const STATE_DIR = path.join(os.tmpdir(), 'patroni-tui-test-labtls');
const LAB_FLAGS = ['--scope', SCOPE, '--state-dir', STATE_DIR, '--port-offset', '400'];
const TLS = path.join(STATE_DIR, 'tls');
const CA = path.join(TLS, 'ca.crt');

const run = promisify(execFile);

type Outcome = {readonly code: number; readonly stdout: string; readonly stderr: string};

/** A program's exit code and output, never a throw: a refusal is what several checks look for. */
async function tool(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
	try {
		const {stdout, stderr} = await run(file, args, {env: {...process.env, ...env}, timeout: 30_000});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
	}
}

function secrets(): Required<LabSecrets> {
	return JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'secrets.json'), 'utf8')) as Required<LabSecrets>;
}

/** etcdctl v3 as root, the password in its environment (not on a command line); `withCert` false leaves the client certificate out. */
function etcdctl(endpoint: string, args: readonly string[], {withCert = true, password = secrets().etcdRootPassword} = {}): Promise<Outcome> {
	const cert = withCert ? ['--cert', path.join(TLS, 'client.crt'), '--key', path.join(TLS, 'client.key')] : [];
	const flags = [`--endpoints=${endpoint}`, '--cacert', CA, ...cert, '--dial-timeout=2s', '--command-timeout=4s'];
	return tool('etcdctl', [...flags, ...args], {ETCDCTL_API: '3', ETCDCTL_USER: 'root', ETCDCTL_PASSWORD: password});
}

function psql(port: number, sslmode: string, query: string): Promise<Outcome> {
	const conninfo = `host=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=${sslmode} sslrootcert=${CA} connect_timeout=3`;
	return tool('psql', ['-XAtq', '-c', query, conninfo], {PGPASSWORD: secrets().superuserPassword});
}

describe('lab up --tls, seen by patronictl, etcdctl, curl and psql', () => {
	let status: LabStatus;
	let upOutput = '';
	/** The leader's PostgreSQL port, as patronictl lists it ("Host": "127.0.0.1:15833"). */
	const leaderPort = async () => {
		const listed = JSON.parse((await tool('patronictl', ['-c', status.patronictlConfig, 'list', '-f', 'json'])).stdout) as Array<{Role: string; Host: string}>;
		return Number(listed.find(member => member.Role === 'Leader')?.Host.split(':')[1]);
	};

	before(async () => {
		const up = await cli(['lab', 'up', '--tls', ...LAB_FLAGS, '--json']);
		assert.equal(up.code, 0, `lab up --tls failed:\n${up.stderr}`);
		upOutput = up.stdout + up.stderr;
		status = JSON.parse(up.stdout) as LabStatus;
	});

	after(async () => {
		// --tls: were lab.json never written, destroy still knows tls/ as the lab's.
		const destroyed = await cli(['lab', 'destroy', '--yes', '--tls', ...LAB_FLAGS]);
		assert.equal(destroyed.code, 0, destroyed.stderr);
		assert.equal(fs.existsSync(STATE_DIR), false, 'the state directory and its certificates are gone');
	});

	it('says TLS is on, where the CA is, and https for etcd, REST and HAProxy stats; prints no secret', () => {
		assert.deepEqual(status.tls, {enabled: true, ca: CA});
		assert.ok([...status.etcd.endpoints, ...status.members.map(member => member.restApi), status.haproxy.statsUrl].every(url => url.startsWith('https://127.0.0.1:')));
		// The passwords (the REST user's name, "patroni", is in every container's name).
		for (const secret of Object.values(secrets()).filter(value => value.length > 12)) assert.ok(!upOutput.includes(secret), 'a password was printed');
		assert.doesNotMatch(upOutput, /PRIVATE KEY/);
	});

	it('keeps its keys 0600 and its certificates 0644', () => {
		for (const key of ['ca.key', 'server.key', 'client.key', 'haproxy.pem']) assert.equal(fs.statSync(path.join(TLS, key)).mode & 0o777, 0o600, key);
		for (const cert of ['ca.crt', 'server.crt', 'client.crt']) assert.equal(fs.statSync(path.join(TLS, cert)).mode & 0o777, 0o644, cert);
	});

	it("is listed by Debian's patronictl from the lab's patronictl.yaml alone: one leader, two replicas streaming over SSL", async () => {
		const listed = await tool('patronictl', ['-c', status.patronictlConfig, 'list', '-f', 'json']);
		assert.equal(listed.code, 0, listed.stderr);
		const members = JSON.parse(listed.stdout) as Array<{Member: string; Role: string; Host: string}>;
		assert.deepEqual(members.map(member => member.Role).sort(), ['Leader', 'Replica', 'Replica']);
		const streaming = await psql(await leaderPort(), 'verify-full', "select a.application_name || ' ' || a.state || ' ' || s.ssl from pg_stat_replication a join pg_stat_ssl s using (pid) order by 1");
		assert.equal(streaming.code, 0, streaming.stderr);
		const replicas = members.filter(member => member.Role === 'Replica').map(member => `${member.Member} streaming true`);
		assert.deepEqual(streaming.stdout.trim().split('\n'), replicas.sort());
	});

	it('lets etcdctl in with the client certificate and root password, and refuses it without the certificate or with a wrong password', async () => {
		const endpoint = status.etcd.endpoints[0]!;
		const keys = await etcdctl(endpoint, ['get', '--prefix', '--keys-only', `/service/${SCOPE}/`]);
		assert.equal(keys.code, 0, keys.stderr);
		assert.match(keys.stdout, new RegExp(`/service/${SCOPE}/leader`));
		const noCert = await etcdctl(endpoint, ['get', '--prefix', '--keys-only', `/service/${SCOPE}/`], {withCert: false});
		assert.notEqual(noCert.code, 0);
		assert.equal(noCert.stdout, '');
		const wrong = await etcdctl(endpoint, ['get', '--prefix', `/service/${SCOPE}/`], {password: 'not-the-password'});
		assert.notEqual(wrong.code, 0);
		assert.match(wrong.stderr, /authentication failed/);
		const plain = await tool('curl', ['-sS', '-m', '3', `${endpoint.replace('https:', 'http:')}/version`]);
		assert.notEqual(plain.code, 0, 'plain http to etcd');
	});

	it("serves Patroni's REST API on https only, and asks a client certificate of an unsafe request", async () => {
		const api = status.members[0]!.restApi;
		const read = await tool('curl', ['-sS', '--cacert', CA, `${api}/patroni`]);
		assert.equal(read.code, 0, read.stderr);
		assert.equal((JSON.parse(read.stdout) as {state: string}).state, 'running');
		const plain = await tool('curl', ['-sS', '-m', '3', `${api.replace('https:', 'http:')}/patroni`]);
		assert.notEqual(plain.code, 0, 'plain http to the REST API');
		const unsafe = await tool('curl', ['-sS', '--cacert', CA, '-X', 'POST', '-w', ' %{http_code}', `${api}/reload`]);
		assert.equal(unsafe.stdout, 'client certificate required 403');
	});

	it('lets PostgreSQL clients in with verify-full, and pg_hba refuses a connection without SSL', async () => {
		const port = status.members[0]!.postgres.port;
		const verified = await psql(port, 'verify-full', 'select ssl from pg_stat_ssl where pid = pg_backend_pid()');
		assert.equal(verified.code, 0, verified.stderr);
		assert.equal(verified.stdout.trim(), 't');
		const plain = await psql(port, 'disable', 'select 1');
		assert.notEqual(plain.code, 0);
		assert.match(plain.stderr, /no pg_hba\.conf entry for host "127\.0\.0\.1", user "postgres", database "postgres", no encryption/);
	});

	it("routes HAProxy's primary listener to the leader, its checks passing over https, and serves stats on https", async () => {
		const routed = await psql(status.haproxy.primary.port, 'verify-full', 'select inet_server_port() || \' \' || pg_is_in_recovery()');
		assert.equal(routed.code, 0, routed.stderr);
		assert.equal(routed.stdout.trim(), `${await leaderPort()} false`);
		const csv = await tool('curl', ['-sS', '--cacert', CA, status.haproxy.statsCsvUrl]);
		assert.equal(csv.code, 0, csv.stderr);
		const primary = csv.stdout.split('\n').map(line => line.split(',')).filter(fields => fields[0] === 'primary' && /^node\d$/.test(fields[1] ?? ''));
		assert.deepEqual(primary.filter(fields => fields[17] === 'UP').map(fields => fields[36]), ['L7OK'], 'one server up, its check answered over TLS');
	});

	it('is what the monitor shows with --lab alone: the leader and roles patronictl lists, every source answering, SQL verified', async () => {
		const shown = await cli(['--lab', ...LAB_FLAGS, '--json'], 30_000);
		assert.equal(shown.code, 0, shown.stderr);
		assert.equal(shown.stderr, '', 'nothing on stderr (no warning from a TLS library over the screen)');
		const snapshot = JSON.parse(shown.stdout) as {
			leader?: string;
			warnings?: unknown[];
			members: Array<{name: string; role: string; postgresSsl?: {protocol: string | null; verified: string}}>;
			sources: Record<string, {error?: string}>;
		};
		const listed = JSON.parse((await tool('patronictl', ['-c', status.patronictlConfig, 'list', '-f', 'json'])).stdout) as Array<{Member: string; Role: string}>;
		assert.equal(snapshot.leader, listed.find(member => member.Role === 'Leader')?.Member);
		assert.deepEqual(snapshot.members.map(member => `${member.name} ${member.role}`).sort(), listed.map(member => `${member.Member} ${member.Role.toLowerCase()}`).sort());
		assert.deepEqual(Object.entries(snapshot.sources).filter(([, source]) => source.error).map(([name, source]) => `${name}: ${source.error}`), []);
		assert.equal(snapshot.warnings, undefined, 'nothing taken on trust');
		// The TLS version the server itself reports for a verify-full connection (pg_stat_ssl), beside the monitor's.
		const version = (await psql(await leaderPort(), 'verify-full', 'select version from pg_stat_ssl where pid = pg_backend_pid()')).stdout.trim();
		for (const member of snapshot.members) assert.deepEqual(member.postgresSsl, {protocol: version, verified: 'full'}, member.name);
		for (const secret of Object.values(secrets()).filter(value => value.length > 12)) assert.ok(!shown.stdout.includes(secret), 'a password in --json');
	});

	it('says what is wrong, in the source, when reached over plain http or without the client certificate', async () => {
		const etcd = status.etcd.endpoints[0]!;
		const plain = await cli(['--scope', SCOPE, '--etcd', etcd.replace('https:', 'http:'), '--rest', status.members[0]!.restApi.replace('https:', 'http:'), '--json'], 30_000);
		assert.equal(plain.code, 1, 'no leader seen');
		const plainSeen = JSON.parse(plain.stdout) as {sources: Record<string, {error?: string}>};
		assert.ok(plainSeen.sources['dcs']?.error, 'etcd over http fails');
		assert.ok(plainSeen.sources['rest']?.error, 'REST over http fails');
		// patronictl.yaml without the client certificate: etcd (client-cert auth) refuses; the root password alone is not enough.
		const yaml = fs.readFileSync(status.patronictlConfig, 'utf8').replace(/^ {2}(cert|key): .*\n/gm, '');
		const file = path.join(STATE_DIR, 'no-client-cert.yaml');
		fs.writeFileSync(file, yaml, {mode: 0o600});
		try {
			const noCert = await cli(['-c', file, '--json'], 30_000);
			const seen = JSON.parse(noCert.stdout) as {sources: Record<string, {error?: string}>};
			assert.ok(seen.sources['dcs']?.error, 'etcd without the client certificate fails');
			assert.doesNotMatch(noCert.stdout + noCert.stderr, /PRIVATE KEY|BEGIN CERTIFICATE/);
		} finally {
			fs.rmSync(file, {force: true});
		}
	});

	it('is kept by a second lab up without the flag (same containers, not restarted), and --no-tls is refused with exit 2', async () => {
		const ids = [status.etcd.container!.id, status.haproxy.container!.id, ...status.members.map(member => member.container!.id)];
		const started = await Promise.all(ids.map(containerStartedAt));
		const again = await cli(['lab', 'up', ...LAB_FLAGS, '--json']);
		assert.equal(again.code, 0, again.stderr);
		const next = JSON.parse(again.stdout) as LabStatus;
		assert.equal(next.tls.enabled, true);
		assert.deepEqual([next.etcd.container!.id, next.haproxy.container!.id, ...next.members.map(member => member.container!.id)], ids);
		assert.deepEqual(await Promise.all(ids.map(containerStartedAt)), started);
		const refused = await cli(['lab', 'up', '--no-tls', ...LAB_FLAGS]);
		assert.equal(refused.code, 2);
		assert.match(refused.stderr, /was made with --tls\. Use that, or "lab destroy" it first/);
	});
});
