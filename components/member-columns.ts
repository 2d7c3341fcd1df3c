/**
 * The Members table's columns: what each shows, how wide it is, and which go first when the pane is narrow.
 * Whatever a narrow table drops, the detail lines under it still say about the selected member.
 */
import {fit, formatBytes, formatSeconds} from '../source/model/format.js';
import type {Thresholds} from '../source/model/alerts.js';
import type {MemberRow} from '../source/model/snapshot-types.js';
import {lagTone} from './lag-tone.js';
import {hasRoleDisagreement, shortRole} from './member-roles.js';
import type {Tone} from './palette.js';

export type Cell = {readonly text: string; readonly tone?: Tone | undefined};

export type MemberColumn = {
	readonly title: string;
	readonly width: number;
	readonly align: 'left' | 'right';
	/** Lower is kept longer; `name` is 0 and never dropped. */
	readonly priority: number;
	readonly cell: (member: MemberRow) => Cell;
};

type LagFields = readonly ['receiveLagBytes', 'receiveLagSeconds'] | readonly ['replayLagBytes', 'replayLagSeconds'];

function lagCell(member: MemberRow, [bytesField, secondsField]: LagFields, thresholds: Thresholds): Cell {
	const role = member.remembered?.role ?? member.role;
	if (role === 'leader' || role === 'standby_leader') return {text: '', tone: undefined};
	const [bytes, seconds] = [member[bytesField], member[secondsField]];
	const [lastBytes, lastSeconds] = [member.remembered?.[bytesField], member.remembered?.[secondsField]];
	const isRemembered = bytes === undefined && seconds === undefined && (lastBytes !== undefined || lastSeconds !== undefined);
	if (isRemembered) return {text: `${formatBytes(lastBytes)}${lastSeconds === undefined ? '' : ` ${formatSeconds(lastSeconds)}`}`, tone: 'muted'};
	if (bytes === undefined && seconds === undefined) return {text: '–', tone: 'muted'};
	const time = seconds === undefined ? '' : ` ${formatSeconds(seconds)}`;
	return {text: `${formatBytes(bytes)}${time}`, tone: lagTone(bytes, seconds, thresholds)};
}

/** A lost or failing member's last known value where it has none now (MemberRow.remembered), greyed. */
function textCell(now: string | undefined, remembered: string | undefined, missing: string): Cell {
	if (now !== undefined) return {text: now};
	return remembered === undefined ? {text: missing} : {text: remembered, tone: 'muted'};
}

function hostText(host: string | undefined, port: number | undefined): string | undefined {
	return host === undefined ? undefined : `${host}:${port ?? '?'}`;
}

function memberColumns(nameWidth: number, thresholds: Thresholds): MemberColumn[] {
	return [
		{title: 'Name', width: nameWidth, align: 'left', priority: 0, cell: member => ({text: member.name})},
		{title: 'Host', width: 15, align: 'left', priority: 6, cell: member => textCell(hostText(member.host, member.port), hostText(member.remembered?.host, member.remembered?.port), '–')},
		{
			title: 'Role',
			width: 8,
			align: 'left',
			priority: 1,
			cell: member =>
				member.remembered?.role
					? {text: shortRole(member.remembered.role), tone: 'muted'}
					: hasRoleDisagreement(member.roles)
					? {text: `${shortRole(member.role)}≠`, tone: 'bad'}
					: {text: shortRole(member.role), tone: member.role === 'leader' ? 'info' : undefined},
		},
		{title: 'State', width: 9, align: 'left', priority: 2, cell: member => (member.lost ? {text: 'lost', tone: 'bad'} : textCell(member.state, member.remembered?.state, '?'))},
		{title: 'TL', width: 3, align: 'right', priority: 3, cell: member => textCell(member.timeline?.toString(), member.remembered?.timeline?.toString(), '–')},
		{title: 'Receive lag', width: 14, align: 'right', priority: 9, cell: member => lagCell(member, ['receiveLagBytes', 'receiveLagSeconds'], thresholds)},
		{title: 'Replay lag', width: 14, align: 'right', priority: 4, cell: member => lagCell(member, ['replayLagBytes', 'replayLagSeconds'], thresholds)},
		{title: 'Sync', width: 6, align: 'left', priority: 7, cell: member => textCell(member.syncState, member.remembered?.syncState, '')},
		{title: '↻', width: 1, align: 'left', priority: 5, cell: member => (member.pendingRestart ? {text: '↻', tone: 'warn'} : {text: ''})},
		{
			title: 'Container',
			width: 10,
			align: 'left',
			priority: 8,
			// "–": no container is proven to be this member's (a name alone proves nothing); the details say why.
			cell: member => (member.container ? {text: member.container.state, tone: member.container.state === 'running' ? undefined : 'bad'} : {text: '–', tone: 'muted'}),
		},
		{title: 'Tags', width: 20, align: 'left', priority: 10, cell: member => ({text: formatTags(member.tags)})},
	];
}

/**
 * The columns that fit in `width` (one space between them, three for the selection and status marks), in display
 * order. The lag columns are coloured by the alert thresholds.
 */
export function fittingColumns(members: readonly MemberRow[], width: number, thresholds: Thresholds): MemberColumn[] {
	const nameWidth = Math.min(14, Math.max(4, ...members.map(member => member.name.length)));
	const all = memberColumns(nameWidth, thresholds);
	const kept = new Set(all);
	const used = () => 3 + [...kept].reduce((sum, column) => sum + column.width + 1, 0);
	for (const column of [...all].sort((a, b) => b.priority - a.priority)) {
		if (used() <= width || column.priority === 0) break;
		kept.delete(column);
	}
	return all.filter(column => kept.has(column));
}

export function cellText(column: MemberColumn, cell: Cell): string {
	return fit(cell.text, column.width, column.align);
}

export function formatTags(tags: Readonly<Record<string, unknown>>): string {
	return Object.entries(tags)
		.map(([key, value]) => (value === true ? key : `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`))
		.join(' ');
}
