/** How a source's freshness reads on screen: the header's badges and the note a pane draws above old data. */
import {formatDuration, oneLine} from '../source/model/format.js';
import {SOURCE_LABELS, type SourceHealth} from '../source/model/snapshot-types.js';
import type {Tone} from './palette.js';

export type ToneText = {readonly text: string; readonly tone?: Tone};

export function isFailing(health: SourceHealth | undefined): boolean {
	return health !== undefined && health.isEnabled && (health.error !== undefined || health.isStale);
}

/** `etcd 0.3s` while fresh, `REST ✗ 12s` when failing or stale, `Docker off` when disabled. */
export function sourceBadge(health: SourceHealth): ToneText {
	const label = SOURCE_LABELS[health.name];
	if (!health.isEnabled) return {text: `${label} off`, tone: 'muted'};
	if (isFailing(health)) return {text: `${label} ✗ ${age(health)}`, tone: 'bad'};
	if (health.ageMs === undefined) return {text: `${label} …`, tone: 'muted'};
	return {text: `${label} ${formatDuration(health.ageMs)}`, tone: 'good'};
}

/** The line a pane puts above data it can no longer refresh; undefined while the source is fine. */
export function sourceNotice(health: SourceHealth | undefined): ToneText | undefined {
	if (health === undefined) return undefined;
	const label = SOURCE_LABELS[health.name];
	if (!health.isEnabled) return {text: `${label} is switched off${health.offReason ? `: ${health.offReason}` : ''}`, tone: 'muted'};
	const data = health.ageMs === undefined ? 'no data yet' : `showing data ${age(health)} old`;
	if (health.error !== undefined) return {text: `✗ ${label}: ${oneLine(health.error)} · ${data}`, tone: 'bad'};
	if (health.isStale) return {text: `✗ ${label} is stale · ${data}`, tone: 'warn'};
	return undefined;
}

/** "Nothing yet" and "nothing there" read differently: the first is a wait, the second is news. */
export function emptyText(health: SourceHealth | undefined, nothing: string): ToneText {
	if (health !== undefined && health.isEnabled && health.ageMs === undefined && health.error === undefined) {
		return {text: `waiting for ${SOURCE_LABELS[health.name]}…`, tone: 'muted'};
	}
	return {text: nothing, tone: 'muted'};
}

function age(health: SourceHealth): string {
	return health.ageMs === undefined ? '–' : formatDuration(health.ageMs);
}
