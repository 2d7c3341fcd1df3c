import type {ClusterSnapshot} from './snapshot-types.js';

/** Per replica, replay lag in bytes sampled over the last minutes, oldest first; `at` is the last sample's time. */
export type LagHistory = {readonly at: number; readonly samples: Readonly<Record<string, readonly number[]>>};

export const EMPTY_LAG_HISTORY: LagHistory = {at: 0, samples: {}};

export type LagHistoryOptions = {readonly everyMs?: number; readonly keep?: number};

/**
 * Adds one sample per replica when one is due (every `everyMs`, default 2 s; `keep` samples, default 180 = 6 min).
 * Returns the same object when no sample is due, so the app never sets state with equal data.
 */
export function recordLag(history: LagHistory, snapshot: ClusterSnapshot, options: LagHistoryOptions = {}): LagHistory {
	const everyMs = options.everyMs ?? 2000;
	const keep = options.keep ?? 180;
	if (snapshot.at - history.at < everyMs) return history;
	const samples: Record<string, readonly number[]> = {};
	for (const member of snapshot.members) {
		// A lost member has no lag now, only its last known one: no sample rather than a made-up zero.
		if (member.name === snapshot.leader || member.lost) continue;
		const previous = history.samples[member.name] ?? [];
		const value = member.replayLagBytes ?? 0;
		samples[member.name] = previous.length >= keep ? [...previous.slice(previous.length - keep + 1), value] : [...previous, value];
	}
	return {at: snapshot.at, samples};
}
