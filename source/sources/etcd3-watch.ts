import type {Etcd3, IWatchResponse} from 'etcd3';
import {Bell} from '../async.js';
import {bounded, etcd3FailureText, prefixRange} from '../clients/etcd3.js';
import {kvFromEtcd, type KeyChange} from './etcd3-view.js';

/**
 * A watch on one key prefix, on a gRPC stream of its own. It does not reconnect: once it breaks (stream error
 * or end, or etcd cancelling it, e.g. because its start revision was compacted) the owner re-reads and watches
 * again from the new revision, so nothing is missed and nothing hides in a library's reconnect loop.
 */
export type PrefixWatch = {
	/** The changes that arrived since the last call. */
	take(): KeyChange[];
	/** Why the watch stopped; undefined while it runs. */
	broken(): string | undefined;
	/** Resolves when changes arrive or the watch breaks, after `ms`, or when `signal` aborts. */
	wait(ms: number, signal: AbortSignal): Promise<void>;
	/** Cancels the call on our side: needs no answer from etcd, so a hung etcd cannot hold it open. */
	cancel(): void;
};

/**
 * Starts watching `prefix` from `fromRevision`, on etcd3's raw watch stream rather than its WatchBuilder. The
 * builder's `create()` can wait forever for etcd's "created"; its `cancel()` waits for etcd's answer, so it hangs
 * while etcd does; and its manager keeps reconnecting on timers that outlive `close()`. Here "created" has a
 * deadline, and cancelling is local.
 */
export async function watchPrefix(client: Etcd3, prefix: string, fromRevision: string, timeoutMs: number, signal: AbortSignal): Promise<PrefixWatch> {
	const opening = client.watchClient.watch();
	const stream = await bounded('watch', timeoutMs, signal, () => opening, client).catch((error: unknown) => {
		// A stream that turns up after we gave up on it must still be closed, or it keeps the process alive.
		void opening.then(closeStream, () => undefined);
		throw error;
	});
	let changes: KeyChange[] = [];
	let reason: string | undefined;
	const arrived = new Bell();
	let onCreated: ((error?: Error) => void) | undefined;
	const notify = () => arrived.ring();
	const breakWith = (why: string) => {
		reason ??= why;
		onCreated?.(new Error(why));
		notify();
	};

	stream.on('data', (response: IWatchResponse) => {
		if (response.canceled) {
			const compacted = response.compact_revision && response.compact_revision !== '0' ? ` (compacted at ${response.compact_revision})` : '';
			breakWith(`etcd cancelled the watch: ${response.cancel_reason || 'no reason given'}${compacted}`);
			return;
		}
		if (response.created) onCreated?.();
		if (response.events.length === 0) return;
		changes.push(...response.events.map(event => ({type: event.type === 'Delete' ? ('delete' as const) : ('put' as const), kv: kvFromEtcd(event.kv)})));
		notify();
	});
	stream.on('error', error => breakWith(etcd3FailureText(client, error)));
	stream.on('end', () => breakWith('etcd ended the watch stream'));

	const range = prefixRange(prefix);
	const created = new Promise<void>((resolve, reject) => {
		onCreated = error => (error ? reject(error) : resolve());
	});
	stream.write({create_request: {key: range.start, range_end: range.end, start_revision: fromRevision}});
	try {
		await bounded('watch create', timeoutMs, signal, () => created, client);
	} catch (error) {
		closeStream(stream);
		throw error;
	} finally {
		onCreated = undefined;
	}

	return {
		take() {
			const taken = changes;
			changes = [];
			return taken;
		},
		broken: () => reason,
		async wait(ms, waitSignal) {
			if (changes.length > 0 || reason !== undefined) return;
			await arrived.wait(ms, waitSignal);
		},
		cancel() {
			reason ??= 'cancelled';
			closeStream(stream);
		},
	};
}

/**
 * Half-closes, then cancels. Ending first matters: etcd3 treats an error on a still-writable stream as a failed
 * host, resetting its connections and counting towards its circuit breaker, and our own cancel is no failure.
 */
function closeStream(stream: {end(): void; cancel(): void}) {
	stream.end();
	stream.cancel();
}
