/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Header} from '../../components/header.js';
import {toneColor} from '../../components/palette.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {health, healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn, widest} from './render-text.js';

describe('Header', () => {
	it('sums up a healthy cluster and how fresh each source is', () => {
		const frame = renderIn(<Header snapshot={healthySnapshot} height={3} alertLines={1} />, 80, 3);
		const [summary, sources, alerts] = lines(frame);
		assert.match(summary!, /^lab │ ● healthy │ leader node2 │ TL 2 │ 0 alerts/);
		assert.equal(sources, 'etcd 0.3s  REST 1.2s  SQL 0.8s  HAProxy 0.5s  Docker 2.0s');
		assert.equal(alerts, '✓ no alerts');
	});

	it('says what the configuration takes on trust (ctl.insecure) on the first line, in the colour of trouble', () => {
		const warnings = [{id: 'rest-tls-unverified', short: 'REST TLS not verified', message: 'ctl.insecure: …'}];
		const frame = renderIn(<Header snapshot={{...healthySnapshot, warnings}} height={3} alertLines={1} />, 100, 3);
		assert.match(lines(frame)[0]!, /^lab │ ● healthy │ ⚠ REST TLS not verified │ leader node2/);
	});

	it('marks a failing source with ✗ and the age of its last good data', () => {
		const frame = renderIn(<Header snapshot={degradedSnapshot} height={3} alertLines={1} />, 80, 3);
		assert.match(frame, /● degraded/);
		assert.match(frame, /etcd ✗ 12s {2}REST 1\.2s/);
		assert.match(frame, /4 alerts/);
	});

	it('puts the most severe alert first and counts the ones that did not fit', () => {
		const one = lines(renderIn(<Header snapshot={degradedSnapshot} height={3} alertLines={1} />, 100, 3));
		assert.match(one[2]!, /^\(\+3 more\) ✗ HAProxy routes writes to node1/);
		const three = lines(renderIn(<Header snapshot={degradedSnapshot} height={5} alertLines={3} />, 100, 5));
		assert.match(three[3]!, /✗ node3 is stopped/);
		assert.match(three[4]!, /^\(\+1 more\) ! etcd unreachable for 12s/);
	});

	it('says when no one leads, a source is off or has not answered yet', () => {
		const snapshot = {
			...healthySnapshot,
			state: 'no leader' as const,
			leader: undefined,
			sources: {...healthySnapshot.sources, docker: {...health('docker', 0), isEnabled: false}, rest: {name: 'rest' as const, isEnabled: true, isStale: false}},
		};
		const frame = renderIn(<Header snapshot={snapshot} height={2} alertLines={0} />, 80, 2);
		assert.match(frame, /● no leader │ leader ✗ none/);
		assert.match(frame, /REST …/);
		assert.match(frame, /Docker off/);
	});

	it('says read-only on its first line while --read-only is on, and nothing of it otherwise', () => {
		const on = lines(renderIn(<Header snapshot={healthySnapshot} height={3} alertLines={1} isReadOnly />, 80, 3));
		assert.match(on[0]!, /^lab │ ● healthy │ read-only │ leader node2 │ TL 2 │ 0 alerts/);
		const off = renderIn(<Header snapshot={healthySnapshot} height={3} alertLines={1} isReadOnly={false} />, 80, 3);
		assert.doesNotMatch(off, /read-only/);
	});

	it('never wraps at 40 columns', () => {
		const frame = renderIn(<Header snapshot={degradedSnapshot} height={3} alertLines={1} />, 40, 3);
		assert.ok(widest(frame) <= 40);
		assert.equal(lines(frame).length, 3);
	});

	it('drops colour under NO_COLOR, leaving the words and marks to carry the state', () => {
		assert.equal(toneColor('bad', {}), 'red');
		assert.equal(toneColor('bad', {NO_COLOR: '1'}), undefined);
		assert.equal(toneColor('good', {NO_COLOR: ''}), 'green', 'an empty NO_COLOR does not count');
	});
});
