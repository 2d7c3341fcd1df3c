// Found by the fault suite (test/faults): for a TTL after a member froze or died, its DCS key still said
// "running" and the header said healthy; and a member key that is not JSON went unexplained.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;

type Mutable<T> = {-readonly [K in keyof T]: Mutable<T[K]>};

function scenario(edit: (states: Mutable<SourceStates>) => void) {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	edit(states);
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW});
}

describe('a member that stopped answering while its DCS key still says running', () => {
	it('a paused (frozen) container makes the cluster degraded, naming the member', () => {
		const snapshot = scenario(states => {
			states.docker.data!.containers.find(container => container.name === 'patroni-tui-labtest-node3')!.state = 'paused';
		});
		assert.equal(snapshot.state, 'degraded');
		assert.equal(snapshot.alerts.find(alert => alert.id === 'container:node3')?.message, "node3's container is paused");
	});

	it('a REST API that does not answer does too', () => {
		const snapshot = scenario(states => {
			states.rest.data!.members['node3'] = {error: 'no answer within 1500 ms', at: NOW};
		});
		assert.equal(snapshot.state, 'degraded');
		assert.equal(snapshot.alerts.find(alert => alert.id === 'rest:node3')?.message, "node3's Patroni does not answer: no answer within 1500 ms");
	});
});

describe('a member key in the DCS that is not JSON', () => {
	it('is an alert that names the key and shows the start of its value', () => {
		const snapshot = scenario(states => {
			states.dcs.data!.keys.push({key: 'members/zz-garbage', value: '{not json', modRevision: '99'});
		});
		const alert = snapshot.alerts.find(candidate => candidate.id === 'dcs-key:members/zz-garbage');
		assert.equal(alert?.message, 'members/zz-garbage in the DCS is not valid JSON: "{not json"');
		assert.equal(snapshot.state, 'degraded');
	});
});

describe('the leader key naming a member whose PostgreSQL is in recovery', () => {
	it('says that nothing accepts writes (Patroni demoted it, the DCS being out of reach)', () => {
		const snapshot = scenario(states => {
			states.postgres.data!.members['node1']!.isInRecovery = true;
		});
		assert.equal(snapshot.leader, 'node1');
		assert.equal(snapshot.alerts[0]?.id, 'leader-in-recovery');
		assert.equal(snapshot.alerts[0]?.message, 'node1 holds the leader key, but its PostgreSQL is in recovery: no member accepts writes');
	});
});

describe("a member's PostgreSQL that refuses connections", () => {
	it('is a warning (the leader killed: no writes), while a missing password stays a note', () => {
		const refused = scenario(states => {
			states.postgres.data!.members['node1'] = {error: 'connect ECONNREFUSED 127.0.0.1:15533', at: NOW};
		});
		assert.equal(refused.state, 'degraded');
		assert.equal(refused.alerts.find(alert => alert.id === 'sql:node1')?.message, "node1's PostgreSQL does not answer: connect ECONNREFUSED 127.0.0.1:15533");
		const unasked = scenario(states => {
			states.postgres.data!.members['node1'] = {error: 'no PostgreSQL password: set PGPASSWORD', at: NOW};
		});
		assert.equal(unasked.alerts.find(alert => alert.id === 'sql:node1')?.severity, 'info');
	});
});
