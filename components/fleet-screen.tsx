/**
 * The fleet: one row per cluster in the namespace, worst first, the filter being typed and the key hints. Props in,
 * text out; the rows' order and alerts are the model's (source/model/fleet.ts).
 */
import {Box} from 'ink';
import {Fragment} from 'react';
import {FLEET_HINTS} from '../source/fleet-keys.js';
import {fit, formatBytes, formatDuration, oneLine} from '../source/model/format.js';
import type {FleetRow} from '../source/model/fleet.js';
import type {FleetView} from '../source/fleet-monitor.js';
import {Line, Span} from './line.js';
import type {Tone} from './palette.js';
import {clampIndex, scrollWindow} from './scroll-window.js';

export type FleetScreenProps = {
	readonly view: FleetView;
	/** The rows as filtered: the cursor indexes these. */
	readonly shown: readonly FleetRow[];
	readonly filter: string;
	readonly cursor: number;
	readonly columns: number;
	readonly rows: number;
	readonly message?: string | undefined;
};

const TONE: Readonly<Record<FleetRow['severity'], Tone | undefined>> = {critical: 'bad', warning: 'warn', ok: 'good'};
const MARK: Readonly<Record<FleetRow['severity'], string>> = {critical: '✗', warning: '!', ok: '●'};

/** The sources line of the fleet: the namespace's keys, their age, or why they are old. */
function dcsState(view: FleetView): {readonly text: string; readonly tone: Tone | undefined} {
	const age = view.updatedAt === undefined ? undefined : formatDuration(Math.max(0, view.now - view.updatedAt));
	if (view.error) return {text: `etcd ✗ ${oneLine(view.error)}${age ? ` (rows ${age} old)` : ''}`, tone: 'bad'};
	return age === undefined ? {text: 'etcd: reading…', tone: 'muted'} : {text: `etcd ${age}`, tone: undefined};
}

function summary(view: FleetView): string {
	const count = (severity: FleetRow['severity']) => view.rows.filter(row => row.severity === severity).length;
	const critical = count('critical');
	const warning = count('warning');
	const worst = [critical ? `${critical} critical` : '', warning ? `${warning} warning` : ''].filter(Boolean).join(', ');
	return `${view.rows.length} cluster${view.rows.length === 1 ? '' : 's'}${worst ? ` · ${worst}` : ' · all well'}`;
}

/** The Scope column is as wide as its longest label ("└ lab-standby (standby)"), within these bounds. */
const SCOPE_WIDTH = {least: 14, most: 40} as const;

const COLUMNS = [
	{title: 'Scope', width: 22},
	{title: 'Leader', width: 14},
	{title: 'Up', width: 6},
	{title: 'TL', width: 4},
	{title: 'Worst lag', width: 10},
] as const;

function scopeLabel(row: FleetRow, isUnderPrimary: boolean): string {
	return `${isUnderPrimary ? '└ ' : ''}${row.scope}${row.kind === 'standby' ? ' (standby)' : ''}`;
}

function cells(row: FleetRow, isUnderPrimary: boolean, scopeWidth: number): string[] {
	return [
		fit(scopeLabel(row, isUnderPrimary), scopeWidth),
		fit(row.leader ?? '—', COLUMNS[1].width),
		fit(`${row.membersUp}/${row.membersTotal}`, COLUMNS[2].width),
		fit(row.timeline === undefined ? '' : String(row.timeline), COLUMNS[3].width, 'right'),
		fit(row.worstLagBytes === undefined ? '' : formatBytes(row.worstLagBytes), COLUMNS[4].width, 'right'),
	];
}

export function FleetScreen({view, shown, filter, cursor, columns, rows, message}: FleetScreenProps) {
	const state = dcsState(view);
	// Title, sources, column heads above; the filter-and-hints line below; the rest for clusters.
	const space = Math.max(0, rows - 5);
	const selected = clampIndex(cursor, shown.length);
	const {start, end} = scrollWindow(shown.length, space, selected);
	const isUnder = (index: number) => shown[index]!.primaryScope !== undefined && shown[index - 1]?.scope === shown[index]!.primaryScope;
	const longest = Math.max(0, ...shown.map((row, index) => scopeLabel(row, isUnder(index)).length));
	const scopeWidth = Math.min(SCOPE_WIDTH.most, Math.max(SCOPE_WIDTH.least, longest));
	const widths = COLUMNS.map((column, index) => (index === 0 ? scopeWidth : column.width));
	const alertsWidth = Math.max(0, columns - widths.reduce((sum, width) => sum + width + 1, 0) - 4);
	return (
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
			<Line isBold>{`fleet · ${view.namespace} · ${summary(view)}`}</Line>
			<Line tone={state.tone}>{state.text}</Line>
			<Line tone="muted">{`  ${COLUMNS.map((column, index) => fit(column.title, widths[index]!, column.title === 'TL' || column.title === 'Worst lag' ? 'right' : 'left')).join(' ')} Alerts`}</Line>
			{shown.slice(start, end).map((row, offset) => {
				const index = start + offset;
				const isUnderPrimary = isUnder(index);
				const alerts = row.alerts.length > 0 ? row.alerts.join('; ') : row.isPaused ? 'paused' : '';
				return (
					<Line key={row.scope} isInverse={index === selected}>
						{index === selected ? '›' : ' '}
						<Span tone={TONE[row.severity]}>{MARK[row.severity]}</Span>
						{` ${cells(row, isUnderPrimary, scopeWidth).join(' ')} `}
						<Span tone={TONE[row.severity]}>{fit(oneLine(alerts), alertsWidth)}</Span>
					</Line>
				);
			})}
			{shown.length === 0 ? <Line tone="muted">{view.rows.length === 0 ? '  no cluster in this namespace yet' : `  no cluster matches "${filter}"`}</Line> : null}
			<Box flexGrow={1} />
			<Line>
				{message ? <Span tone="info" isBold>{`${oneLine(message)}  │ `}</Span> : null}
				{filter ? <Span tone="info">{`filter: ${filter}▏  `}</Span> : null}
				{FLEET_HINTS.map(([key, label]) => (
					<Fragment key={key}>
						<Span isBold>{key}</Span>
						<Span tone="muted">{` ${label}  `}</Span>
					</Fragment>
				))}
			</Line>
		</Box>
	);
}
