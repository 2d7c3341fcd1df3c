import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {reuseUnchanged} from '../../source/model/reuse.js';

describe('reuseUnchanged', () => {
	const previous = {
		at: 1,
		members: [
			{name: 'node1', roles: {dcs: 'master'}, lag: 0},
			{name: 'node2', roles: {dcs: 'replica'}, lag: 10},
		],
		sources: {dcs: {ageMs: 100}, rest: {ageMs: 200}},
		alerts: [] as string[],
	};

	it('keeps the previous object wherever the new one is equal, and only there', () => {
		const next = structuredClone(previous);
		next.at = 2;
		next.members[1]!.lag = 20;
		next.sources.dcs.ageMs = 300;
		const kept = reuseUnchanged(previous, next);
		assert.deepEqual(kept, next);
		assert.notEqual(kept, previous);
		assert.equal(kept.members[0], previous.members[0], 'an unchanged member is the same object');
		assert.notEqual(kept.members[1], previous.members[1]);
		assert.equal(kept.members[1]!.roles, previous.members[1]!.roles, 'and so are the unchanged parts of a changed one');
		assert.notEqual(kept.members, previous.members);
		assert.equal(kept.sources.rest, previous.sources.rest);
		assert.equal(kept.alerts, previous.alerts);
	});

	it('returns the previous object itself when nothing changed', () => {
		assert.equal(reuseUnchanged(previous, structuredClone(previous)), previous);
	});

	it('sees added, removed and reordered entries, and keys that appear or go', () => {
		const fewer = {...structuredClone(previous), members: [structuredClone(previous.members[0]!)]};
		assert.equal(reuseUnchanged(previous, fewer).members.length, 1);
		const swapped = {...structuredClone(previous), members: structuredClone(previous.members).reverse()};
		assert.deepEqual(reuseUnchanged(previous, swapped).members.map(member => member.name), ['node2', 'node1']);
		const withKey = {...structuredClone(previous), leader: 'node1'};
		assert.equal((reuseUnchanged<object>(previous, withKey) as {leader?: string}).leader, 'node1');
		const undefinedKey = {...structuredClone(previous), leader: undefined};
		assert.notEqual(reuseUnchanged<object>(previous, undefinedKey), previous, 'a key that appears, even undefined, is a change');
	});
});
