import type {RestView} from '../model/views.js';
import {PatroniClient, restBaseUrl, type RestCredentials} from '../clients/patroni.js';
import type {PatroniCluster, PatroniHistoryLine} from '../clients/patroni-types.js';
import {withDeadline} from '../async.js';
import {clusterTimeline, historyCovers, restTargets, type RestTarget} from './rest-members.js';
import {pollSource, type Source} from './source.js';
import {errorMessage} from '../errors.js';
import type {Pace} from './cadence.js';
import {keepAt} from './stable-at.js';
import type {TlsClientSettings} from '../clients/tls-files.js';

export type RestSourceOptions = {
	/** REST base URLs (http://127.0.0.1:8008) to ask for /cluster; each is also polled itself. */
	/** Fixed, or asked every poll (the members' api_url from the DCS when no REST address was given). */
	readonly seeds: readonly string[] | (() => readonly string[]);
	/** Milliseconds between polls, or a pace: fast while anything happens, slower when calm. */
	readonly interval: number | Pace;
	/** Deadline of every request. */
	readonly timeoutMs: number;
	readonly credentials?: RestCredentials | undefined;
	readonly tls?: TlsClientSettings | undefined;
	/** /history and /config rarely change: asked every this many polls (default 5), and when the timeline moves. */
	readonly slowEvery?: number;
	readonly heartbeatMs?: number;
	/**
	 * The cluster's scope: a REST API whose GET /patroni names another (a stale api_url, a seed of another cluster)
	 * is that cluster's, so its /cluster is not taken and its member entry says whose it is.
	 */
	readonly scope?: string;
};

/** How a member entry says its REST API is another cluster's (the alert words it as such, not as "does not answer"). */
export const OTHER_SCOPE = 'answers for scope';

type MemberEntry = RestView['members'][string];

/**
 * Every member's Patroni REST API, asked directly each poll: /cluster from the first seed that answers, then
 * /patroni from every member at once. A member that does not answer is an entry with an error, not a failure.
 */
export function restSource(options: RestSourceOptions): Source<RestView> {
	return signal => {
		const poller = new RestPoller(options);
		return pollSource(read => poller.read(read), options.interval, options.heartbeatMs)(signal);
	};
}

class RestPoller {
	readonly #clients = new Map<string, PatroniClient>();
	#seeds(): readonly string[] {
		const {seeds} = this.options;
		return typeof seeds === 'function' ? seeds() : seeds;
	}

	/** Names learnt from GET /patroni (Patroni 4 says who it is) for seeds /cluster does not list. */
	readonly #names = new Map<string, string>();
	#preferred: string | undefined;
	#lastCluster: PatroniCluster | undefined;
	#members: RestView['members'] = {};
	#history: readonly PatroniHistoryLine[] | undefined;
	#config: Record<string, unknown> | undefined;
	#slowTimeline: number | undefined;
	/** URLs whose /patroni named another scope: never asked for /cluster again. */
	readonly #otherScope = new Set<string>();
	#pollsSinceSlow = Number.POSITIVE_INFINITY;

	constructor(readonly options: RestSourceOptions) {}

	async read(signal: AbortSignal): Promise<RestView> {
		let asked = await this.#cluster(signal);
		const lastCluster = this.#lastCluster;
		if (asked) this.#lastCluster = asked.cluster;
		// Without a fresh /cluster, keep polling the members the last one named, under the same names.
		const targets = restTargets(this.#lastCluster, this.#seeds(), this.#names);
		const timeline = clusterTimeline(asked?.cluster);
		this.#pollsSinceSlow++;
		const isSlowDue =
			this.#pollsSinceSlow >= (this.options.slowEvery ?? 5) || timeline !== this.#slowTimeline || !historyCovers(this.#history, timeline);
		const [entries] = await Promise.all([
			Promise.all(targets.map(async target => this.#member(target, signal))),
			asked && isSlowDue ? this.#slow(asked.from, timeline, signal) : undefined,
		]);
		// No member ever reached (a wrong scheme, CA or port from the start): the entries are only addresses, which no
		// member row can show, so the source itself says why. Once a /cluster was seen, a member that stops answering
		// is its own row's error instead.
		// The /cluster came from another cluster's member (known only once its /patroni was read): not ours.
		if (asked && this.#otherScope.has(asked.from)) [asked, this.#lastCluster] = [undefined, lastCluster];
		const failed = entries.map(([, entry]) => entry.error).filter((error): error is string => error !== undefined);
		if (!this.#lastCluster && failed.length > 0 && failed.length === entries.length) {
			const isOthers = failed.every(error => error.includes(` ${OTHER_SCOPE} `));
			throw new Error(isOthers ? `no REST API of ${this.options.scope}: ${failed[0]}` : `no member's REST API answered: ${failed[0]}`);
		}
		const members: Record<string, MemberEntry> = {};
		// /cluster's members come first: a seed that turns out to be one of them under another URL must not override.
		for (const [key, entry] of entries) if (!(key in members)) members[key] = keepAt(this.#members[key], entry);
		this.#members = members;
		return {
			...(asked ? {cluster: asked.cluster, clusterFrom: asked.from} : {}),
			members,
			...(this.#history ? {history: this.#history} : {}),
			...(this.#config ? {config: this.#config} : {}),
		};
	}

	#client(url: string): PatroniClient {
		let client = this.#clients.get(url);
		if (!client) {
			// The client's own timeout is only a backstop: withDeadline answers first, with one clear message.
			client = new PatroniClient(url, {timeoutMs: this.options.timeoutMs + 1000, credentials: this.options.credentials, tls: this.options.tls});
			this.#clients.set(url, client);
		}
		return client;
	}

	#get<T>(url: string, signal: AbortSignal, call: (client: PatroniClient, signal: AbortSignal) => Promise<T>): Promise<T> {
		return withDeadline(this.options.timeoutMs, signal, deadline => call(this.#client(url), deadline));
	}

	/** The seed that answered last time goes first, alone; if it fails, all the others race and the first answer wins. */
	async #cluster(signal: AbortSignal): Promise<{cluster: PatroniCluster; from: string} | undefined> {
		const known = (this.#lastCluster?.members ?? []).flatMap(member => (member.api_url ? [restBaseUrl(member.api_url)] : []));
		const [first, ...others] = [...new Set([this.#preferred, ...this.#seeds().map(restBaseUrl), ...known])].filter(
			(url): url is string => url !== undefined && !this.#otherScope.has(url),
		);
		if (first === undefined) return undefined;
		const ask = async (url: string, race: AbortSignal) => ({cluster: await this.#get(url, race, (client, s) => client.cluster(s)), from: url});
		let answer: {cluster: PatroniCluster; from: string} | undefined;
		try {
			answer = await ask(first, signal);
		} catch {
			if (others.length === 0) return undefined;
			const race = new AbortController();
			const stopRace = () => race.abort();
			signal.addEventListener('abort', stopRace, {once: true});
			try {
				answer = await Promise.any(others.map(async url => ask(url, race.signal)));
			} catch {
				return undefined;
			} finally {
				stopRace();
				signal.removeEventListener('abort', stopRace);
			}
		}
		this.#preferred = answer.from;
		return answer;
	}

	async #member(target: RestTarget, signal: AbortSignal): Promise<[string, MemberEntry]> {
		const {name, url} = target;
		if (url === undefined) return [name!, {error: 'no api_url in /cluster', at: Date.now()}];
		try {
			const status = await this.#get(url, signal, (client, s) => client.status(s));
			const theirs = status.patroni?.scope;
			if (this.options.scope && theirs !== undefined && theirs !== this.options.scope) {
				this.#otherScope.add(url);
				return [name ?? url, {error: `${url} ${OTHER_SCOPE} ${theirs}, not ${this.options.scope}`, at: Date.now()}];
			}
			this.#otherScope.delete(url);
			const named = name ?? status.patroni?.name;
			if (named && !name) this.#names.set(url, named);
			return [named ?? url, {status, at: Date.now()}];
		} catch (error) {
			return [name ?? url, {error: errorMessage(error), at: Date.now()}];
		}
	}

	/** A failed /history or /config keeps the last good one; they are asked again next poll. */
	async #slow(url: string, timeline: number | undefined, signal: AbortSignal): Promise<void> {
		const [history, config] = await Promise.allSettled([
			this.#get(url, signal, (client, s) => client.history(s)),
			this.#get(url, signal, (client, s) => client.config(s)),
		]);
		if (history.status === 'fulfilled' && Array.isArray(history.value)) this.#history = history.value;
		if (config.status === 'fulfilled') this.#config = config.value;
		if (history.status === 'fulfilled' && config.status === 'fulfilled') {
			this.#slowTimeline = timeline;
			this.#pollsSinceSlow = 0;
		}
	}
}
