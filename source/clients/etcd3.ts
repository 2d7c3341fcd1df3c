import {Etcd3, Range, type IOptions} from 'etcd3';
import {withDeadline} from '../async.js';
import {errorMessage} from '../errors.js';
import type {TlsClientSettings} from './tls-files.js';

export type Etcd3ClientOptions = {
	readonly endpoints: readonly string[];
	readonly requestTimeoutMs: number;
	readonly username?: string;
	readonly password?: string;
	/** For https endpoints: the CA and client certificate (etcd's --client-cert-auth). */
	readonly tls?: TlsClientSettings;
};

/**
 * gRPC's TLS for https endpoints: the CA (none: Node's store, which grpc-js takes from a null root), the client
 * certificate and key. etcd3 then speaks TLS to every host, so the caller never mixes schemes (resolve-config.ts
 * refuses that). Plain http endpoints get no TLS even with files configured, as python-etcd ignores them there.
 */
function grpcCredentials(options: Etcd3ClientOptions): IOptions['credentials'] {
	const {tls} = options;
	if (!tls || !options.endpoints.some(endpoint => endpoint.startsWith('https:'))) return undefined;
	if (!tls.ca && !tls.cert) return undefined;
	// The type wants a root; grpc-js's createSsl takes null as "the default roots".
	return {rootCertificate: tls.ca?.pem ?? (null as unknown as Buffer), ...(tls.cert && tls.key ? {certChain: tls.cert.pem, privateKey: tls.key.pem} : {})};
}

/**
 * An etcd3 client that cannot stall silently. Out of the box it has no call deadline and no keepalive, so a
 * hung etcd (paused container, dead peer behind a live TCP proxy) leaves calls and streams waiting forever.
 */
export function createEtcd3Client(options: Etcd3ClientOptions): Etcd3 {
	const {requestTimeoutMs} = options;
	return new Etcd3({
		hosts: [...options.endpoints],
		auth: options.username ? {username: options.username, password: options.password ?? ''} : undefined,
		credentials: grpcCredentials(options),
		// Streams (the watch) must live on; every unary call, the auth exchange included, gets a deadline.
		defaultCallOptions: context => (context.isStream ? {} : {deadline: Date.now() + requestTimeoutMs}),
		grpcOptions: {
			// etcd answers pings sent more often than every 5 s (--grpc-keepalive-min-time) with GOAWAY.
			'grpc.keepalive_time_ms': 10_000,
			'grpc.keepalive_timeout_ms': 5000,
			'grpc.keepalive_permit_without_calls': 1,
		},
	});
}

/**
 * Bounds a whole call, and names it in the error. The per-call deadline alone is not enough: etcd3's global
 * retry policy may run a call three times, each attempt with a deadline of its own.
 */
export async function bounded<T>(what: string, ms: number, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
	try {
		return await withDeadline(ms, signal, call);
	} catch (error) {
		// grpc-js ends some messages with an empty "Resolution note: ", which is noise on a dashboard.
		throw new Error(`etcd ${what}: ${errorMessage(error).replace(/\s*Resolution note:\s*$/, '')}`);
	}
}

/** The key range etcd calls "every key under `prefix`": from the prefix to the prefix with its last byte raised. */
export function prefixRange(prefix: string): {readonly start: Buffer; readonly end: Buffer} {
	const {start, end} = Range.prefix(prefix);
	return {start, end};
}
