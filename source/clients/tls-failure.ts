/**
 * TLS and authentication failures in words. Node, OpenSSL, grpc-js and etcd each say these in their own way
 * ("14 UNAVAILABLE: No connection established. Last error: Error: unable to verify the first certificate."): this
 * reads the error's code, its message and its causes, and says which setting is wrong. Pure: the clients gather
 * the error (and, where a library hid the reason, a probe's finding as a cause) and the context.
 */
import {X509Certificate} from 'node:crypto';
import type {TlsClientSettings} from './tls-files.js';

/** A probe's findings (tls-probe.ts), put among an error's causes: the endpoint answered plain HTTP, or TLS. */
export const ANSWERS_PLAIN_HTTP = 'PATRONI_TUI_ANSWERS_PLAIN_HTTP';
export const ANSWERS_TLS = 'PATRONI_TUI_ANSWERS_TLS';

export type TlsFailureContext = {
	/** Who was reached, as a sentence's subject: "etcd", "the server". */
	readonly peer: string;
	/** What the endpoint's URL asked for. */
	readonly scheme: 'https' | 'http';
	/** Paths only, for the sentence; the files' contents never go into one. */
	readonly caFile?: string | undefined;
	readonly certFile?: string | undefined;
	readonly keyFile?: string | undefined;
	readonly hasKeyPassword?: boolean;
	/** Whether our client certificate was out of its dates when the failure was judged, and since or until when. */
	readonly clientCertOutOfDate?: {readonly isExpired: boolean; readonly day: string} | undefined;
	/** A user name (never its password) for authentication failures. */
	readonly username?: string | undefined;
};

/** The context for a client that uses these TLS settings, judged now (a server may say only "bad certificate"). */
export function tlsContext(peer: string, scheme: 'https' | 'http', tls: TlsClientSettings | undefined, username?: string, now = Date.now()): TlsFailureContext {
	return {
		peer, scheme, caFile: tls?.ca?.path, certFile: tls?.cert?.path, keyFile: tls?.key?.path, hasKeyPassword: tls?.keyPassword !== undefined, username,
		clientCertOutOfDate: tls?.cert && outOfDate(tls.cert.pem, now),
	};
}

function outOfDate(pem: Buffer, now: number): TlsFailureContext['clientCertOutOfDate'] {
	try {
		const cert = new X509Certificate(pem);
		if (Date.parse(cert.validTo) < now) return {isExpired: true, day: day(cert.validTo)!};
		if (Date.parse(cert.validFrom) > now) return {isExpired: false, day: day(cert.validFrom)!};
	} catch {
		// Not a certificate Node can read: the handshake's own error says so.
	}
	return undefined;
}

/** The parts of Node's peer certificate this reads. */
export type PeerCertificate = {readonly subjectaltname?: string; readonly subject?: {readonly CN?: string | readonly string[]}; readonly valid_from?: string; readonly valid_to?: string};

type Facts = {readonly codes: readonly string[]; readonly text: string; readonly cert?: PeerCertificate; readonly host?: string};

/** Node's messages for its codes, for errors that reach us as text only (grpc-js's "Last error: ..."). */
const CODE_OF_MESSAGE: ReadonlyArray<readonly [RegExp, string]> = [
	[/certificate has expired/i, 'CERT_HAS_EXPIRED'],
	[/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
	[/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
	[/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
	[/^(?:Error: )?self[- ]signed certificate$/im, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
	[/unable to get (?:local )?issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
	[/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
	[/unsuitable certificate purpose/i, 'INVALID_PURPOSE'],
	[/key values mismatch/i, 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'],
	[/bad decrypt/i, 'ERR_OSSL_BAD_DECRYPT'],
];

/** The error, its causes and an AggregateError's errors: every code, all the text, the first certificate and host. */
function factsOf(error: unknown): Facts {
	const codes: string[] = [];
	const texts: string[] = [];
	let cert: PeerCertificate | undefined;
	let host: string | undefined;
	const visit = (value: unknown, depth: number) => {
		if (depth > 6 || value === null || value === undefined) return;
		if (typeof value !== 'object') return void texts.push(String(value));
		const found = value as {code?: unknown; message?: unknown; reason?: unknown; details?: unknown; cert?: PeerCertificate; host?: unknown; cause?: unknown; errors?: unknown};
		if (typeof found.code === 'string') codes.push(found.code);
		for (const text of [found.message, found.reason, found.details]) if (typeof text === 'string') texts.push(text);
		if (found.cert && typeof found.cert === 'object') cert ??= found.cert;
		if (typeof found.host === 'string') host ??= found.host;
		visit(found.cause, depth + 1);
		if (Array.isArray(found.errors)) for (const each of found.errors) visit(each, depth + 1);
	};
	visit(error, 0);
	const text = texts.join('\n');
	// grpc-js writes the cause into its text: "Error [ERR_TLS_CERT_ALTNAME_INVALID]: ..."
	for (const [, code] of text.matchAll(/\[(E[A-Z0-9_]+)\]/g)) codes.push(code!);
	for (const [pattern, code] of CODE_OF_MESSAGE) if (pattern.test(text)) codes.push(code);
	host ??= /(?:IP|Host): ([^\s]+?)\.? is not in the cert's/.exec(text)?.[1];
	return {codes, text, cert, host};
}

const day = (date: string | undefined) => {
	const parsed = date ? new Date(date) : undefined;
	return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString().slice(0, 10) : undefined;
};

/** Every name a certificate is for: its subjectAltName entries, else its CN. */
export function certificateNames(cert: PeerCertificate | undefined): string[] {
	const names = cert?.subjectaltname?.split(', ').map(name => name.replace(/^(DNS|IP Address):/, '')).filter(Boolean) ?? [];
	if (names.length > 0) return names;
	const cn = cert?.subject?.CN;
	return cn === undefined ? [] : [cn].flat();
}

function serverCertificate(facts: Facts, context: TlsFailureContext): string | undefined {
	const has = (...codes: string[]) => codes.some(code => facts.codes.includes(code));
	const certificate = `${context.peer}'s certificate`;
	if (has('CERT_HAS_EXPIRED')) {
		const until = day(facts.cert?.valid_to);
		return `${certificate} has expired${until ? ` (not after ${until})` : ''}`;
	}
	if (has('CERT_NOT_YET_VALID')) {
		const from = day(facts.cert?.valid_from);
		return `${certificate} is not valid yet${from ? ` (not before ${from})` : ''}`;
	}
	const byWhom = context.caFile ? `the CA in ${context.caFile}` : 'any CA Node trusts';
	if (has('DEPTH_ZERO_SELF_SIGNED_CERT')) return `${certificate} is self-signed, not signed by ${byWhom}`;
	if (has('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED')) {
		return `${certificate} is not signed by ${byWhom}`;
	}
	if (has('INVALID_PURPOSE')) return `${certificate} is not one for a server (unsuitable certificate purpose: a CA's own, or a client certificate?)`;
	if (has('ERR_TLS_CERT_ALTNAME_INVALID')) {
		const names = certificateNames(facts.cert);
		const host = facts.host ?? 'the host we dialled';
		return names.length > 0 ? `${certificate} is for ${names.join(', ')}, not ${host}` : `${certificate} is not for ${host}`;
	}
	return undefined;
}

function clientKey(facts: Facts, context: TlsFailureContext): string | undefined {
	const key = context.keyFile ? `the client key ${context.keyFile}` : 'the client key';
	if (facts.codes.includes('ERR_OSSL_X509_KEY_VALUES_MISMATCH')) return `${key} does not belong to the client certificate${context.certFile ? ` ${context.certFile}` : ''}`;
	if (facts.codes.some(code => code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED')) {
		return context.hasKeyPassword ? `${key} is encrypted and the configured password does not open it` : `${key} is encrypted and no password for it is configured`;
	}
	return undefined;
}

/** OpenSSL's alert names, as the server sent them about our side of the handshake. */
function clientCertificate(facts: Facts, context: TlsFailureContext): string | undefined {
	const sent = context.certFile !== undefined;
	const none = `${context.peer} wants a client certificate and none was sent`;
	if (/alert certificate required/i.test(facts.text) || facts.codes.some(code => code.endsWith('_ALERT_CERTIFICATE_REQUIRED'))) return none;
	if (!/alert (?:certificate expired|bad certificate|unknown ca|certificate unknown|unsupported certificate)/i.test(facts.text)) return undefined;
	if (!sent) return none;
	const refused = `${context.peer} refused our client certificate ${context.certFile}`;
	// Go (etcd) answers "bad certificate" for every reason; our certificate's own dates tell one of them.
	const dates = context.clientCertOutOfDate;
	if (dates) return `${refused}: it ${dates.isExpired ? `has expired (not after ${dates.day})` : `is not valid yet (not before ${dates.day})`}`;
	if (/alert certificate expired/i.test(facts.text)) return `${refused}: it has expired`;
	if (/alert unknown ca/i.test(facts.text)) return `${refused} (not signed by a CA it trusts)`;
	return `${refused} (not signed by a CA it trusts, or not one for a client)`;
}

function protocol(facts: Facts, context: TlsFailureContext): string | undefined {
	const plain = `https was used but ${context.peer} answers plain http`;
	if (facts.codes.includes(ANSWERS_PLAIN_HTTP)) return plain;
	if (facts.codes.includes(ANSWERS_TLS) || /alert http request|http request\b.*SSL alert/i.test(facts.text)) return `${context.peer} speaks TLS but the endpoint says http`;
	if (context.scheme === 'https' && /wrong version number|packet length too long|unknown protocol/i.test(facts.text)) return plain;
	if (context.scheme === 'https' && /disconnected before secure TLS connection was established/i.test(facts.text)) {
		return `${context.peer} closed the connection before TLS was set up (does it speak TLS on this port?)`;
	}
	return undefined;
}

/** etcd's (v3 and v2) words for a missing or refused user. */
function authentication(facts: Facts, context: TlsFailureContext): string | undefined {
	const user = context.username ? `the user ${context.username}` : 'the user';
	if (/authentication failed, invalid user ID or password/i.test(facts.text)) return `${context.peer} refused ${user}: wrong password or no such user (authentication failed)`;
	if (/user name is empty|requires user authentication|Insufficient credentials/i.test(facts.text)) {
		return context.username ? `${context.peer} refused ${user}: wrong password or no such user (authentication failed)` : `${context.peer} has authentication on: a user is needed`;
	}
	if (/authentication is not enabled/i.test(facts.text)) return `${context.peer} has authentication off, yet ${user} is configured`;
	if (/etcdserver: permission denied/i.test(facts.text)) return `${user} may not read this in ${context.peer} (permission denied)`;
	return undefined;
}

/** One sentence for a TLS or authentication failure, or undefined when the error is none (refused, timed out...). */
export function tlsFailureText(error: unknown, context: TlsFailureContext): string | undefined {
	const facts = factsOf(error);
	return clientKey(facts, context) ?? serverCertificate(facts, context) ?? clientCertificate(facts, context) ?? protocol(facts, context) ?? authentication(facts, context);
}
