/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {EtcdPane} from '../../components/etcd-pane.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {HEALTHY_KEYS, healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn, widest} from './render-text.js';

const dcs = healthySnapshot.sources.dcs;

describe('EtcdPane', () => {
	it('draws the key tree next to the selected key pretty-printed', () => {
		const frame = renderIn(<EtcdPane scope="lab" dcsKeys={HEALTHY_KEYS} leaderTtlLeft={27} health={dcs} width={78} height={12} selectedIndex={0} isFocused />, 78, 12);
		assert.match(lines(frame)[0]!, /^scope lab · 8 keys · leader lease 27s left/);
		assert.match(frame, /› config +config · rev 17/);
		assert.match(frame, /^ {2}members\/ +"retry_timeout": 10,$/m);
		assert.match(frame, /^ {4}node1 /m);
		assert.match(frame, /"retry_timeout": 10/);
	});

	it('shows the leader key with its lease', () => {
		const frame = renderIn(<EtcdPane scope="lab" dcsKeys={HEALTHY_KEYS} leaderTtlLeft={27} health={dcs} width={78} height={10} selectedIndex={3} isFocused />, 78, 10);
		assert.match(frame, /^ {2}config +leader · rev 231 · lease 694d95e1c7a0b815/m);
		assert.match(frame, /^ {2}history +node2$/m);
		assert.match(frame, /^› leader$/m);
	});

	it('stacks the value under the tree in a narrow pane', () => {
		const frame = renderIn(<EtcdPane scope="lab" dcsKeys={HEALTHY_KEYS} leaderTtlLeft={27} health={dcs} width={36} height={12} selectedIndex={5} isFocused />, 36, 12);
		assert.ok(widest(frame) <= 36);
		assert.match(frame, /^› {3}node2$/m);
		assert.match(frame, /^members\/node2 · rev 412/m);
		assert.match(frame, /"role": "primary"/);
	});

	it('keeps showing the old keys under the error, with their age', () => {
		const frame = renderIn(
			<EtcdPane scope="lab" dcsKeys={HEALTHY_KEYS} leaderTtlLeft={15} health={degradedSnapshot.sources.dcs} width={78} height={6} selectedIndex={0} isFocused={false} />,
			78,
			6,
		);
		assert.match(lines(frame)[0]!, /^✗ etcd: etcdserver: request timed out · showing data 12s old/);
		assert.match(frame, /config/);
	});

	it('says when the leader key is gone, and when there are no keys at all', () => {
		const noLeader = renderIn(
			<EtcdPane scope="lab" dcsKeys={HEALTHY_KEYS.filter(key => key.key !== 'leader')} health={dcs} width={78} height={4} selectedIndex={0} isFocused />,
			78,
			4,
		);
		assert.match(noLeader, /7 keys · no leader key/);
		const empty = renderIn(<EtcdPane scope="lab" dcsKeys={[]} health={dcs} width={78} height={3} selectedIndex={4} isFocused />, 78, 3);
		assert.match(empty, /no keys under scope lab/);
	});
});
