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

const COLUMNS = [
	{title: 'Scope', width: 22},
	{title: 'Leader', width: 14},
	{title: 'Up', width: 6},
	{title: 'TL', width: 4},
	{title: 'Worst lag', width: 10},
] as const;

function cells(row: FleetRow, isUnderPrimary: boolean): string[] {
	const scope = isUnderPrimary ? `└ ${row.scope}` : row.scope;
	const kind = row.kind === 'standby' ? ' (standby)' : '';
	return [
		fit(`${scope}${kind}`, COLUMNS[0].width),
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
	const alertsWidth = Math.max(0, columns - COLUMNS.reduce((sum, column) => sum + column.width + 1, 0) - 4);
	return (
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
			<Line isBold>{`fleet · ${view.namespace} · ${summary(view)}`}</Line>
			<Line tone={state.tone}>{state.text}</Line>
			<Line tone="muted">{`  ${COLUMNS.map(column => fit(column.title, column.width, column.title === 'TL' || column.title === 'Worst lag' ? 'right' : 'left')).join(' ')} Alerts`}</Line>
			{shown.slice(start, end).map((row, offset) => {
				const index = start + offset;
				const isUnderPrimary = row.primaryScope !== undefined && shown[index - 1]?.scope === row.primaryScope;
				const alerts = row.alerts.length > 0 ? row.alerts.join('; ') : row.isPaused ? 'paused' : '';
				return (
					<Line key={row.scope} isInverse={index === selected}>
						{index === selected ? '›' : ' '}
						<Span tone={TONE[row.severity]}>{MARK[row.severity]}</Span>
						{` ${cells(row, isUnderPrimary).join(' ')} `}
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
