import type {DcsView} from '../model/views.js';
import {openSession, type Etcd3Session, type SessionOptions} from './etcd3-session.js';
import {sameDcsContent, watchedPrefix} from './etcd3-view.js';
import {followDcs} from './dcs-follow.js';
import {type Source} from './source.js';
import type {TlsClientSettings} from '../clients/tls-files.js';

export {dcsViewFromKeys, namespacePrefix, scopePrefix, type Etcd3Kv} from './etcd3-view.js';

export type Etcd3SourceOptions = {
	readonly endpoints: readonly string[];
	/** Patroni's `namespace` (default "/service/"); slashes are added where missing. */
	readonly namespace: string;
	/**
	 * The cluster to watch. Absent: every cluster of the namespace, its keys relative to the namespace
	 * ("billing/leader"), for the fleet view (model/fleet.ts).
	 */
	readonly scope?: string | undefined;
	/** Deadline of every etcd call, the watch's "created" answer included. Default 2000. */
	readonly requestTimeoutMs?: number;
	/** How often everything is read again and yielded even if unchanged. Default 5000. */
	readonly heartbeatMs?: number;
	readonly username?: string;
	readonly password?: string;
	/** For https endpoints: the CA and client certificate. */
	readonly tls?: TlsClientSettings | undefined;
};


/**
 * Patroni's keys for one scope (or, without a scope, the whole namespace) in etcd v3: read, then watched, so a
 * change (a new leader) is yielded within milliseconds of the write. Yields on change and after every heartbeat
 * read; an unreachable or hung etcd is yielded as an error (never thrown), and the source recovers by itself
 * when etcd answers again.
 */
export function etcd3Source(options: Etcd3SourceOptions): Source<DcsView> {
	const heartbeatMs = options.heartbeatMs ?? 5000;
	const sessionOptions: SessionOptions = {
		endpoints: options.endpoints,
		username: options.username,
		password: options.password,
		...(options.tls ? {tls: options.tls} : {}),
		requestTimeoutMs: options.requestTimeoutMs ?? 2000,
		prefix: watchedPrefix(options.namespace, options.scope),
		heartbeatMs,
	};
	return async function* etcd3(signal) {
		let session: Etcd3Session | undefined;
		try {
			yield* followDcs(signal, {
				async step() {
					session ??= await openSession(sessionOptions, signal);
					return session.next(signal);
				},
				// A fresh session next time: a new client carries none of the old one's broken state.
				reset() {
					session?.close();
					session = undefined;
				},
				isSame: sameDcsContent,
				heartbeatMs,
			});
		} finally {
			session?.close();
		}
	};
}
