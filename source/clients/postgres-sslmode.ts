/**
 * libpq's sslmode over node-postgres, which knows only "SSL or not" (with `ssl` set, a server that says no to SSL is
 * an error, and there is no second try). libpq's own order (fe-connect.c, PQconnectPoll, PostgreSQL 15): allow tries
 * plain first and again with SSL when the server answers the startup with an error; prefer tries SSL first and again
 * plain when the server does not do SSL, the handshake fails or the server answers with an error; the others make
 * one attempt. A timeout or a refused TCP connection is never tried again, in any mode.
 */
import tls, {type ConnectionOptions} from 'node:tls';
import pg from 'pg';
import type {PostgresSslUse} from '../model/views.js';
import type {PostgresSsl} from './postgres-ssl.js';
import {nodeTlsOptions} from './tls-files.js';
import {certificateNames, tlsContext, tlsFailureText, type PeerCertificate} from './tls-failure.js';

/** pg's `ssl` for one attempt: false for a plain one, else the certificates and how far to verify. */
export function pgSslOption(ssl: PostgresSsl, useSsl: boolean): false | ConnectionOptions {
	return useSsl ? nodeTlsOptions(ssl.tls) : false;
}

type Failure = 'no SSL on the server' | 'handshake' | 'server error' | 'other';

/** One attempt's failure, and what libpq would make of it. */
export class AttemptFailure extends Error {
	constructor(
		override readonly cause: unknown,
		readonly failure: Failure,
	) {
		super(cause instanceof Error ? cause.message : String(cause));
	}
}

const NO_SSL = 'The server does not support SSL connections';

/**
 * Watches one client's connect: `failure(error)` says whether the server refused SSL, the TLS handshake failed (it
 * began with pg's 'sslconnect' and never reached the socket's 'secureConnect'), or the server answered with an error.
 */
export function watchAttempt(client: pg.Client): (error: unknown) => AttemptFailure {
	let isHandshaking = false;
	client.connection.once('sslconnect', () => {
		isHandshaking = true;
		client.connection.stream.once('secureConnect', () => (isHandshaking = false));
	});
	return error => {
		const message = error instanceof Error ? error.message : '';
		if (error instanceof pg.DatabaseError) return new AttemptFailure(error, 'server error');
		if (message === NO_SSL) return new AttemptFailure(error, 'no SSL on the server');
		// pg's connect timer destroys the socket with this; a timeout is never a reason to try again.
		if (isHandshaking && message !== 'timeout expired') return new AttemptFailure(error, 'handshake');
		return new AttemptFailure(error, 'other');
	};
}

function isWorthAnotherTry(ssl: PostgresSsl, failure: Failure): boolean {
	if (ssl.mode === 'allow') return failure === 'server error';
	if (ssl.mode === 'prefer') return failure !== 'other';
	return false;
}

/** Both tries' reasons, as libpq lists them; the first alone when the second said the same. */
function bothFailed(first: AttemptFailure, second: unknown, secondWith: string, ssl: PostgresSsl): unknown {
	const error = second instanceof AttemptFailure ? second.cause : second;
	if (first.failure === 'no SSL on the server' || !(error instanceof Error) || error.message === first.message) return error;
	const said = second instanceof AttemptFailure ? explained(second, ssl, false) : error.message;
	// The last error keeps its class and SQLSTATE (callers look at them); its message tells both tries.
	error.message = `${explained(first, ssl, false)}; ${secondWith}: ${said}`;
	return error;
}

/** pg's words for an SSL failure say what broke; these say which setting it comes from (the sslmode, when `isOnlyTry`). */
function explained(failure: AttemptFailure, ssl: PostgresSsl, isOnlyTry: boolean): string {
	if (failure.failure === 'no SSL on the server' && isOnlyTry) return `the server does not support SSL, but sslmode ${ssl.mode} requires it`;
	if (failure.failure !== 'handshake') return failure.message;
	const code = (failure.cause as NodeJS.ErrnoException).code;
	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `SSL: ${wrongHost(failure.cause as AltnameError)} (sslmode verify-full checks the host name)`;
	if (code === 'CERT_HAS_EXPIRED') return `SSL: the server's certificate has expired`;
	if (code && /ISSUER|SELF_SIGNED|VERIFY_LEAF|SIGNATURE/.test(code)) {
		return `SSL: the server's certificate is not signed by a CA of sslrootcert (${failure.message})`;
	}
	// The client certificate's side (pg_hba's clientcert), a wrong protocol, a key that does not open: tls-failure's words.
	const said = tlsFailureText(failure.cause, tlsContext('the server', 'https', ssl.tls));
	return `SSL: ${said ?? failure.message}`;
}

type AltnameError = Error & {readonly host?: string; readonly cert?: PeerCertificate};

/** Node names only the certificate's IP entries for an IP host ("not in the cert's list: "): say every name it has. */
function wrongHost(error: AltnameError): string {
	const names = certificateNames(error.cert);
	return `the server's certificate is for ${names.length > 0 ? names.join(', ') : 'another name'}, not ${error.host ?? 'this host'}`;
}

/**
 * The one try's error: the server's own (with its class and SQLSTATE), else in words. TLS 1.3 finishes the
 * handshake before the server has judged our certificate, so its "unknown ca" alert comes as an 'other' failure.
 */
function lastError(failure: AttemptFailure, ssl: PostgresSsl): unknown {
	if (failure.failure === 'server error') return failure.cause;
	if (failure.failure !== 'other') return new Error(explained(failure, ssl, true), {cause: failure.cause});
	const said = ssl.mode === 'disable' ? undefined : tlsFailureText(failure.cause, tlsContext('the server', 'https', ssl.tls));
	return said ? new Error(`SSL: ${said}`, {cause: failure.cause}) : failure.cause;
}

/** Connects in the settings' sslmode: one attempt, or two where libpq makes two. Each attempt keeps its own deadline. */
export async function connectInSslMode(ssl: PostgresSsl, attempt: (useSsl: boolean) => Promise<pg.Client>, isAborted: () => boolean): Promise<pg.Client> {
	const firstWithSsl = ssl.mode !== 'disable' && ssl.mode !== 'allow';
	try {
		return await attempt(firstWithSsl);
	} catch (error) {
		if (!(error instanceof AttemptFailure)) throw error;
		if (isAborted() || !isWorthAnotherTry(ssl, error.failure)) throw lastError(error, ssl);
		try {
			return await attempt(!firstWithSsl);
		} catch (second) {
			throw bothFailed(error, second, firstWithSsl ? 'without SSL' : 'with SSL', ssl);
		}
	}
}

/** What a connected client's socket actually does: the TLS version after a handshake, else none. */
export function sslInUse(client: pg.Client, ssl: PostgresSsl): PostgresSslUse {
	const stream: unknown = client.connection.stream;
	const protocol = stream instanceof tls.TLSSocket ? stream.getProtocol() : null;
	if (!protocol) return {protocol: null, verified: 'none'};
	return {protocol, verified: !ssl.tls.verifyServer ? 'none' : ssl.tls.verifyHostname ? 'full' : 'chain'};
}
