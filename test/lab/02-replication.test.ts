import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {ensureTestLab, waitFor} from '../helpers/lab.js';
import {sql} from '../helpers/postgres.js';
import {restCluster} from '../helpers/rest-witness.js';

describe('replication through HAProxy', () => {
	let status: LabStatus;
	let leaderPort: number;
	let replicaPorts: number[];
	before(async () => {
		status = await ensureTestLab();
		const cluster = await restCluster([status.members[0]!.restApi]);
		leaderPort = cluster.members.find(m => m.role === 'leader')!.port!;
		replicaPorts = cluster.members.filter(m => m.role !== 'leader').map(m => m.port!);
	});

	it("a row written through the primary listener lands on the leader and is read back on both replicas", async () => {
		const marker = crypto.randomUUID();
		await sql(status.haproxy.primary.port, 'create table if not exists lab_check (marker text primary key, at timestamptz default now())');
		await sql(status.haproxy.primary.port, 'insert into lab_check (marker) values ($1)', [marker]);
		const onLeader = await sql(leaderPort, 'select 1 from lab_check where marker = $1', [marker]);
		assert.equal(onLeader.length, 1, 'the row is on the leader');
		for (const port of replicaPorts) {
			await waitFor(`the row on the replica at ${port}`, async () => {
				const rows = await sql(port, 'select 1 from lab_check where marker = $1', [marker]);
				return rows.length === 1 ? true : undefined;
			}, 10_000);
		}
	});

	it('the replicas listener answers only from replicas', async () => {
		const seen = new Set<number>();
		for (let attempt = 0; attempt < 6; attempt++) {
			const [row] = await sql<{port: number; recovery: boolean}>(
				status.haproxy.replicas.port,
				'select inet_server_port() as port, pg_is_in_recovery() as recovery',
			);
			assert.equal(row?.recovery, true);
			seen.add(row!.port);
		}
		assert.ok([...seen].every(port => replicaPorts.includes(port)), [...seen].join(','));
		assert.equal(seen.size, 2, 'round robin reaches both replicas');
	});

	it('the primary listener answers only from the leader', async () => {
		const [row] = await sql<{port: number; recovery: boolean}>(
			status.haproxy.primary.port,
			'select inet_server_port() as port, pg_is_in_recovery() as recovery',
		);
		assert.deepEqual(row, {port: leaderPort, recovery: false});
	});
});
