import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {etcd3Value, etcdctl} from '../helpers/etcdctl-witness.js';
import {haproxyServers} from '../helpers/haproxy-witness.js';
import {cli, ensureTestLab, labArgs, patronictl, testLabSecrets} from '../helpers/lab.js';

describe('patroni-tui --json against the lab', () => {
	let status: LabStatus;
	let snapshot: ClusterSnapshot;
	let printed: string;
	before(async () => {
		status = await ensureTestLab();
		const result = await cli(['--lab', ...labArgs(['--json'])]);
		assert.equal(result.code, 0, `exit code 0 means the cluster has a leader; stderr: ${result.stderr}`);
		printed = result.stdout + result.stderr;
		snapshot = JSON.parse(result.stdout) as ClusterSnapshot;
	});

	it("agrees with patronictl list -f json on the leader, roles and timelines", async () => {
		const members = JSON.parse(await patronictl(['list', '-f', 'json'])) as Array<{Member: string; Role: string; TL: number}>;
		const expected = members.map(m => `${m.Member}:${m.Role === 'Leader' ? 'leader' : 'replica'}:${m.TL}`).sort();
		const actual = snapshot.members.map(m => `${m.name}:${m.role}:${m.timeline}`).sort();
		assert.deepEqual(actual, expected);
		assert.equal(snapshot.leader, members.find(m => m.Role === 'Leader')?.Member);
		assert.equal(snapshot.state, 'healthy', JSON.stringify(snapshot.alerts));
	});

	it("agrees with HAProxy's own show stat (its admin socket, read by the test's parser)", async () => {
		const servers = await haproxyServers(status.haproxy.socket);
		const own = servers.map(server => `${server.proxy}/${server.server}:${server.status}`).sort();
		const seen = snapshot.backends.map(server => `${server.proxy}/${server.server}:${server.status}`).sort();
		assert.deepEqual(seen, own);
		const routed = servers.filter(server => server.proxy === 'primary' && server.status === 'UP').map(server => server.server);
		assert.deepEqual(routed, [snapshot.leader]);
	});

	it('has every source fresh, containers matched, the etcd keys, and no password', () => {
		for (const source of Object.values(snapshot.sources)) assert.equal(source.error, undefined, `${source.name}: ${source.error}`);
		assert.ok(snapshot.members.every(m => m.container?.state === 'running'));
		assert.ok(snapshot.dcsKeys.some(key => key.key === 'leader'));
		assert.ok(snapshot.leaderTtlLeft !== undefined && snapshot.leaderTtlLeft > 0);
		for (const secret of Object.values(testLabSecrets()).filter(value => value.length > 12)) {
			assert.ok(!printed.includes(secret), 'a lab password appears in --json output');
		}
	});

	it("does not take another cluster's REST API for this one's: a seed whose /patroni names another scope is said to be so", async () => {
		const seed = status.members[0]!.restApi;
		const result = await cli(['--etcd', status.etcd.endpoints[0]!, '--scope', 'not-labtest', '--rest', seed, '--json'], 30_000);
		assert.equal(result.code, 1, 'no leader of not-labtest');
		const seen = JSON.parse(result.stdout) as ClusterSnapshot;
		assert.equal(seen.leader, undefined);
		assert.deepEqual(seen.members, [], "labtest's members are not listed as not-labtest's");
		assert.equal(seen.sources.rest.error, `no REST API of not-labtest: ${seed} answers for scope ${status.scope}, not not-labtest`);
	});

	it("a member key of another scope pointing at this lab's REST API (a stale api_url): REST says whose API it is", async () => {
		const endpoint = status.etcd.endpoints[0]!;
		const member = await etcd3Value(endpoint, `/service/${status.scope}/members/node2`);
		assert.ok(member, 'node2 has a member key');
		await etcdctl('3', endpoint, ['put', '/service/stale-copy/members/node2', member]);
		try {
			const result = await cli(['--etcd', endpoint, '--scope', 'stale-copy', '--json'], 30_000);
			const seen = JSON.parse(result.stdout) as ClusterSnapshot;
			assert.deepEqual(seen.members.map(row => row.name), ['node2'], `only the DCS's member, not ${status.scope}'s others`);
			assert.match(seen.sources.rest.error ?? '', new RegExp(`^no REST API of stale-copy: http://127\\.0\\.0\\.1:\\d+ answers for scope ${status.scope}, not stale-copy$`));
			assert.notEqual(seen.leader, 'node2');
		} finally {
			await etcdctl('3', endpoint, ['del', '--prefix', '/service/stale-copy/']);
		}
	});

	it('refuses a config it cannot use with a sentence and exit code 2', async () => {
		// No scope and no etcd: neither one cluster nor the fleet can be found.
		const result = await cli(['--json', '--rest', 'http://127.0.0.1:1']);
		assert.equal(result.code, 2);
		assert.match(result.stderr, /The fleet is read from etcd: give --etcd host:port/);
	});

	it('without a scope, prints the fleet; an etcd that does not answer is exit 1 with its error, and no rows', async () => {
		const result = await cli(['--json', '--etcd', '127.0.0.1:1']);
		assert.equal(result.code, 1);
		assert.deepEqual(JSON.parse(result.stdout), []);
		assert.match(result.stderr, /^patroni-tui: etcd: /);
	});
});
