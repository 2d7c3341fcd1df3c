/**
 * The one HTTP client (axios, as the stack decided): Patroni's REST API and HAProxy's stats page, both on
 * loopback. Every status is an answer for the caller to judge (Patroni puts its reasons in 412s and 503s),
 * the body stays text until the caller decides, and every request has a deadline.
 */
import https from 'node:https';
import axios from 'axios';
import {DeadlineExceeded, NEVER_ABORTED, withDeadline} from '../async.js';
import {nodeTlsOptions, type TlsClientSettings} from './tls-files.js';
import {tlsContext, tlsFailureText} from './tls-failure.js';
import {withProbedReason} from './tls-probe.js';

export type HttpRequest = {
	readonly url: string;
	readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Sent as JSON. */
	readonly body?: unknown;
	/** Basic auth; never put into an error message. */
	readonly credentials?: {readonly username: string; readonly password: string} | undefined;
	/** A deadline from the request's start to the end of the answer (not axios' inactivity timer). */
	readonly timeoutMs: number;
	readonly signal?: AbortSignal | undefined;
	/** For an https URL: whom to trust and which client certificate to show; without it, Node's defaults. */
	readonly tls?: TlsClientSettings | undefined;
	/** Who answers, for TLS failures in words ("node1's REST API"); default "the server". */
	readonly peer?: string | undefined;
};

/** One keep-alive agent per TLS setting: a setting is made once per config, so this holds a handful at most. */
const agents = new WeakMap<TlsClientSettings, https.Agent>();

function httpsAgentFor(tls: TlsClientSettings | undefined): https.Agent | undefined {
	if (!tls) return undefined;
	let agent = agents.get(tls);
	if (!agent) {
		agent = new https.Agent({keepAlive: true, ...nodeTlsOptions(tls)});
		agents.set(tls, agent);
	}
	return agent;
}

export type HttpAnswer = {readonly status: number; readonly statusText: string; readonly text: string};

/** Patroni's answers are far smaller; anything bigger is not one of them. */
const MAX_ANSWER_BYTES = 16 << 20;

export async function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
	const {url, method = 'GET', credentials, timeoutMs, signal} = request;
	try {
		// withDeadline gives up at the deadline or the caller's abort even if axios were still waiting; the signal it
		// hands axios destroys the socket at that moment, so nothing is left behind either.
		const response = await withDeadline(timeoutMs, signal ?? NEVER_ABORTED, deadline => withProbedReasons(request, deadline, () => axios.request<string>({
			url,
			method,
			data: request.body,
			auth: credentials && {username: credentials.username, password: credentials.password},
			signal: deadline,
			httpsAgent: httpsAgentFor(request.tls),
			responseType: 'text',
			// The text as sent: the caller parses it, and Patroni answers some requests in plain text.
			transformResponse: (data: unknown) => data as string,
			validateStatus: () => true,
			maxContentLength: MAX_ANSWER_BYTES,
			// Loopback only: never through an HTTP proxy from the environment, and never on to wherever a redirect
			// points (with the credentials). Patroni and HAProxy do not redirect, so a 3xx is an answer to show as it
			// is. Without redirects axios also skips its follow-redirects wrapper: 1.2–1.5 ms of CPU a request, not 1.6.
			proxy: false,
			maxRedirects: 0,
		})));
		return {status: response.status, statusText: response.statusText, text: response.data ?? ''};
	} catch (error) {
		throw new Error(failureText(error, request));
	}
}

/** Node leaves out a certificate's dates and what a hung-up endpoint speaks: a probe within the deadline finds them. */
async function withProbedReasons<T>(request: HttpRequest, deadline: AbortSignal, call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (error) {
		throw await withProbedReason(error, new URL(request.url), request.tls, deadline);
	}
}

/** One short sentence, the same whichever layer failed; axios' config (with the credentials) stays out of it. */
function failureText(error: unknown, request: HttpRequest): string {
	const {timeoutMs, signal} = request;
	if (error instanceof DeadlineExceeded) return error.message;
	if (signal?.aborted || axios.isCancel(error)) return 'aborted';
	const code = (error as {code?: string}).code;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
	const scheme = request.url.startsWith('https:') ? 'https' : 'http';
	const said = tlsFailureText(error, tlsContext(request.peer ?? 'the server', scheme, request.tls));
	return said ?? (error instanceof Error ? error.message : String(error));
}

/** The body as JSON when it is JSON, else the text as written. */
export function jsonOrText(text: string): unknown {
	const trimmed = text.trim();
	if (!/^[[{"]/.test(trimmed)) return text;
	try {
		return JSON.parse(trimmed) as unknown;
	} catch {
		return text;
	}
}
