/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ContainersPane} from '../../components/containers-pane.js';
import {degradedSnapshot} from '../fixtures/snapshot-degraded.js';
import {AT, health, healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {lines, renderIn, widest} from './render-text.js';

const docker = healthySnapshot.sources.docker;

describe('ContainersPane', () => {
	it('lists the containers with role, state, uptime and restarts', () => {
		const frame = renderIn(<ContainersPane containers={degradedSnapshot.containers} at={AT} health={docker} width={78} height={6} selectedIndex={0} isFocused />, 78, 6);
		const rows = lines(frame);
		assert.match(rows[0]!, /Name +Role +State +Up/);
		assert.match(rows[1]!, /^› patroni-tui-lab-etcd +etcd +running +27m48s$/);
		assert.match(frame, /patroni-tui-lab-node3 +member +exited +– ↻2/);
		assert.equal(rows.length, 6, 'the header and five rows fit; the sixth container scrolls');
	});

	it('drops the shared name prefix in a narrow pane', () => {
		const frame = renderIn(<ContainersPane containers={healthySnapshot.containers} at={AT} health={docker} width={36} height={7} selectedIndex={4} isFocused />, 36, 7);
		assert.ok(widest(frame) <= 36);
		assert.match(frame, /^ {2}haproxy +haproxy +running/m);
		assert.match(frame, /^› node3 +member/m);
	});

	it('draws the Docker error, the waiting state and the empty state', () => {
		const failing = health('docker', 45_000, {error: 'connect ENOENT /var/run/docker.sock', isStale: true});
		const stale = renderIn(<ContainersPane containers={healthySnapshot.containers} at={AT} health={failing} width={78} height={4} selectedIndex={0} isFocused />, 78, 4);
		assert.match(lines(stale)[0]!, /^✗ Docker: connect ENOENT \/var\/run\/docker\.sock · showing data 45s old/);
		const waiting = renderIn(<ContainersPane containers={[]} at={AT} health={{name: 'docker', isEnabled: true, isStale: false}} width={78} height={3} selectedIndex={0} isFocused />, 78, 3);
		assert.match(waiting, /waiting for Docker…/);
		const none = renderIn(<ContainersPane containers={[]} at={AT} health={docker} width={78} height={3} selectedIndex={0} isFocused />, 78, 3);
		assert.match(none, /no container is proven to be this cluster's/);
	});
});
