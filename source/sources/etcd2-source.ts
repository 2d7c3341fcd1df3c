import type {DcsView} from '../model/views.js';
import {etcd2Client} from '../clients/etcd2.js';
import {applyEtcd2Event, dcsViewFromEtcd2, sameEtcd2Content, stateFromRead, type Etcd2State} from './etcd2-view.js';
import {watchedPrefix} from './etcd3-view.js';
import type {Etcd3SourceOptions} from './etcd3-source.js';
import {followDcs} from './dcs-follow.js';
import {type Source} from './source.js';

/** The same options as the v3 source: endpoints, namespace, scope (absent: the namespace), deadlines, heartbeat, credentials. */
export type Etcd2SourceOptions = Etcd3SourceOptions;


/**
 * Patroni's keys for one scope (or, without a scope, the whole namespace) in etcd's v2 keyspace (Patroni's
 * `etcd:` section): read, then watched with long polls from the next index, so a change (a new leader) is
 * yielded within milliseconds of the write. Every heartbeat the poll is dropped and everything read again, which
 * proves etcd still answers (a paused etcd keeps its connections open, so a long poll alone would just wait).
 * Yields on change and after every heartbeat read; an unreachable etcd is yielded as an error (never thrown),
 * and the source recovers by itself.
 */
export function etcd2Source(options: Etcd2SourceOptions): Source<DcsView> {
	const heartbeatMs = options.heartbeatMs ?? 5000;
	const prefix = watchedPrefix(options.namespace, options.scope);
	return async function* etcd2(signal) {
		const client = etcd2Client(options, prefix);
		let state: Etcd2State | undefined;
		let readAt = 0;

		/** One step: a full read when due (true), a watched event (false), or nothing new yet (undefined). */
		async function advance(): Promise<boolean | undefined> {
			const waitMs = readAt + heartbeatMs - Date.now();
			if (state !== undefined && waitMs > 0) {
				const outcome = await client.watch(state.index + 1, waitMs, signal);
				if (outcome === 'idle') return undefined;
				if (outcome !== 'cleared') {
					state = applyEtcd2Event(state, outcome);
					return false;
				}
			}
			// First read, heartbeat, or etcd's 1000-event history no longer reaches back to our index.
			const read = await client.read(signal);
			state = stateFromRead(read.node, read.index);
			readAt = Date.now();
			return true;
		}

		try {
			yield* followDcs(signal, {
				async step() {
					const isFullRead = await advance();
					return isFullRead === undefined ? undefined : {view: dcsViewFromEtcd2(prefix, state!), isFullRead};
				},
				reset() {
					state = undefined;
				},
				isSame: sameEtcd2Content,
				heartbeatMs,
			});
		} finally {
			// Destroying the agents cancels a long poll still waiting, so nothing keeps the process alive.
			client.close();
		}
	};
}
