/**
 * A one-off look at an endpoint whose library hid why it failed: grpc-js says "Last error: null" when a second
 * channel (etcd3's auth one) shares a subchannel that failed before, and "Failed to connect" for a TLS server
 * spoken to in plain text. One TLS handshake (and, if that is cut off, one plain HTTP request) made with the
 * client's own settings says what it was. Never rejects; ends at the caller's signal.
 */
import net from 'node:net';
import tls from 'node:tls';
import {ANSWERS_PLAIN_HTTP, ANSWERS_TLS} from './tls-failure.js';
import {nodeTlsOptions, VERIFY_FULLY, type TlsClientSettings} from './tls-files.js';

export type ProbeTarget = {readonly host: string; readonly port: number; readonly expectsTls: boolean; readonly tls?: TlsClientSettings | undefined};

/** How long a finished handshake is watched for the server's alert about our client certificate (TLS 1.3 sends it after). */
const ALERT_WAIT_MS = 300;

const finding = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), {code, ...extra});

/** An error that says what went wrong (with the peer's certificate where it helps), or undefined when nothing did. */
export async function probeTls(target: ProbeTarget, signal: AbortSignal): Promise<Error | undefined> {
	const handshake = await tlsHandshake(target, signal);
	if (!target.expectsTls) return handshake.kind === 'secure' ? finding(ANSWERS_TLS, 'the endpoint answered a TLS handshake') : undefined;
	if (handshake.kind !== 'failed') return handshake.kind === 'secure' ? handshake.error : undefined;
	const {error} = handshake;
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ECONNRESET' && !signal.aborted && (await answersPlainHttp(target, signal))) {
		return finding(ANSWERS_PLAIN_HTTP, 'the endpoint answered plain HTTP', {cause: error});
	}
	return error;
}

type Handshake = {readonly kind: 'failed'; readonly error: Error} | {readonly kind: 'secure'; readonly error?: Error | undefined} | {readonly kind: 'aborted'};

function tlsHandshake(target: ProbeTarget, signal: AbortSignal): Promise<Handshake> {
	const settings = target.tls ?? VERIFY_FULLY;
	return new Promise(resolve => {
		let timer: NodeJS.Timeout | undefined;
		let isSecure = false;
		let isDone = false;
		const end = (result: Handshake) => {
			if (isDone) return;
			isDone = true;
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			socket.destroy();
			resolve(result);
		};
		const onAbort = () => end({kind: 'aborted'});
		// Verified by hand below, so the certificate is there to name in the sentence.
		const socket = tls.connect({
			host: target.host,
			port: target.port,
			...(net.isIP(target.host) ? {} : {servername: target.host}),
			...nodeTlsOptions(settings),
			rejectUnauthorized: false,
			checkServerIdentity: () => undefined,
		});
		socket.once('error', error => end(isSecure ? {kind: 'secure', error} : {kind: 'failed', error}));
		socket.once('secureConnect', () => {
			isSecure = true;
			const cert = socket.getPeerCertificate();
			if (settings.verifyServer && !socket.authorized) {
				const code = String(socket.authorizationError);
				return end({kind: 'secure', error: finding(code, code, {cert, host: target.host})});
			}
			const wrongName = settings.verifyServer && settings.verifyHostname ? tls.checkServerIdentity(target.host, cert) : undefined;
			if (wrongName) return end({kind: 'secure', error: wrongName});
			timer = setTimeout(() => end({kind: 'secure'}), ALERT_WAIT_MS);
		});
		socket.once('close', () => end(isSecure ? {kind: 'secure'} : {kind: 'failed', error: finding('ECONNRESET', 'closed during the TLS handshake')}));
		signal.addEventListener('abort', onAbort, {once: true});
		if (signal.aborted) onAbort();
	});
}

/** Whether the endpoint answers an HTTP/1.0 request in plain text. */
function answersPlainHttp(target: ProbeTarget, signal: AbortSignal): Promise<boolean> {
	return new Promise(resolve => {
		const end = (answer: boolean) => {
			signal.removeEventListener('abort', onAbort);
			socket.destroy();
			resolve(answer);
		};
		const onAbort = () => end(false);
		const socket = net.connect({host: target.host, port: target.port}, () => socket.write(`GET / HTTP/1.0\r\nHost: ${target.host}\r\n\r\n`));
		socket.once('data', (chunk: Buffer) => end(chunk.subarray(0, 5).toString('latin1') === 'HTTP/'));
		socket.once('error', () => end(false));
		socket.once('close', () => end(false));
		signal.addEventListener('abort', onAbort, {once: true});
		if (signal.aborted) onAbort();
	});
}

/** Node's errors that leave out what a probe can tell: the certificate's dates, or what a hung-up endpoint speaks. */
function hidesReason(error: unknown, expectsTls: boolean): boolean {
	const {code} = error as {code?: unknown};
	if (expectsTls && (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')) return true;
	// https: reset in the handshake (a plain server does that); http: hung up on (a TLS server does that). Which
	// words Node uses for the reset ("read ECONNRESET", "disconnected before secure TLS ...") depends on timing.
	return code === 'ECONNRESET';
}

/**
 * For Node's own clients (https, http): the error with a probe's finding as its cause when Node's words leave the
 * reason out, else the error as it was. The probe runs within the caller's signal, so within its deadline.
 */
export async function withProbedReason(error: unknown, url: URL, tls: TlsClientSettings | undefined, signal: AbortSignal): Promise<unknown> {
	const expectsTls = url.protocol === 'https:';
	if (!hidesReason(error, expectsTls) || signal.aborted || typeof error !== 'object' || error === null) return error;
	const port = Number(url.port) || (expectsTls ? 443 : 80);
	const found = await probeTls({host: url.hostname.replace(/^\[|\]$/g, ''), port, expectsTls, tls}, signal);
	return found ? Object.assign(error, {cause: found}) : error;
}
