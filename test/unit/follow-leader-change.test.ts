import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {buildSnapshot} from '../../source/model/snapshot.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {SourceStates} from '../../source/model/source-state.js';
import {followLeaderChange} from '../../source/operations/follow.js';
import type {OperationEvent} from '../../source/operations/operation.js';
import type {PatroniAnswer} from '../../source/clients/patroni.js';
import {contextOn} from '../helpers/operation-context.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
type Mutable<T> = {-readonly [K in keyof T]: Mutable<T[K]>};

/** The recorded lab after the DCS and HAProxy moved (or not) to `dcsLeader` / `haproxyUp`. */
function moved(dcsLeader: string, haproxyUp: string): ClusterSnapshot {
	const states = structuredClone(recorded.states) as Mutable<SourceStates>;
	states.dcs.data!.leader = dcsLeader;
	for (const server of states.haproxy.data!.servers) if (server.proxy === 'primary') server.status = server.server === haproxyUp ? 'UP' : 'DOWN';
	return buildSnapshot(states as SourceStates, {scope: 'labtest', now: states.rest.updatedAt! + 500});
}

/** Plays the pictures in order, one per look, the last one for ever. */
async function follow(pictures: readonly ClusterSnapshot[], answer: PatroniAnswer, to = 'node2'): Promise<OperationEvent[]> {
	let look = 0;
	const context = contextOn(() => pictures[Math.min(look++, pictures.length - 1)]!, {followMs: 2000, pollMs: 1});
	const events: OperationEvent[] = [];
	const change = {action: 'switchover' as const, from: 'node1', to, request: Promise.resolve(answer), sentAt: Date.now()};
	for await (const event of followLeaderChange(context, change, new AbortController().signal)) events.push(event);
	return events;
}

const texts = (events: readonly OperationEvent[]) => events.map(event => (event.kind === 'step' ? event.text : `done ${event.isOk}: ${event.summary}`));

describe('following a switchover', () => {
	const before = moved('node1', 'node1');

	it('takes 503 "Switchover status unknown" as a reason to keep looking, and ends when DCS and HAProxy agree', async () => {
		const events = await follow([before, before, moved('node2', 'node1'), moved('node2', 'node2')], {status: 503, text: 'Switchover status unknown', body: ''});
		const seen = texts(events);
		assert.equal(seen[0], 'Patroni answered 503: Switchover status unknown — following the cluster');
		assert.match(seen[1]!, /^the DCS leader key names node2/);
		assert.match(seen[2]!, /^HAProxy's primary listener routes to node2 only/);
		assert.match(seen.at(-1)!, /^done true: node2 is the leader: in the DCS after/);
	});

	it("ends at once on a precondition failure, with Patroni's text", async () => {
		const events = await follow([before], {status: 412, text: 'candidate does not exists', body: ''});
		assert.deepEqual(texts(events), ['done false: Patroni answered 412: candidate does not exists']);
	});

	it('fails when Patroni picked another member', async () => {
		const events = await follow([before, moved('node3', 'node3')], {status: 200, text: 'Switched over to "node3" instead of "node2"', body: ''});
		assert.equal(texts(events).at(-1), 'done false: switchover to node2: the DCS names node3 as the leader instead');
	});

	it('fails at the deadline, saying what it saw', async () => {
		const events = await follow([before], {status: 200, text: 'Successfully switched over to "node2"', body: ''});
		assert.match(texts(events).at(-1)!, /^done false: switchover to node2: not complete after 2\.\d s: the DCS names node1, HAProxy routes to node1$/);
	});
});
