import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {DcsView} from '../../source/model/views.js';
import {etcd3Source} from '../../source/sources/etcd3-source.js';
import type {SourceEvent} from '../../source/sources/source.js';
import {isAvailable, startThrowawayEtcd, type ThrowawayEtcd} from '../helpers/throwaway-etcd.js';

// etcd's users hand out a token that expires (--auth-token-ttl, 300 s by default; 2 s here). The source must go on
// seeing writes after that, by watch and by its heartbeat reads, without an error in between; and after an etcd
// restart, which forgets every token, it must sign in again by itself. A real etcd 3.4 with auth on.
const TOKEN_TTL_S = 2;
const PASSWORD = 'throwaway-root-pw';
const SCOPE = 'tokens';
const MEMBER_KEY = `/service/${SCOPE}/members/m1`;

type Watched = {readonly events: SourceEvent<DcsView>[]; readonly stop: () => void};

function watch(endpoint: string, password: string): Watched {
	const events: SourceEvent<DcsView>[] = [];
	const controller = new AbortController();
	const source = etcd3Source({endpoints: [endpoint], namespace: '/service/', scope: SCOPE, username: 'root', password, heartbeatMs: 1000, requestTimeoutMs: 2000});
	void (async () => {
		for await (const event of source(controller.signal)) events.push(event);
	})();
	return {events, stop: () => controller.abort()};
}

const stateOf = (event: SourceEvent<DcsView> | undefined) => {
	const parsed = event?.kind === 'data' ? event.data.keys.find(key => key.key === 'members/m1')?.parsed : undefined;
	return (parsed as {state?: string} | undefined)?.state;
};

async function waitForState(watched: Watched, state: string, ms: number): Promise<number> {
	const start = Date.now();
	while (Date.now() - start < ms) {
		if (stateOf(watched.events.at(-1)) === state) return Date.now() - start;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
	assert.fail(`"${state}" not seen within ${ms} ms; last events: ${JSON.stringify(watched.events.slice(-3).map(event => (event.kind === 'error' ? event.error : stateOf(event))))}`);
}

describe('etcd v3 with users: the auth token expires and is renewed', {skip: !isAvailable && 'Debian etcd not installed'}, () => {
	let etcd: ThrowawayEtcd;
	before(async () => {
		etcd = await startThrowawayEtcd({clientPort: 27779, peerPort: 27780, extraArgs: ['--auth-token-ttl', String(TOKEN_TTL_S)], rootPassword: PASSWORD});
	});
	after(async () => etcd?.stop());

	const put = (state: string) => etcd.etcdctl(['put', MEMBER_KEY, JSON.stringify({state, role: 'replica'})]);

	it('goes on seeing writes long after its first token expired, with no error between', {timeout: 30_000}, async () => {
		await put('first');
		const watched = watch(etcd.endpoint, PASSWORD);
		try {
			await waitForState(watched, 'first', 10_000);
			// Three token lifetimes: heartbeat reads (every 1 s) run on an expired token and must renew it.
			await new Promise(resolve => setTimeout(resolve, 3 * TOKEN_TTL_S * 1000));
			await put('later');
			// Through the watch: well before the next heartbeat would bring it.
			const ms = await waitForState(watched, 'later', 5000);
			assert.ok(ms < 900, `the write after the token's expiry took ${ms} ms to arrive: not through the watch`);
			const errors = watched.events.filter(event => event.kind === 'error');
			assert.deepEqual(errors, [], 'no error while the token expired and was renewed');
		} finally {
			watched.stop();
		}
	});

	it('signs in again by itself after an etcd restart forgot every token', {timeout: 60_000}, async () => {
		await put('before-restart');
		const watched = watch(etcd.endpoint, PASSWORD);
		try {
			await waitForState(watched, 'before-restart', 10_000);
			await new Promise(resolve => setTimeout(resolve, 2 * TOKEN_TTL_S * 1000));
			await etcd.restart();
			await put('after-restart');
			await waitForState(watched, 'after-restart', 20_000);
		} finally {
			watched.stop();
		}
	});

	it('a wrong password is an error event, never data, and the password is not in it', {timeout: 30_000}, async () => {
		const wrong = 'not-the-password-42';
		const watched = watch(etcd.endpoint, wrong);
		try {
			const start = Date.now();
			while (watched.events.length === 0 && Date.now() - start < 10_000) await new Promise(resolve => setTimeout(resolve, 50));
			const first = watched.events[0];
			assert.equal(first?.kind, 'error', JSON.stringify(first));
			assert.match(first.kind === 'error' ? first.error : '', /authentication failed|password/i);
			assert.ok(!JSON.stringify(watched.events).includes(wrong), 'the password is not in any event');
		} finally {
			watched.stop();
		}
	});
});
