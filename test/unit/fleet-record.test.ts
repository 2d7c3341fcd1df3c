/**
 * Records test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json from real Patroni 3.0.2 processes: scope `billing`
 * (pg-1 leading, pg-2 streaming) and scope `billing-dr`, a standby cluster (bootstrap.dcs.standby_cluster) whose
 * dr-1 replicates from billing's leader, both on one etcd. The keys are dumped with etcdctl (no code of source/),
 * and `patronictl list -f json` of each scope beside them, as the fixture's independent word on what they mean;
 * then again after a switchover in billing (pg-1 → pg-2: a history key, timeline 2) and `patronictl pause billing-dr`.
 * Skipped unless RECORD=1: it takes a minute and the ports of a foreign cluster.
 */
import {execFile, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {it} from 'node:test';
import YAML from 'yaml';
import {FOREIGN_ROOT, ForeignCluster, killLeftovers, type ForeignSpec} from '../helpers/foreign-cluster.js';
import {chownTree, foreignMembers, patroniYaml, postgresUser} from '../helpers/foreign-cluster-files.js';
import {waitFor} from '../helpers/lab.js';

const run = promisify(execFile);
const FIXTURE = 'test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json';
const ETCD = {client: 23579, peer: 23580};
const PRIMARY: ForeignSpec = {scope: 'billing', dcs: 'etcd3', etcdPorts: ETCD, restPorts: [28208, 28209], pgPorts: [25632, 25633], memberNames: ['pg-1', 'pg-2']};
const STANDBY: ForeignSpec = {scope: 'billing-dr', dcs: 'etcd3', etcdPorts: ETCD, restPorts: [28210], pgPorts: [25634], memberNames: ['dr-1']};

type EtcdctlKv = {key: string; value: string; mod_revision: number; lease?: string};

const etcdctl = async (args: readonly string[]) =>
	(await run('etcdctl', [`--endpoints=http://127.0.0.1:${ETCD.client}`, ...args], {env: {...process.env, ETCDCTL_API: '3'}})).stdout;

/** etcdctl prints lease ids as JSON numbers that JSON.parse would round: they are quoted before parsing. */
async function dumpNamespace() {
	const text = await etcdctl(['get', '--prefix', '/service/', '-w', 'json']);
	const parsed = JSON.parse(text.replace(/"lease":(\d+)/g, '"lease":"$1"')) as {header: {revision: number}; kvs?: EtcdctlKv[]};
	const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
	const kvs = (parsed.kvs ?? []).map(kv => ({key: decode(kv.key), value: decode(kv.value), modRevision: String(kv.mod_revision), lease: kv.lease ?? '0'}));
	return {revision: String(parsed.header.revision), kvs};
}

const patronictlList = async (config: string, scope: string) => JSON.parse((await run('patronictl', ['-c', config, 'list', scope, '-f', 'json'])).stdout) as unknown;

it('records the keys of a primary and a standby cluster under one namespace', {skip: process.env['RECORD'] !== '1', timeout: 300_000}, async () => {
	const primary = new ForeignCluster(PRIMARY);
	const dir = path.join(FOREIGN_ROOT, STANDBY.scope);
	let standbyPid: number | undefined;
	try {
		await primary.start();
		await killLeftovers(dir);
		fs.rmSync(dir, {recursive: true, force: true});
		fs.mkdirSync(dir, {mode: 0o700});
		const [member] = foreignMembers(STANDBY, dir);
		// The standby is a copy of billing: the same replication (and superuser) passwords are what it will find.
		const yaml = YAML.parse(patroniYaml(STANDBY, member!, primary.secrets)) as {bootstrap: {dcs: Record<string, unknown>}};
		yaml.bootstrap.dcs['standby_cluster'] = {host: '127.0.0.1', port: PRIMARY.pgPorts[0], create_replica_methods: ['basebackup']};
		fs.mkdirSync(member!.dataDir, {recursive: true, mode: 0o700});
		fs.writeFileSync(member!.configFile, YAML.stringify(yaml), {mode: 0o600});
		const user = postgresUser();
		chownTree(dir, user);
		const log = fs.openSync(path.join(dir, 'dr-1.log'), 'a');
		const child = spawn('/usr/bin/patroni', [member!.configFile], {uid: user.uid, gid: user.gid, cwd: dir, env: {PATH: '/usr/bin:/bin', HOME: user.home, LANG: 'C.UTF-8'}, stdio: ['ignore', log, log], detached: true});
		fs.closeSync(log);
		child.unref();
		standbyPid = child.pid;
		fs.appendFileSync(path.join(dir, 'pids'), `${standbyPid}\n`);

		const list = () => patronictlList(primary.patronictlYaml, STANDBY.scope) as Promise<Array<{Role: string; State: string}>>;
		await waitFor('billing-dr to run a standby leader that streams', async () => {
			const rows = await list().catch(() => []);
			return rows.some(row => row.Role === 'Standby Leader' && (row.State === 'streaming' || row.State === 'running')) ? true : undefined;
		}, 120_000, 500);
		await waitFor('billing-dr\'s member key to say standby_leader', async () => ((await etcdctl(['get', '/service/billing-dr/members/dr-1'])).includes('"standby_leader"') ? true : undefined), 30_000, 500);

		const dump = await dumpNamespace();
		const lists = {
			[PRIMARY.scope]: await patronictlList(primary.patronictlYaml, PRIMARY.scope),
			[STANDBY.scope]: await patronictlList(primary.patronictlYaml, STANDBY.scope),
		};

		// Then a switchover in billing (a history key, timeline 2) and billing-dr paused, as Patroni writes them.
		const ctl = (args: readonly string[]) => run('patronictl', ['-c', primary.patronictlYaml, ...args]);
		await ctl(['switchover', PRIMARY.scope, '--leader', 'pg-1', '--candidate', 'pg-2', '--force']);
		await primary.waitForMember('pg-1', 'replica');
		await waitFor('billing\'s member keys on timeline 2', async () => {
			const rows = (await patronictlList(primary.patronictlYaml, PRIMARY.scope)) as Array<{TL?: number; State: string}>;
			return rows.length === 2 && rows.every(row => row.TL === 2 && row.State === 'running') ? true : undefined;
		}, 60_000, 500);
		await ctl(['pause', STANDBY.scope, '--wait']);
		const after = await dumpNamespace();
		const fixture = {
			recordedFrom: 'test/unit/fleet-record.test.ts: Debian Patroni 3.0.2 processes, etcd v3 API, dumped with etcdctl get --prefix /service/ -w json',
			recordedAt: new Date().toISOString(),
			etcdVersion: (await run('etcd', ['--version'])).stdout.split('\n')[0],
			namespace: '/service/',
			revision: dump.revision,
			patronictlList: lists,
			kvs: dump.kvs,
			afterSwitchoverAndPause: {
				revision: after.revision,
				patronictlList: {
					[PRIMARY.scope]: await patronictlList(primary.patronictlYaml, PRIMARY.scope),
					[STANDBY.scope]: await patronictlList(primary.patronictlYaml, STANDBY.scope),
				},
				kvs: after.kvs,
			},
		};
		fs.writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, '\t')}\n`);
	} finally {
		if (standbyPid !== undefined) {
			try {
				process.kill(standbyPid, 'SIGTERM');
			} catch {
				// already gone
			}
			await waitFor('billing-dr\'s Patroni to stop', async () => (fs.existsSync(`/proc/${standbyPid}`) ? undefined : true), 30_000, 200).catch(() => undefined);
		}
		await killLeftovers(dir);
		fs.rmSync(dir, {recursive: true, force: true});
		await primary.stop();
	}
});
