import {Etcd3, Range, type IOptions} from 'etcd3';
import {withDeadline} from '../async.js';
import {errorMessage} from '../errors.js';
import type {TlsClientSettings} from './tls-files.js';
import {tlsContext, tlsFailureText, type TlsFailureContext} from './tls-failure.js';
import {probeTls, type ProbeTarget} from './tls-probe.js';

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
	let client: Etcd3;
	try {
		client = newClient(options, requestTimeoutMs);
	} catch (error) {
		// grpc-js reads the client key at once: a wrong or encrypted one fails here, before any call.
		throw new Error(tlsFailureText(error, contextOf(options)) ?? errorMessage(error), {cause: error});
	}
	clientOptions.set(client, options);
	return client;
}

function newClient(options: Etcd3ClientOptions, requestTimeoutMs: number): Etcd3 {
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

/** The options each client was made with, for the words of its failures. */
const clientOptions = new WeakMap<Etcd3, Etcd3ClientOptions>();

function contextOf(options: Etcd3ClientOptions): TlsFailureContext {
	const scheme = options.endpoints.some(endpoint => endpoint.startsWith('https:')) ? 'https' : 'http';
	return tlsContext('etcd', scheme, options.tls, options.username);
}

/** A TLS or authentication failure in words, else the error's own text; no probe (for a watch stream's error). */
export function etcd3FailureText(client: Etcd3, error: unknown): string {
	const options = clientOptions.get(client);
	return (options && tlsFailureText(error, contextOf(options))) ?? errorMessage(error);
}

/** grpc-js's "No connection established" may hide its reason ("Last error: null"); a refused port hides none. */
const mayHideReason = (error: unknown) => /No connection established/.test(errorMessage(error)) && !/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(errorMessage(error));

function probeTargets(options: Etcd3ClientOptions): ProbeTarget[] {
	return options.endpoints.slice(0, 3).map(endpoint => {
		const url = new URL(/^[a-z]+:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`);
		return {host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 2379, expectsTls: url.protocol === 'https:', tls: options.tls};
	});
}

/** The error with its reason said, by its own text or else by probing the endpoints within the call's deadline. */
async function explained(error: unknown, options: Etcd3ClientOptions, signal: AbortSignal): Promise<unknown> {
	const context = contextOf(options);
	const said = tlsFailureText(error, context);
	if (!mayHideReason(error)) return said ? new Error(said, {cause: error}) : error;
	const findings = await Promise.all(probeTargets(options).map(target => probeTls(target, signal)));
	const probed = findings.map(found => found && tlsFailureText(found, context)).find(Boolean);
	const text = probed ?? said;
	return text ? new Error(text, {cause: error}) : error;
}

/**
 * Bounds a whole call, and names it in the error. The per-call deadline alone is not enough: etcd3's global
 * retry policy may run a call three times, each attempt with a deadline of its own. Given the client, a TLS or
 * authentication failure is said in words (the library's text stays as the error's cause).
 */
export async function bounded<T>(what: string, ms: number, signal: AbortSignal, call: () => Promise<T>, client?: Etcd3): Promise<T> {
	const options = client && clientOptions.get(client);
	try {
		return await withDeadline(ms, signal, async deadline => {
			try {
				return await call();
			} catch (error) {
				throw options ? await explained(error, options, deadline) : error;
			}
		});
	} catch (error) {
		// grpc-js ends some messages with an empty "Resolution note: ", which is noise on a dashboard.
		throw new Error(`etcd ${what}: ${errorMessage(error).replace(/\s*Resolution note:\s*$/, '')}`, {cause: error});
	}
}

/** The key range etcd calls "every key under `prefix`": from the prefix to the prefix with its last byte raised. */
export function prefixRange(prefix: string): {readonly start: Buffer; readonly end: Buffer} {
	const {start, end} = Range.prefix(prefix);
	return {start, end};
}
