// A standby cluster's lag, from its leader alone: a real PostgreSQL 15 primary and a streaming replica of it
// (pg_basebackup -R), both throwaway on 127.0.0.1. The member statement the PostgreSQL source runs is run on the
// replica as it is; the replica stands for a standby leader (its DCS keys are the recorded standby cluster's,
// billing-dr from real Patroni 3.0.2, with its standby_cluster pointed at this primary). Replay is paused on the
// replica to make a lag, and resumed: the lag shown goes up and back down, checked against the primary's own
// pg_stat_replication as the independent word.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import type {PostgresMemberView} from '../../source/model/views.js';
import {MEMBER_STATEMENT, memberView, type MemberRow} from '../../source/sources/postgres-query.js';
import {dcsViewFromKeys, type Etcd3Kv} from '../../source/sources/etcd3-view.js';
import {isAvailable, startThrowawayPostgres, startThrowawayReplica, type ThrowawayPostgres} from '../helpers/throwaway-postgres.js';

const PRIMARY_PORT = 27832;
const REPLICA_PORT = 27833;
const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json', 'utf8')) as {kvs: Etcd3Kv[]};

/** billing-dr's recorded keys, its standby_cluster now naming the throwaway primary. */
function standbyStates(leaderSql: PostgresMemberView | undefined): SourceStates {
	const prefix = '/service/billing-dr/';
	const kvs = recorded.kvs.map(kv => {
		if (kv.key !== `${prefix}config`) return kv;
		const config = JSON.parse(kv.value) as Record<string, unknown>;
		return {...kv, value: JSON.stringify({...config, standby_cluster: {host: '127.0.0.1', port: PRIMARY_PORT}})};
	});
	const dcs = dcsViewFromKeys(prefix, kvs);
	const now = Date.now();
	return {
		dcs: {isEnabled: true, data: dcs, updatedAt: now},
		rest: {isEnabled: false},
		postgres: {isEnabled: true, data: {members: leaderSql ? {[dcs.leader!]: leaderSql} : {}}, updatedAt: now},
		haproxy: {isEnabled: false},
		docker: {isEnabled: false},
	};
}

describe('a standby leader trailing its primary (real PostgreSQL 15)', {skip: !isAvailable && 'no PostgreSQL 15'}, () => {
	let primary: ThrowawayPostgres;
	let replica: ThrowawayPostgres;
	const leaderView = async () => memberView((await replica.sql<MemberRow>(MEMBER_STATEMENT))[0]!, Date.now());
	const primaryBehind = async () => Number((await primary.sql<{bytes: string}>('select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text as bytes from pg_stat_replication'))[0]?.bytes);
	const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> => {
		const end = Date.now() + ms;
		for (;;) {
			const value = await probe();
			if (value !== undefined) return value;
			if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
			await new Promise(resolve => setTimeout(resolve, 100));
		}
	};

	before(async () => {
		primary = await startThrowawayPostgres(PRIMARY_PORT);
		replica = await startThrowawayReplica(primary, REPLICA_PORT);
	});

	after(async () => {
		await replica?.stop();
		await primary?.stop();
	});

	it('streams: no lag, the standby named with its source and the sender its receiver uses, no alert', async () => {
		const view = await until('the receiver to stream and catch up', async () => {
			const seen = await leaderView();
			return seen.walReceiver?.status === 'streaming' && seen.walReceiver.behindBytes === 0 ? seen : undefined;
		});
		const snapshot = buildSnapshot(standbyStates(view), {scope: 'billing-dr'});
		assert.deepEqual(
			{source: snapshot.standby?.source, sender: snapshot.standby?.sender, status: snapshot.standby?.receiverStatus, bytes: snapshot.standby?.lagBytes, seconds: snapshot.standby?.lagSeconds},
			{source: `127.0.0.1:${PRIMARY_PORT}`, sender: `127.0.0.1:${PRIMARY_PORT}`, status: 'streaming', bytes: 0, seconds: 0},
		);
		assert.deepEqual(snapshot.alerts.filter(alert => alert.id.startsWith('standby')), []);
	});

	it('replay paused while the primary writes 4 MB: the lag goes up, as pg_stat_replication says, and back down', async () => {
		await replica.sql('select pg_wal_replay_pause()');
		try {
			await primary.sql("create table filler as select g, repeat('x', 200) as pad from generate_series(1, 20000) g");
			const behind = await until('the lag to show', async () => {
				const bytes = (await leaderView()).walReceiver?.behindBytes ?? 0;
				return bytes > 2_000_000 ? bytes : undefined;
			});
			const fromPrimary = await primaryBehind();
			assert.ok(Math.abs(behind - fromPrimary) < 256 * 1024, `the replica says ${behind} bytes behind, the primary ${fromPrimary}`);
			const snapshot = buildSnapshot(standbyStates(await leaderView()), {scope: 'billing-dr', thresholds: DEFAULT_THRESHOLDS});
			assert.ok((snapshot.standby?.lagBytes ?? 0) > 2_000_000);
			assert.match(snapshot.alerts.find(alert => alert.id === 'standby-lag')?.message ?? '', new RegExp(`^The standby cluster trails 127\\.0\\.0\\.1:${PRIMARY_PORT} by \\d+\\.\\d MiB`));
		} finally {
			await replica.sql('select pg_wal_replay_resume()');
		}
		await until('the lag to go back to 0', async () => ((await leaderView()).walReceiver?.behindBytes === 0 ? true : undefined));
		const caughtUp = buildSnapshot(standbyStates(await leaderView()), {scope: 'billing-dr'});
		assert.equal(caughtUp.standby?.lagBytes, 0);
		assert.equal(await primaryBehind(), 0, "the primary's word: replayed to its end");
	});

	it('a standby leader without SQL says nothing of lag; one whose receiver is gone is warned of', async () => {
		const blind = buildSnapshot(standbyStates(undefined), {scope: 'billing-dr'});
		assert.equal(blind.standby?.source, `127.0.0.1:${PRIMARY_PORT}`);
		assert.equal(blind.standby?.lagBytes, undefined);
		assert.deepEqual(blind.alerts.filter(alert => alert.id.startsWith('standby')), []);
		const {walReceiver: _gone, ...noReceiver} = await leaderView();
		const cut = buildSnapshot(standbyStates(noReceiver), {scope: 'billing-dr'});
		assert.match(cut.alerts.find(alert => alert.id === 'standby-no-receiver')?.message ?? '', /^Standby leader dr-1 is not streaming from 127\.0\.0\.1:27832/);
	});
});
