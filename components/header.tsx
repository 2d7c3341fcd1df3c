/** Two lines and the alerts: who leads on which timeline and how healthy, then how fresh each source is. */
import {Box} from 'ink';
import {Fragment} from 'react';
import {SOURCE_NAMES, type ClusterSnapshot} from '../source/model/snapshot-types.js';
import {AlertsLines} from './alerts-lines.js';
import {Line, Span} from './line.js';
import {clusterStateTone, type Tone} from './palette.js';
import {formatBytes, formatSeconds} from '../source/model/format.js';
import type {StandbyInfo} from '../source/model/standby.js';
import {sourceBadge} from './source-health.js';

export type HeaderProps = {
	readonly snapshot: ClusterSnapshot;
	readonly height: number;
	/** How many of `height` lines go to alerts (the first two are always the summary and the sources). */
	readonly alertLines: number;
	/** --read-only: said on the first line, so no one takes live keys for safe ones or the other way round. */
	readonly isReadOnly?: boolean;
};

/** "standby of 127.0.0.1:15000 · 0 B / 0.0s behind": what a standby cluster follows, and how closely. */
export function standbyText(standby: StandbyInfo): string {
	const from = standby.source ?? standby.sender ?? 'an unnamed source';
	if (standby.receiverStatus === undefined) return `standby of ${from}`;
	if (standby.receiverStatus !== 'streaming') return `standby of ${from} · ${standby.receiverStatus}`;
	const seconds = standby.lagSeconds === undefined ? '' : ` / ${formatSeconds(standby.lagSeconds)}`;
	return `standby of ${from} · ${formatBytes(standby.lagBytes)}${seconds} behind`;
}

function standbyTone(standby: StandbyInfo): Tone {
	return standby.receiverStatus === 'streaming' ? 'info' : 'warn';
}

export function Header({snapshot, height, alertLines, isReadOnly = false}: HeaderProps) {
	if (height <= 0) return null;
	const {alerts} = snapshot;
	const critical = alerts.filter(alert => alert.severity === 'critical').length;
	const switchover = snapshot.scheduledSwitchover;
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Line>
				{/* The state comes first after the scope: on a narrow terminal it is what must survive the cut. */}
				<Span isBold>{snapshot.scope}</Span>
				{' │ '}
				<Span tone={clusterStateTone(snapshot.state)} isBold>{`● ${snapshot.state}`}</Span>
				{snapshot.isPaused && snapshot.state !== 'paused' ? <Span tone="warn">{' (paused)'}</Span> : null}
				{isReadOnly ? <Span tone="warn" isBold>{' │ read-only'}</Span> : null}
				{(snapshot.warnings ?? []).map(warning => (
					<Span key={warning.id} tone="bad" isBold>{` │ ⚠ ${warning.short}`}</Span>
				))}
				{snapshot.standby ? ' │ standby leader ' : ' │ leader '}
				<Span tone={snapshot.leader ? 'info' : 'bad'} isBold>{snapshot.leader ?? '✗ none'}</Span>
				{` │ TL ${snapshot.timeline ?? '?'} │ `}
				<Span tone={critical > 0 ? 'bad' : alerts.length > 0 ? 'warn' : 'good'}>{`${alerts.length} alert${alerts.length === 1 ? '' : 's'}`}</Span>
				{snapshot.standby ? <Span tone={standbyTone(snapshot.standby)}>{` │ ${standbyText(snapshot.standby)}`}</Span> : null}
				{switchover ? <Span tone="warn">{` │ switchover ${switchover.from ?? ''}→${switchover.to ?? 'any'} at ${switchover.at}`}</Span> : null}
			</Line>
			{height >= 2 ? (
				<Line>
					{SOURCE_NAMES.map((name, index) => {
						const badge = sourceBadge(snapshot.sources[name]);
						return (
							<Fragment key={name}>
								{index > 0 ? '  ' : ''}
								<Span tone={badge.tone}>{badge.text}</Span>
							</Fragment>
						);
					})}
				</Line>
			) : null}
			<AlertsLines alerts={alerts} lines={Math.min(alertLines, height - 2)} />
		</Box>
	);
}
