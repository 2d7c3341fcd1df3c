/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {hasRoleDisagreement} from '../../components/member-roles.js';
import {MembersPane} from '../../components/members-pane.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {health, healthySnapshot, member} from '../fixtures/snapshot-healthy.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import {lines, renderIn, widest} from './render-text.js';

const rest = healthySnapshot.sources.rest;

describe('MembersPane', () => {
	it('lists each member with address, role, state, timeline and lag', () => {
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} health={rest} width={78} height={5} selectedIndex={2} isFocused />, 78, 5);
		const [heading, node1, node2, node3, detail] = lines(frame);
		assert.match(heading!, /Name +Host +Role +State +TL +Replay lag/);
		assert.match(node1!, /^ {3}node1 127\.0\.0\.1:15433 replica +streaming +2 +0 B 0\.0s async/);
		assert.match(node2!, /node2 127\.0\.0\.1:15434 leader +running +2/);
		assert.match(node3!, /^› {2}node3 127\.0\.0\.1:15435 replica +streaming +2 +48 MiB 7\.4s/);
		assert.match(detail!, /^ {2}node3: container patroni-tui-lab-node3 running · proved by the lab's labels…$/);
	});

	it("says what proved a member's container, and draws – for a member no container is proven to run", () => {
		const unproven = healthySnapshot.members.map(row => (row.name === 'node1' ? {...row, container: undefined} : row));
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={unproven} health={rest} width={130} height={8} selectedIndex={1} isFocused />, 130, 8);
		assert.match(frame, /Container/);
		assert.match(frame, /node1 .* async +–$/m);
		assert.match(frame, /node2 .* running/);
		assert.match(frame, /node2: container patroni-tui-lab-node2 running · proved by the lab's labels \(scope lab, member node2\)/);
	});

	it('flags members whose sources disagree on the role, and explains it for the selected one', () => {
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={degradedSnapshot.members} health={rest} width={78} height={6} selectedIndex={0} isFocused />, 78, 6);
		assert.match(frame, /› {2}node1 .* replica≠ streaming/);
		assert.match(frame, /node1: ≠ roles: etcd, REST, SQL: replica · HAProxy: primary/);
		assert.ok(hasRoleDisagreement(degradedSnapshot.members[0]!.roles));
		assert.ok(!hasRoleDisagreement(healthySnapshot.members[1]!.roles), 'leader/primary are the same opinion');
		assert.ok(!hasRoleDisagreement({dcs: 'replica', haproxy: 'down'}), 'HAProxy down is no role');
	});

	it('marks pending restarts and gives the reason, with the errors first', () => {
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={degradedSnapshot.members} health={rest} width={100} height={9} selectedIndex={1} isFocused />, 100, 9);
		assert.match(frame, /node1 .*↻/);
		assert.match(frame, /node2 .*↻/);
		assert.match(frame, /↻ pending restart: max_connections: 100→200/);
		const stopped = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={degradedSnapshot.members} health={rest} width={78} height={5} selectedIndex={2} isFocused />, 78, 5);
		assert.match(stopped, /›✗ node3 .* stopped/);
		assert.match(stopped, /node3: ✗ REST: connect ECONNREFUSED 127\.0\.0\.1:18010 · ✗ SQL: connect ECONNR/);
	});

	it('drops columns to fit a narrow pane but keeps name, role and state', () => {
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={degradedSnapshot.members} health={rest} width={38} height={6} selectedIndex={0} isFocused />, 38, 6);
		assert.ok(widest(frame) <= 38, frame);
		assert.match(frame, /node3 +\? +stopped/);
		assert.doesNotMatch(frame, /127\.0\.0\.1/);
	});

	it('draws stale data under the error that made it stale', () => {
		const failing = health('rest', 12_000, {error: 'connect ECONNREFUSED 127.0.0.1:18009', isStale: true});
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={healthySnapshot.members} health={failing} width={78} height={6} selectedIndex={0} isFocused={false} />, 78, 6);
		assert.match(lines(frame)[0]!, /^✗ REST: connect ECONNREFUSED 127\.0\.0\.1:18009 · showing data 12s old/);
		assert.match(frame, /node2/);
	});

	it('says whether it is waiting or there is nothing', () => {
		const waiting = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={[]} health={{name: 'rest', isEnabled: true, isStale: false}} width={40} height={3} selectedIndex={0} isFocused />, 40, 3);
		assert.match(waiting, /waiting for REST…/);
		const none = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={[]} health={rest} width={40} height={3} selectedIndex={0} isFocused />, 40, 3);
		assert.match(none, /no members found/);
	});

	it('keeps a many-line error on one line and the selection in range', () => {
		const broken = member(1, {restError: 'first line\nsecond line\nthird line'});
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={[broken]} health={rest} width={60} height={3} selectedIndex={7} isFocused />, 60, 3);
		assert.equal(lines(frame).length, 3);
		assert.match(frame, /›✗ node1/, 'marked as failing, not by colour alone');
		assert.match(frame, /✗ REST: first line second line third line/);
	});

	it('scrolls to keep the selected member in view when they do not all fit', () => {
		const many = Array.from({length: 9}, (_, index) => ({...member(1), name: `node${index + 1}`}));
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={many} health={rest} width={78} height={4} selectedIndex={8} isFocused />, 78, 4);
		assert.match(frame, /› {2}node9/);
		assert.equal(lines(frame).length, 4);
	});
});
