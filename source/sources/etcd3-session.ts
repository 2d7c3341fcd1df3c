import type {Etcd3} from 'etcd3';
import type {DcsView} from '../model/views.js';
import {bounded, createEtcd3Client, type Etcd3ClientOptions} from '../clients/etcd3.js';
import {applyChanges, dcsViewFromKeys, kvFromEtcd, type Etcd3Kv} from './etcd3-view.js';
import {watchPrefix, type PrefixWatch} from './etcd3-watch.js';

export type SessionOptions = Etcd3ClientOptions & {readonly prefix: string; readonly heartbeatMs: number};

/** A view, and whether it comes from a full read (first read, re-read after a broken watch, heartbeat). */
export type SessionUpdate = {readonly view: DcsView; readonly isFullRead: boolean};

export type Etcd3Session = {
	/** The next view: at once after a read, else when the watch brings changes or the next heartbeat is due. */
	next(signal: AbortSignal): Promise<SessionUpdate>;
	/** Cancels the watch, then closes the client: etcd3's close() leaves watch streams open. */
	close(): void;
};

type ScopeState = {readonly keys: ReadonlyMap<string, Etcd3Kv>; readonly revision: string};

/**
 * One client's life: read the scope, watch it from the next revision, apply changes as they come, and read it
 * all again every heartbeat, which both refreshes the leader's TTL and proves etcd still answers (a paused etcd
 * keeps its TCP connections open, so a watch alone would just wait). Any failure is thrown; the owner closes the
 * session and opens a fresh one, which drops the client's state too (circuit breakers, half-dead channels).
 */
export async function openSession(options: SessionOptions, signal: AbortSignal): Promise<Etcd3Session> {
	const {prefix, heartbeatMs, requestTimeoutMs} = options;
	const client = createEtcd3Client(options);
	let watch: PrefixWatch | undefined;
	let state: ScopeState = {keys: new Map(), revision: '0'};
	let readAt = 0;
	let hasUnreported = true;
	// The leader lease's TTL as etcd last said it, and when: costs an RPC, so it is asked on full reads only.
	let leaderLease: {readonly id: string; readonly ttl: number | undefined; readonly at: number} | undefined;

	async function readAll(callSignal: AbortSignal) {
		const response = await bounded('range', requestTimeoutMs, callSignal, () => client.getAll().prefix(prefix).exec(), client);
		state = {keys: new Map(response.kvs.map(kv => [kv.key.toString(), kvFromEtcd(kv)])), revision: response.header.revision};
		readAt = Date.now();
	}

	async function rewatch(callSignal: AbortSignal) {
		watch?.cancel();
		watch = undefined;
		await readAll(callSignal);
		watch = await watchPrefix(client, prefix, (BigInt(state.revision) + 1n).toString(), requestTimeoutMs, callSignal);
	}

	/**
	 * A watched change is yielded without waiting for another round trip: the TTL is counted down from the last
	 * answer. A lease never asked about (a new leader) has no TTL yet; a full read follows at once to ask.
	 */
	async function view(callSignal: AbortSignal, isFullRead: boolean): Promise<DcsView> {
		const lease = state.keys.get(`${prefix}leader`)?.lease;
		if (!lease || lease === '0') leaderLease = undefined;
		else if (isFullRead) leaderLease = {id: lease, ttl: await leaseTtl(client, lease, requestTimeoutMs, callSignal), at: Date.now()};
		else if (leaderLease?.id !== lease) {
			leaderLease = undefined;
			readAt = 0;
		}
		const leaderTtlLeft = leaderLease?.ttl === undefined ? undefined : Math.max(0, leaderLease.ttl - Math.round((Date.now() - leaderLease.at) / 1000));
		return dcsViewFromKeys(prefix, [...state.keys.values()], {revision: state.revision, leaderTtlLeft});
	}

	function close() {
		watch?.cancel();
		watch = undefined;
		client.close();
	}

	try {
		await rewatch(signal);
	} catch (error) {
		close();
		throw error;
	}

	return {
		async next(callSignal) {
			let isFullRead = hasUnreported;
			hasUnreported = false;
			if (!isFullRead) {
				await watch!.wait(Math.max(0, readAt + heartbeatMs - Date.now()), callSignal);
				if (callSignal.aborted) throw new Error('aborted');
				if (watch!.broken() !== undefined) {
					await rewatch(callSignal);
					isFullRead = true;
				}
			}
			const changes = watch!.take();
			if (!isFullRead && Date.now() - readAt >= heartbeatMs) {
				await readAll(callSignal);
				isFullRead = true;
			}
			state = applyChanges(state.keys, state.revision, changes);
			return {view: await view(callSignal, isFullRead), isFullRead};
		},
		close,
	};
}

/** Seconds left on a lease; undefined once it has expired (its keys are about to be deleted). */
async function leaseTtl(client: Etcd3, lease: string, ms: number, signal: AbortSignal): Promise<number | undefined> {
	const response = await bounded('lease time-to-live', ms, signal, () => client.leaseClient.leaseTimeToLive({ID: lease}), client);
	const ttl = Number(response.TTL);
	return ttl >= 0 ? ttl : undefined;
}
