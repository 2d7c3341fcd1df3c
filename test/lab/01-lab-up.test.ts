import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {cli, ensureTestLab, labArgs, patronictl, testLabSecrets} from '../helpers/lab.js';
import {sql} from '../helpers/postgres.js';
import {restCluster} from '../helpers/rest-witness.js';
import {containerStartedAt} from '../helpers/docker-cli.js';

describe('lab up', () => {
	let status: LabStatus;
	before(async () => {
		status = await ensureTestLab();
	});

	it('gives one leader and two running replicas, as every member REST API tells it', async () => {
		for (const member of status.members) {
			const cluster = await restCluster([member.restApi]);
			const roles = cluster.members.map(m => m.role).sort();
			assert.deepEqual(roles, ['leader', 'replica', 'replica'], `roles seen by ${member.name}`);
			assert.ok(cluster.members.every(m => m.state === 'running'), JSON.stringify(cluster.members));
		}
	});

	it("streams from the leader's PostgreSQL to both replicas", async () => {
		const cluster = await restCluster([status.members[0]!.restApi]);
		const leader = cluster.members.find(m => m.role === 'leader')!;
		const rows = await sql<{application_name: string; state: string}>(leader.port!, 'select application_name, state from pg_stat_replication order by 1');
		const replicas = cluster.members.filter(m => m.role !== 'leader').map(m => m.name).sort();
		assert.deepEqual(rows.map(row => row.application_name), replicas);
		assert.ok(rows.every(row => row.state === 'streaming'));
		for (const replica of cluster.members.filter(m => m.role !== 'leader')) {
			const [row] = await sql<{recovery: boolean}>(replica.port!, 'select pg_is_in_recovery() as recovery');
			assert.equal(row?.recovery, true, `${replica.name} is in recovery`);
		}
	});

	it("agrees with Debian's patronictl: one Leader, two Replicas", async () => {
		const members = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string; State: string}>;
		assert.equal(members.length, 3);
		assert.deepEqual(members.map(m => m.Role).sort(), ['Leader', 'Replica', 'Replica']);
		assert.ok(members.every(m => m.State === 'running'));
	});

	it('status --json lists three members, every endpoint on 127.0.0.1, and no credential', async () => {
		const result = await cli(['lab', 'status', ...labArgs(['--json'])]);
		assert.equal(result.code, 0, result.stderr);
		const printed = JSON.parse(result.stdout) as LabStatus;
		assert.equal(printed.members.length, 3);
		assert.ok(printed.members.every(m => m.container?.state === 'running'));
		assert.equal(printed.etcd.container?.state, 'running');
		assert.equal(printed.haproxy.container?.state, 'running');
		const hosts = [...result.stdout.matchAll(/\/\/([\d.]+):|"host": "([^"]+)"/g)].map(match => match[1] ?? match[2]);
		assert.ok(hosts.length > 0 && hosts.every(host => host === '127.0.0.1'), hosts.join(','));
		const human = await cli(['lab', 'status', ...labArgs()]);
		for (const secret of Object.values(testLabSecrets()).filter(value => value.length > 12)) {
			assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'a password was printed');
			assert.ok(!human.stdout.includes(secret) && !human.stderr.includes(secret), 'a password was printed');
		}
	});

	it('is a no-op the second time: same containers, not restarted', async () => {
		const ids = [status.etcd.container!.id, status.haproxy.container!.id, ...status.members.map(m => m.container!.id)];
		const startedBefore = await Promise.all(ids.map(containerStartedAt));
		const again = await ensureTestLab();
		const idsAfter = [again.etcd.container!.id, again.haproxy.container!.id, ...again.members.map(m => m.container!.id)];
		assert.deepEqual(idsAfter, ids);
		const startedAfter = await Promise.all(ids.map(containerStartedAt));
		assert.deepEqual(startedAfter, startedBefore);
	});
});
