import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {filterFleet, fleetFromKeys, fleetHasLeaderless, fleetScopes, type FleetRow} from '../../source/model/fleet.js';
import type {DcsKey} from '../../source/model/views.js';
import type {Etcd2Node} from '../../source/clients/etcd2.js';
import {dcsKey, dcsViewFromKeys, namespacePrefix, watchedPrefix, type Etcd3Kv} from '../../source/sources/etcd3-view.js';
import {dcsViewFromEtcd2, stateFromRead} from '../../source/sources/etcd2-view.js';

// Recorded by test/unit/fleet-record.test.ts (RECORD=1) from real Patroni 3.0.2 processes on one etcd 3.4: scope
// billing (pg-1 leading, pg-2 streaming) and billing-dr, a real standby cluster (bootstrap.dcs.standby_cluster at
// pg-1's PostgreSQL) led by dr-1; then after `patronictl switchover` to pg-2 and `patronictl pause billing-dr`.
// patronictl list -f json of each scope was recorded beside the keys, as the independent word on what they mean.
type PatronictlRow = {Member: string; Role: string; State: string; TL?: number};
type Snapshot = {kvs: Etcd3Kv[]; patronictlList: Record<string, PatronictlRow[]>};
type Fixture = Snapshot & {namespace: string; afterSwitchoverAndPause: Snapshot};
const recorded = JSON.parse(fs.readFileSync('test/fixtures/etcd3-keys-fleet-patroni-3.0.2.json', 'utf8')) as Fixture;
const NAMESPACE = '/service/';
const THRESHOLDS = {lagBytes: 1_048_576};

const keysOf = (snapshot: Snapshot): readonly DcsKey[] => dcsViewFromKeys(NAMESPACE, snapshot.kvs).keys;
const healthy = keysOf(recorded);
const after = keysOf(recorded.afterSwitchoverAndPause);
const rowOf = (rows: readonly FleetRow[], scope: string): FleetRow => rows.find(row => row.scope === scope) ?? assert.fail(`no row ${scope}`);

/** A key as the source hands it over, relative to the namespace. */
const key = (name: string, value: string): DcsKey => dcsKey(NAMESPACE, {key: `${NAMESPACE}${name}`, value, modRevision: '1', lease: '0'});
const withKey = (keys: readonly DcsKey[], name: string, value: string) => [...keys.filter(one => one.key !== name), key(name, value)];
const without = (keys: readonly DcsKey[], name: string) => keys.filter(one => one.key !== name);
/** The recorded member key, some fields changed. */
const editMember = (keys: readonly DcsKey[], name: string, change: Record<string, unknown>) => {
	const old = keys.find(one => one.key === name) ?? assert.fail(`no key ${name}`);
	return withKey(keys, name, JSON.stringify({...JSON.parse(old.value), ...change}));
};

/** What patronictl says of a scope: its leader (or standby leader), members running, the leader's timeline. */
function patronictlSays(rows: readonly PatronictlRow[]) {
	const leader = rows.find(row => row.Role === 'Leader' || row.Role === 'Standby Leader');
	return {leader: leader?.Member, membersUp: rows.filter(row => row.State === 'running' || row.State === 'streaming').length, membersTotal: rows.length, timeline: leader?.TL};
}

describe('the fleet from a namespace recorded from real Patroni', () => {
	it('has one row per scope, agreeing with patronictl list on leader, members and timeline', () => {
		for (const snapshot of [recorded, recorded.afterSwitchoverAndPause]) {
			const rows = fleetFromKeys(keysOf(snapshot), THRESHOLDS);
			assert.deepEqual(rows.map(row => row.scope), ['billing', 'billing-dr']);
			for (const row of rows) {
				const {leader, membersUp, membersTotal, timeline} = row;
				assert.deepEqual({leader, membersUp, membersTotal, timeline}, patronictlSays(snapshot.patronictlList[row.scope]!), row.scope);
			}
		}
	});

	it('sees billing as a healthy primary with no lag, and billing-dr as its standby, found at pg-1\'s address', () => {
		const rows = fleetFromKeys(healthy, THRESHOLDS);
		assert.deepEqual(rowOf(rows, 'billing'), {scope: 'billing', kind: 'primary', leader: 'pg-1', membersUp: 2, membersTotal: 2, timeline: 1, worstLagBytes: 0, isPaused: false, alerts: [], severity: 'ok'});
		assert.deepEqual(rowOf(rows, 'billing-dr'), {
			scope: 'billing-dr', kind: 'standby', standbySource: 'billing', primaryScope: 'billing', leader: 'dr-1', membersUp: 1, membersTotal: 1, timeline: 1, isPaused: false, alerts: [], severity: 'ok',
		});
		assert.equal(fleetHasLeaderless(rows), false);
	});

	it('after the switchover: pg-2 leads on timeline 2; the standby still finds billing (pg-1, now a replica) and is paused', () => {
		const rows = fleetFromKeys(after, THRESHOLDS);
		const billing = rowOf(rows, 'billing');
		assert.equal(billing.leader, 'pg-2');
		assert.equal(billing.timeline, 2);
		assert.equal(billing.severity, 'ok');
		const standby = rowOf(rows, 'billing-dr');
		assert.equal(standby.primaryScope, 'billing');
		assert.equal(standby.isPaused, true);
		assert.deepEqual(standby.alerts, ['paused']);
		assert.equal(standby.severity, 'warning');
		// The group is ranked by its worst row (the paused standby), and the standby stays under its primary.
		const ok = key('alpha/leader', 'a1');
		const okMember = key('alpha/members/a1', '{"state":"running","role":"master","timeline":1}');
		assert.deepEqual(fleetFromKeys([...after, ok, okMember], THRESHOLDS).map(row => row.scope), ['billing', 'billing-dr', 'alpha']);
	});

	it('takes the timeline from history + 1 when the leader has no member key', () => {
		const headless = without(after, 'billing/members/pg-2');
		const billing = rowOf(fleetFromKeys(headless, THRESHOLDS), 'billing');
		assert.equal(billing.timeline, 2, 'history ends with timeline 1');
		assert.deepEqual(billing.alerts, ['the leader pg-2 has no member key']);
		assert.equal(billing.worstLagBytes, 67109480 - 67109480, "the status key's optime stands in for the leader's position");
	});

	it('agrees with the v2 recording (another lab, another Patroni run) read from the namespace', () => {
		const v2 = JSON.parse(fs.readFileSync('test/fixtures/etcd2-keys-patroni-3.0.2.json', 'utf8')) as {read: {xEtcdIndex: string; body: {node: Etcd2Node}}};
		const view = dcsViewFromEtcd2(NAMESPACE, stateFromRead(v2.read.body.node, Number(v2.read.xEtcdIndex)));
		const [row] = fleetFromKeys(view.keys, THRESHOLDS);
		assert.equal(row?.scope, 'v2lab');
		assert.equal(row?.leader, 'node2');
		assert.equal(row?.membersTotal, 3);
		assert.equal(row?.kind, 'primary');
	});
});

describe('the fleet judges each cluster', () => {
	it('no leader key: critical, and --json\'s exit code knows', () => {
		const rows = fleetFromKeys(without(healthy, 'billing/leader'), THRESHOLDS);
		const billing = rowOf(rows, 'billing');
		assert.equal(billing.leader, undefined);
		assert.deepEqual(billing.alerts, ['no leader']);
		assert.equal(billing.severity, 'critical');
		assert.equal(fleetHasLeaderless(rows), true);
	});

	it('a member not running is a warning; none running is critical', () => {
		const stopped = editMember(healthy, 'billing/members/pg-2', {state: 'stopped'});
		const billing = rowOf(fleetFromKeys(stopped, THRESHOLDS), 'billing');
		assert.deepEqual([billing.membersUp, billing.membersTotal, billing.severity], [1, 2, 'warning']);
		assert.deepEqual(billing.alerts, ['pg-2 is stopped']);
		const allDown = editMember(editMember(stopped, 'billing/members/pg-1', {state: 'start failed'}), 'billing/members/pg-2', {state: undefined});
		const down = rowOf(fleetFromKeys(allDown, THRESHOLDS), 'billing');
		assert.equal(down.severity, 'critical');
		assert.deepEqual(down.alerts, ['no member is running', 'pg-1 is start failed', 'pg-2 says no state']);
	});

	it("counts Patroni 4's streaming as up", () => {
		const streaming = editMember(healthy, 'billing/members/pg-2', {state: 'streaming'});
		assert.equal(rowOf(fleetFromKeys(streaming, THRESHOLDS), 'billing').membersUp, 2);
	});

	it('lag from xlog_location against the leader\'s: over the threshold is a warning, at it is not', () => {
		const leaderAt = 67108864;
		const lagging = editMember(healthy, 'billing/members/pg-2', {xlog_location: leaderAt - 12 * 1_048_576});
		const billing = rowOf(fleetFromKeys(lagging, THRESHOLDS), 'billing');
		assert.equal(billing.worstLagBytes, 12 * 1_048_576);
		assert.deepEqual(billing.alerts, ['pg-2 lags 12 MiB']);
		assert.equal(billing.severity, 'warning');
		const atThreshold = editMember(healthy, 'billing/members/pg-2', {xlog_location: leaderAt - THRESHOLDS.lagBytes});
		assert.equal(rowOf(fleetFromKeys(atThreshold, THRESHOLDS), 'billing').severity, 'ok');
		const unknown = editMember(healthy, 'billing/members/pg-2', {xlog_location: undefined});
		assert.equal(rowOf(fleetFromKeys(unknown, THRESHOLDS), 'billing').worstLagBytes, undefined);
	});

	it('a standby by its leader\'s role alone, and one whose source is not in this DCS', () => {
		const roleOnly = withKey(healthy, 'billing-dr/config', '{"ttl":15}');
		const standby = rowOf(fleetFromKeys(roleOnly, THRESHOLDS), 'billing-dr');
		assert.equal(standby.kind, 'standby');
		assert.equal(standby.standbySource, undefined);
		// A source elsewhere, and a system of its own: no primary in this DCS (the same system would be billing's, below).
		const elsewhere = withKey(withKey(healthy, 'billing-dr/config', '{"standby_cluster":{"host":"10.1.2.3,10.1.2.4","port":6432}}'), 'billing-dr/initialize', '7716778931063400001');
		const far = rowOf(fleetFromKeys(elsewhere, THRESHOLDS), 'billing-dr');
		assert.deepEqual([far.kind, far.standbySource, far.primaryScope], ['standby', '10.1.2.3,10.1.2.4:6432', undefined]);
		// The second host of a list, at billing's pg-2, finds billing; a port may come as a string.
		const listed = withKey(healthy, 'billing-dr/config', '{"standby_cluster":{"host":"10.1.2.3, 127.0.0.1","port":"25633"}}');
		assert.equal(rowOf(fleetFromKeys(listed, THRESHOLDS), 'billing-dr').primaryScope, 'billing');
	});

	it("a standby pointed at a proxy (no member there) is found by the system identifier it shares with its primary's initialize key", () => {
		// The recording: billing-dr's initialize is billing's, as a base backup of it makes it.
		const proxied = withKey(healthy, 'billing-dr/config', '{"standby_cluster":{"host":"127.0.0.1","port":15000}}');
		const standby = rowOf(fleetFromKeys(proxied, THRESHOLDS), 'billing-dr');
		assert.deepEqual([standby.primaryScope, standby.standbySource], ['billing', 'billing']);
		// Two primaries with that identifier (a copy restored as a cluster of its own): no saying which.
		const copied = [...proxied, ...healthy.filter(one => one.key.startsWith('billing/')).map(one => ({...one, key: one.key.replace(/^billing\//, 'billing-copy/')}))];
		assert.equal(rowOf(fleetFromKeys(copied, THRESHOLDS), 'billing-dr').primaryScope, undefined);
		// Another identifier: not its primary.
		const other = withKey(proxied, 'billing/initialize', '7716778931063402999');
		assert.equal(rowOf(fleetFromKeys(other, THRESHOLDS), 'billing-dr').primaryScope, undefined);
	});

	it('a scope with only an initialize key: no leader, no member keys', () => {
		const rows = fleetFromKeys([...healthy, key('fresh/initialize', '7716778778944699408')], THRESHOLDS);
		const fresh = rowOf(rows, 'fresh');
		assert.deepEqual(fresh, {scope: 'fresh', kind: 'primary', membersUp: 0, membersTotal: 0, isPaused: false, alerts: ['no leader', 'no member keys'], severity: 'critical'});
		assert.equal(rows[0]?.scope, 'fresh', 'critical sorts first');
	});
});

describe('the fleet on keys nobody should have written', () => {
	const garbage = [
		key('odd', 'a key right under the namespace'),
		key('/leader', 'from a doubled slash'),
		key('trailing/', 'x'),
		key('junk/members/m1', '{not json'),
		key('junk/members/m2', '[1,2]'),
		key('junk/members/', '{}'),
		key('junk/members/a/b', '{}'),
		key('junk/config', '{"pause":"yes","standby_cluster":null}'),
		key('junk/history', '[[null],"x"]'),
		key('junk/status', '{"optime":"12"}'),
		key('junk/optime/leader', 'twelve'),
		key('junk/leader', 'm1'),
		key('sc\u001bope/leader', 'n\u0007ame'),
		key('名前/members/ü', '{"state":"running","role":"master","xlog_location":"a lot","timeline":"2"}'),
		key('名前/leader', 'ü'),
	];

	it('never throws, and leaves names as written (the display escapes them)', () => {
		const rows = fleetFromKeys([...healthy, ...garbage], THRESHOLDS);
		assert.deepEqual(fleetScopes([...healthy, ...garbage]), ['billing', 'billing-dr', 'junk', 'sc\u001bope', '名前']);
		assert.deepEqual(rows.map(row => row.scope).sort(), ['billing', 'billing-dr', 'junk', 'sc\u001bope', '名前']);
		const junk = rowOf(rows, 'junk');
		assert.deepEqual([junk.membersTotal, junk.membersUp, junk.timeline, junk.worstLagBytes, junk.isPaused, junk.kind], [2, 0, undefined, undefined, false, 'primary']);
		assert.deepEqual(junk.alerts, ['no member is running', "m1's member key is not JSON", "m2's member key is not JSON"]);
		assert.equal(rowOf(rows, 'sc\u001bope').leader, 'n\u0007ame');
		const named = rowOf(rows, '名前');
		assert.deepEqual([named.leader, named.membersUp, named.timeline, named.worstLagBytes, named.severity], ['ü', 1, undefined, undefined, 'ok']);
	});

	it('nothing at all is an empty fleet', () => {
		assert.deepEqual(fleetFromKeys([], THRESHOLDS), []);
		assert.deepEqual(fleetScopes([]), []);
		assert.equal(fleetHasLeaderless([]), false);
	});

	it('two standbys naming each other sort once each, without looping: the second by name goes under the first', () => {
		const a = [key('a/leader', 'a1'), key('a/members/a1', '{"state":"running","role":"standby_leader","conn_url":"postgres://10.0.0.1:5432/postgres"}'), key('a/config', '{"standby_cluster":{"host":"10.0.0.2"}}')];
		const b = [key('b/leader', 'b1'), key('b/members/b1', '{"state":"running","role":"standby_leader","conn_url":"postgres://10.0.0.2/postgres"}'), key('b/config', '{"standby_cluster":{"host":"10.0.0.1","port":5432}}')];
		const rows = fleetFromKeys([...a, ...b], THRESHOLDS);
		assert.deepEqual(rows.map(row => [row.scope, row.primaryScope]), [['b', 'a'], ['a', 'b']]);
	});
});

describe('the fleet\'s order', () => {
	const cluster = (scope: string, state: string, extra: DcsKey[] = []) => [key(`${scope}/leader`, `${scope}1`), key(`${scope}/members/${scope}1`, JSON.stringify({state, role: 'master', conn_url: `postgres://10.9.0.1:${scope.length}${scope.charCodeAt(0)}/postgres`})), ...extra];

	it('worst first, then by scope; a standby right under its primary, its group ranked by its worst row', () => {
		const ok = cluster('zeta', 'running');
		const warn = cluster('mid', 'running', [key('mid/config', '{"pause":true}')]);
		const crit = without(cluster('crit', 'running'), 'crit/leader');
		const okB = cluster('beta', 'running');
		// A critical standby of zeta (ok): it brings zeta up with it, above the warning cluster.
		const zetaPort = `${'zeta'.length}${'zeta'.charCodeAt(0)}`;
		const standby = [key('zeta-dr/members/d1', '{"state":"stopped","role":"standby_leader"}'), key('zeta-dr/config', JSON.stringify({standby_cluster: {host: '10.9.0.1', port: Number(zetaPort)}}))];
		const rows = fleetFromKeys([...ok, ...warn, ...crit, ...okB, ...standby], THRESHOLDS);
		assert.deepEqual(rows.map(row => `${row.scope}:${row.severity}`), ['crit:critical', 'zeta:ok', 'zeta-dr:critical', 'mid:warning', 'beta:ok']);
	});
});

describe('filterFleet', () => {
	const rows = fleetFromKeys(after, THRESHOLDS);
	it('matches scope or leader, ignoring case; empty matches all', () => {
		assert.deepEqual(filterFleet(rows, 'BILL').map(row => row.scope), ['billing', 'billing-dr']);
		assert.deepEqual(filterFleet(rows, '-DR').map(row => row.scope), ['billing-dr']);
		assert.deepEqual(filterFleet(rows, 'pg-2').map(row => row.scope), ['billing']);
		assert.deepEqual(filterFleet(rows, ''), rows);
		assert.deepEqual(filterFleet(rows, '  '), rows);
		assert.deepEqual(filterFleet(rows, 'nothing'), []);
	});
});

describe('the prefix a source watches', () => {
	it('is the namespace without a scope, the scope\'s own with one, whatever slashes the namespace has', () => {
		for (const namespace of ['service', '/service/', '//service//']) assert.equal(namespacePrefix(namespace), '/service/');
		assert.equal(namespacePrefix(''), '/');
		assert.equal(watchedPrefix('/service/', undefined), '/service/');
		assert.equal(watchedPrefix('service', 'billing'), '/service/billing/');
		assert.equal(watchedPrefix('/', 'billing'), '/billing/');
	});
});
