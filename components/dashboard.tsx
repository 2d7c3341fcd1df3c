/**
 * The whole screen, drawn from props: header, panes where `layout()` puts them, tabs for the rest, status bar.
 * No input and no state here; the app owns focus and selection and hands them down.
 */
import {Box} from 'ink';
import type {Dialog} from '../source/dialog.js';
import {innerSize, type PaneSlot} from '../source/layout.js';
import type {Thresholds} from '../source/model/alerts.js';
import {formatDuration} from '../source/model/format.js';
import type {ClusterSnapshot} from '../source/model/snapshot-types.js';
import type {OperationRecord} from '../source/operations/runner.js';
import {PANE_NAMES, paneLabel, paneOf, type PaneName} from '../source/panes.js';
import type {EventLine} from './events-pane.js';
import {DialogView} from './dialog-view.js';
import {Header} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {PaneFrame} from './pane-frame.js';
import {PaneContent} from './pane-registry.js';
import {PaneTabs} from './pane-tabs.js';
import {screenLayout} from './screen-layout.js';
import {isFailing} from './source-health.js';
import {StatusBar} from './status-bar.js';

export type DashboardProps = {
	readonly snapshot: ClusterSnapshot;
	/** Replay lag samples in bytes per member, oldest first. */
	readonly lagHistory: Readonly<Record<string, readonly number[]>>;
	readonly events: readonly EventLine[];
	/** Operations started from the keyboard, oldest first, with their steps. */
	readonly operations?: readonly OperationRecord[];
	readonly focusedPane: PaneName;
	/** Each pane's selected row (for Timeline and Events, counted from the newest). */
	readonly selection: Readonly<Record<PaneName, number>>;
	readonly columns: number;
	readonly rows: number;
	readonly isReadOnly: boolean;
	/** The alert thresholds (`--lag-bytes`, `--lag-seconds`): the lag figures are coloured by them. */
	readonly thresholds: Thresholds;
	readonly isHelpOpen: boolean;
	readonly message?: string | undefined;
	/** An open dialog replaces the status bar. */
	readonly dialog?: Dialog | undefined;
};

export function Dashboard(props: DashboardProps) {
	const {snapshot, focusedPane, columns, rows, isReadOnly, isHelpOpen, message, dialog} = props;
	const frame = screenLayout({columns, rows}, focusedPane, snapshot, dialog);
	const failingPanes = PANE_NAMES.filter(pane => isPaneFailing(snapshot, pane));
	const band = frame.columns[0];
	return (
		<Box flexDirection="column" width={frame.width} height={frame.height} overflowY="hidden">
			<Header snapshot={snapshot} height={frame.header.height} alertLines={frame.header.alertLines} isReadOnly={isReadOnly} />
			{isHelpOpen ? (
				frame.body.height > 0 ? <HelpOverlay isReadOnly={isReadOnly} sources={snapshot.sources} width={frame.body.width} height={frame.body.height} /> : null
			) : (
				<Box flexDirection="column" height={frame.body.height}>
					{frame.main ? <FramedPane slot={frame.main} {...props} /> : null}
					{band ? (
						<Box flexDirection="row" height={band.height}>
							{frame.columns.map(column => (
								<Box key={column.left} flexDirection="column" width={column.width} height={column.height}>
									{column.panes.map(slot => (
										<FramedPane key={slot.pane} slot={slot} {...props} />
									))}
								</Box>
							))}
						</Box>
					) : null}
					{frame.tabs ? (
						<Box marginTop={frame.tabs.top - (frame.body.top + usedHeight(frame.main, band))}>
							<PaneTabs panes={frame.tabs.panes} failingPanes={failingPanes} />
						</Box>
					) : null}
				</Box>
			)}
			{dialog && frame.statusBar.height > 0 ? <DialogView dialog={dialog} width={frame.width} height={frame.statusBar.height} /> : null}
			{!dialog && frame.statusBar.height > 0 ? <StatusBar isReadOnly={isReadOnly} message={message} /> : null}
		</Box>
	);
}

function FramedPane({slot, ...props}: DashboardProps & {readonly slot: PaneSlot}) {
	const {snapshot, focusedPane} = props;
	const inner = innerSize(slot.width, slot.height);
	const source = paneOf(slot.pane).source;
	const health = source ? snapshot.sources[source] : undefined;
	const badge = health && isFailing(health) ? {text: `✗ ${formatDuration(health.ageMs)} old`, tone: 'bad' as const} : undefined;
	return (
		<PaneFrame
			title={paneLabel(slot.pane)}
			width={slot.width}
			height={slot.height}
			isFocused={slot.pane === focusedPane}
			badge={badge}
		>
			<PaneContent
				pane={slot.pane}
				snapshot={snapshot}
				lagHistory={props.lagHistory}
				events={props.events}
				operations={props.operations ?? []}
				isReadOnly={props.isReadOnly}
				thresholds={props.thresholds}
				selectedIndex={props.selection[slot.pane] ?? 0}
				isFocused={slot.pane === focusedPane}
				width={inner.width}
				height={inner.height}
			/>
		</PaneFrame>
	);
}

function isPaneFailing(snapshot: ClusterSnapshot, pane: PaneName): boolean {
	const source = paneOf(pane).source;
	return source !== undefined && isFailing(snapshot.sources[source]);
}

/** Lines the main pane and the column band take, so the tab row can sit on the body's last line. */
function usedHeight(main: PaneSlot | undefined, band: {readonly height: number} | undefined): number {
	return (main?.height ?? 0) + (band?.height ?? 0);
}
