import type {PatroniCluster, PatroniHistoryLine} from '../clients/patroni-types.js';
import {restBaseUrl} from '../clients/patroni.js';

/** Who to ask for GET /patroni: `name` when /cluster (now or earlier) named it, else only the URL. */
export type RestTarget = {readonly name?: string; readonly url?: string};

/**
 * Every member /cluster lists (by name, even one without an api_url: it is drawn as unreachable) plus every seed
 * it does not list. A seed's name, when an earlier /cluster gave it one, is kept so keys don't flip to URLs
 * the moment /cluster stops answering.
 */
export function restTargets(cluster: PatroniCluster | undefined, seeds: readonly string[], names: ReadonlyMap<string, string>): RestTarget[] {
	const targets: RestTarget[] = [];
	const urls = new Set<string>();
	for (const member of cluster?.members ?? []) {
		const url = member.api_url ? restBaseUrl(member.api_url) : undefined;
		if (url) urls.add(url);
		targets.push(url ? {name: member.name, url} : {name: member.name});
	}
	for (const seed of seeds.map(restBaseUrl)) {
		if (urls.has(seed)) continue;
		urls.add(seed);
		const name = names.get(seed);
		targets.push(name ? {name, url: seed} : {url: seed});
	}
	return targets;
}

/** The highest timeline /cluster reports, if it reports any (Patroni 1.6 may not). */
export function clusterTimeline(cluster: PatroniCluster | undefined): number | undefined {
	const timelines = (cluster?.members ?? []).map(member => member.timeline).filter((tl): tl is number => typeof tl === 'number');
	return timelines.length > 0 ? Math.max(...timelines) : undefined;
}

/** History lists each timeline switch, so on timeline N its last line should be N-1; if not, it is stale. */
export function historyCovers(history: readonly PatroniHistoryLine[] | undefined, timeline: number | undefined): boolean {
	if (history === undefined) return false;
	if (timeline === undefined || timeline <= 1) return true;
	const last = history.at(-1)?.[0];
	return typeof last === 'number' && last >= timeline - 1;
}
