/** How a lost or failing member's remembered values are told: when it was last seen, how old its last answers are. */
import {formatBytes, formatClock, formatDuration} from '../source/model/format.js';
import type {MemberRow} from '../source/model/snapshot-types.js';
import type {ToneText} from './source-health.js';

/** `lost · last seen 01:02:03 (12s ago)`, or `REST 12s old · SQL 4.0s old` for a member whose answers stopped. */
export function memoryNote(member: MemberRow): string | undefined {
	if (member.lost) return `lost · last seen ${formatClock(member.lost.at)} (${formatDuration(member.lost.ageMs)} ago)`;
	const ages = [member.restAnswered && `REST ${formatDuration(member.restAnswered.ageMs)} old`, member.sqlAnswered && `SQL ${formatDuration(member.sqlAnswered.ageMs)} old`];
	const text = ages.filter(Boolean).join(' · ');
	return text === '' ? undefined : text;
}

/** The detail lines: the note first, then the last known lag of a member that has none now. */
export function memoryDetails(member: MemberRow): ToneText[] {
	const note = memoryNote(member);
	if (!note) return [];
	const greyed = member.remembered ? ' · greyed: its last known values' : '';
	const items: ToneText[] = [{text: `${note}${greyed}`, tone: member.lost ? 'bad' : 'muted'}];
	const {receiveLagBytes, replayLagBytes} = member.remembered ?? {};
	const lags = [receiveLagBytes !== undefined && `receive ${formatBytes(receiveLagBytes)}`, replayLagBytes !== undefined && `replay ${formatBytes(replayLagBytes)}`];
	const known = lags.filter(Boolean).join(' · ');
	if (known) items.push({text: `last known lag ${known}`, tone: 'muted'});
	return items;
}
