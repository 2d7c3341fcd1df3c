import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {SourceStates} from '../../source/model/source-state.js';
import type {Mutable} from '../helpers/source-states.js';

// The real test lab as every source saw it (Patroni 3.0.2): node1 leads, node2 and node3 stream.
const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;

/** node2's member key rewritten by Patroni while REST's last /cluster still has the old copy. */
function keyAheadOfRest(edit: (states: Mutable<SourceStates>) => void = () => undefined) {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	const key = states.dcs.data!.keys.find(candidate => candidate.key === 'members/node2')!;
	key.parsed = {...(key.parsed as object), state: 'stopping'};
	key.value = JSON.stringify(key.parsed);
	edit(states);
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW}).members.find(member => member.name === 'node2')!;
}

describe("a member's state", () => {
	it('is the watched member key while etcd answers: a change shows before the next REST poll', () => {
		assert.equal(keyAheadOfRest().state, 'stopping');
	});

	it("is REST's while etcd fails: the DCS data is then the old one", () => {
		assert.equal(keyAheadOfRest(states => (states.dcs.error = 'etcd range: no answer within 1000 ms')).state, 'running');
	});

	it("is a Patroni 4 replica's replication state when its key says running, as Patroni shows it", () => {
		const states = structuredClone(recorded.states) as Mutable<SourceStates>;
		const key = states.dcs.data!.keys.find(candidate => candidate.key === 'members/node3')!;
		key.parsed = {...(key.parsed as object), state: 'running', replication_state: 'streaming'};
		key.value = JSON.stringify(key.parsed);
		const built = buildSnapshot(states as SourceStates, {scope: 'labtest', now: NOW});
		assert.equal(built.members.find(member => member.name === 'node3')!.state, 'streaming');
	});
});
