/**
 * A cluster on TLS the lab did not make: scope `billing-tls`, members pg-a..pg-c as plain processes (Debian's etcd
 * 3.4 on https with --client-cert-auth and its root user, Patroni 3.0.2's REST API on https asking unsafe requests
 * for a client certificate, PostgreSQL 15 with hostssl lines only), certificates from test-certs.ts. The built
 * monitor gets the patronictl.yaml a user would write and PGPASSWORD, nothing else; Debian's patronictl on the same
 * file is the witness. A yaml that speaks plain http to that etcd, or shows it no client certificate, must leave
 * the etcd source failing with a reason, and no password or key line may reach any output.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import {promisify} from 'node:util';
import YAML from 'yaml';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {FOREIGN_TLS, ForeignCluster} from '../helpers/foreign-cluster.js';
import {CLI, waitFor} from '../helpers/lab.js';
import {logFileLines} from '../helpers/log-lines.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';
import {startPane} from '../helpers/tmux-pane.js';
import {jsonAgreesWithPatronictl, JSON_PROVES, screenAgreesWithPatronictl, SCREEN_PROVES, switchoverNow, SWITCHOVER_PROVES} from './cases.js';
import {foreignCase, foreignSetup, type Notes} from './report.js';
import {memberRow, type ForeignMonitor} from './session.js';

const run = promisify(execFile);
const API = 'etcd3-tls';
/** What etcd's refusal must name, loosely: the exact words are source/clients/tls-failure.ts's. */
const NAMES_THE_CAUSE = /certificate|TLS|SSL|https/i;

type JsonRun = {readonly code: number; readonly snapshot: ClusterSnapshot; readonly stderr: string};

describe('a foreign cluster on TLS everywhere: billing-tls', {timeout: 300_000}, () => {
	const cluster = new ForeignCluster(FOREIGN_TLS);
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-foreign-tls-'));
	const logFile = path.join(home, 'events.log');
	const env = {HOME: home, PGPASSWORD: cluster.secrets.superuserPassword};
	/** Every word the product wrote: --json's stdout and stderr, screens, the event log (read at the end). */
	const outputs: string[] = [];
	let session: ForeignMonitor;
	let order = 0;
	const test = (name: string, proves: string, body: (notes: Notes) => Promise<void>) => it(name, () => foreignCase(++order, API, name, proves, body));

	/** `--json` on `yaml`, whatever its exit code (1: no leader seen). */
	async function json(yaml: string, extra: readonly string[] = []): Promise<JsonRun> {
		const outcome = await run(process.execPath, [CLI, '-c', yaml, ...extra, '--json'], {env: {...process.env, ...env}, timeout: 60_000, maxBuffer: 16 << 20}).then(
			done => ({code: 0, stdout: done.stdout, stderr: done.stderr}),
			(failed: {code?: number; stdout?: string; stderr?: string}) => ({code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''}),
		);
		outputs.push(outcome.stdout, outcome.stderr);
		return {code: outcome.code, snapshot: JSON.parse(outcome.stdout) as ClusterSnapshot, stderr: outcome.stderr};
	}

	/** The user's patronictl.yaml with its etcd3 section changed, as another file beside it. */
	function variant(name: string, change: (etcd3: Record<string, unknown>) => Record<string, unknown>): string {
		const config = YAML.parse(fs.readFileSync(cluster.patronictlYaml, 'utf8')) as Record<string, unknown>;
		const file = path.join(cluster.dir, `patronictl-${name}.yaml`);
		fs.writeFileSync(file, YAML.stringify({...config, etcd3: change(config['etcd3'] as Record<string, unknown>)}), {mode: 0o600});
		return file;
	}

	async function startMonitor(): Promise<ForeignMonitor> {
		const pane = await startPane('patroni-tui-foreign-tls', [process.execPath, CLI, '-c', cluster.patronictlYaml, '--log-file', logFile], env);
		await pane.waitForScreen('the first frame naming a leader', screen => /leader pg-[abc]/.test(screen) && /REST \d/.test(screen), 60_000);
		const restUrls = cluster.members.map(member => member.restUrl);
		const logLines = () => logFileLines(logFile);
		return {
			pane,
			cluster,
			restUrls,
			logLines,
			json: async () => (await json(cluster.patronictlYaml)).snapshot,
			leader: async () => (await restLeader(restUrls)) ?? assert.fail('the cluster has a leader'),
			aReplica: async () => (await restCluster(restUrls)).members.find(member => member.role === 'replica')?.name ?? assert.fail('the cluster has a replica'),
			async settled() {
				await pane.keys('Escape');
				const leader = await cluster.waitForStreaming(60_000);
				const isSettled = (screen: string) => screen.includes(`leader ${leader} `) && screen.includes('● healthy') && cluster.members.every(member => /^(running|streaming)/.test(memberRow(screen, member.name)?.state ?? ''));
				outputs.push(await pane.waitForScreen(`the monitor to show ${leader} leading, every member running, healthy`, isSettled, 30_000));
			},
			async succeeds(title, act, timeoutMs = 120_000) {
				const from = logLines().length;
				await act();
				const end = await waitFor(`"${title}" to end`, async () => logLines().slice(from).find(line => line.includes(': done — ') || line.includes(': FAILED — ')), timeoutMs, 200);
				assert.match(end, / done — /, `${title}: ${end}`);
			},
			async stop() {
				outputs.push(await pane.screen().catch(() => ''));
				await pane.stop();
			},
		};
	}

	before(async () => {
		await foreignSetup(API, async () => {
			await cluster.start();
			session = await startMonitor();
		});
	});

	after(async () => {
		await session?.stop();
		await cluster.stop();
		fs.rmSync(home, {recursive: true, force: true});
	});

	beforeEach(async () => {
		await session.settled();
	});

	test('--json agrees with patronictl list -f json; no source failing; every SQL connection on TLS, verified', `${JSON_PROVES}; etcd, REST and SQL have no error; each member's postgresSsl is TLSv1.2+ with the CA and host name verified`, async notes => {
		await jsonAgreesWithPatronictl(session);
		const {snapshot} = await json(cluster.patronictlYaml);
		for (const name of ['dcs', 'rest', 'postgres'] as const) {
			const source = snapshot.sources[name];
			assert.ok(source.isEnabled && source.error === undefined && !source.isStale, `the ${name} source: ${JSON.stringify(source)}`);
		}
		for (const member of snapshot.members) {
			assert.match(member.postgresSsl?.protocol ?? 'no SSL', /^TLSv1\.[23]$/, `${member.name}'s SQL connection: ${JSON.stringify(member.postgresSsl)}`);
			assert.equal(member.postgresSsl?.verified, 'full', `${member.name}'s server certificate is checked against the CA and 127.0.0.1`);
		}
		notes.text = snapshot.members.map(member => `${member.name} ${member.postgresSsl?.protocol}`).join(', ');
	});

	test('the screen agrees with patronictl list -f json', SCREEN_PROVES, async () => {
		await screenAgreesWithPatronictl(session);
	});

	test('s: a switchover now moves the leader, per patronictl (REST on https, verify_client optional)', SWITCHOVER_PROVES, async () => {
		await switchoverNow(session);
	});

	test('plain http to that etcd: the etcd source fails and says why', 'with etcd3.protocol http, --json sees no leader (exit 1) and the dcs source has an error naming TLS, https or the certificate', async notes => {
		const file = variant('plain-http', ({hosts, username, password}) => ({hosts, protocol: 'http', username, password}));
		const {code, snapshot} = await json(file);
		assert.equal(code, 1, 'no leader seen');
		const error = snapshot.sources.dcs.error ?? assert.fail(`the dcs source has no error: ${JSON.stringify(snapshot.sources.dcs)}`);
		notes.text = `"${error}"`;
		assert.match(error, NAMES_THE_CAUSE);
	});

	test('a yaml without the client certificate: the etcd source fails and says why', 'with etcd3.cert and key left out, --json sees no leader (exit 1) and the dcs source has an error naming the certificate or TLS', async notes => {
		const file = variant('no-client-cert', ({cert: _cert, key: _key, ...rest}) => rest);
		const {code, snapshot} = await json(file);
		assert.equal(code, 1, 'no leader seen');
		const error = snapshot.sources.dcs.error ?? assert.fail(`the dcs source has no error: ${JSON.stringify(snapshot.sources.dcs)}`);
		notes.text = `"${error}"`;
		assert.match(error, NAMES_THE_CAUSE);
	});

	test('no password or key line reaches any output', "etcd's root password, the REST, superuser and replication passwords and every line of every private key are in no --json output, stderr, screen or event log line", async notes => {
		const config = fs.readFileSync(cluster.patronictlYaml, 'utf8');
		const {etcdRootPassword, restPassword} = cluster.secrets;
		// The monitor was handed these secrets: a scan for them can fail.
		assert.ok(etcdRootPassword && config.includes(etcdRootPassword) && config.includes(restPassword), 'patronictl.yaml holds the etcd and REST passwords');
		outputs.push(await session.pane.screen(), session.logLines().join('\n'));
		const certs = cluster.tls?.certs ?? assert.fail('the cluster has its TLS files');
		const keyLines = [certs.user, certs.server, certs.client, certs.ca].flatMap(pair => fs.readFileSync(pair.key, 'utf8').split('\n')).filter(line => line.length > 20 && !line.startsWith('-----'));
		const secrets = [...Object.values(cluster.secrets).filter(value => value.length > 12), ...keyLines];
		const all = outputs.join('\n');
		assert.ok(all.length > 1000, 'there is output to scan');
		const leaked = secrets.filter(secret => all.includes(secret));
		assert.equal(leaked.length, 0, `${leaked.length} of ${secrets.length} secrets found in the output`);
		notes.text = `${secrets.length} secrets, ${outputs.length} outputs (${all.length} characters)`;
	});
});
