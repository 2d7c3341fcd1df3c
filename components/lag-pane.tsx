/** Replication lag over time: one sparkline per replica, newest sample on the right. */
import {Box} from 'ink';
import {fit, formatBytes, formatSeconds, sparkline} from '../source/model/format.js';
import type {Thresholds} from '../source/model/alerts.js';
import type {MemberRow, SourceHealth} from '../source/model/snapshot-types.js';
import {Line, Span} from './line.js';
import {lagTone} from './lag-tone.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type LagPaneProps = {
	readonly members: readonly MemberRow[];
	/** Replay lag samples in bytes per member name, oldest first. */
	readonly lagHistory: Readonly<Record<string, readonly number[]>>;
	/** The SQL source's health: lag comes from pg_stat_replication. */
	readonly health?: SourceHealth | undefined;
	/** The alert thresholds, which the lag is coloured by. */
	readonly thresholds: Thresholds;
	readonly width: number;
	readonly height: number;
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

const VALUE_WIDTH = 14;

export function LagPane({members, lagHistory, health, thresholds, width, height, selectedIndex, isFocused}: LagPaneProps) {
	const notice = sourceNotice(health);
	const replicas = members.filter(member => member.role !== 'leader' && member.role !== 'standby_leader');
	const room = height - (notice ? 1 : 0);
	const empty = replicas.length === 0 ? emptyText(health, 'no replicas') : undefined;
	// With room to spare each replica gets a second line with the numbers behind its sparkline.
	const linesEach = room >= replicas.length * 2 ? 2 : 1;
	const selected = clampIndex(selectedIndex, replicas.length);
	const {start, end} = scrollWindow(replicas.length, Math.floor(room / linesEach), selected);
	const nameWidth = Math.min(14, Math.max(4, ...replicas.map(member => member.name.length)));
	const valueWidth = width >= nameWidth + 3 + VALUE_WIDTH + 8 ? VALUE_WIDTH : 0;
	const sparkWidth = Math.max(0, width - 2 - nameWidth - 1 - (valueWidth ? valueWidth + 1 : 0));
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			{empty ? <Line tone={empty.tone}>{empty.text}</Line> : null}
			{replicas.slice(start, end).map((member, offset) => {
				const isSelected = start + offset === selected;
				const samples = lagHistory[member.name] ?? [];
				const current = member.replayLagBytes ?? samples.at(-1);
				const recent = sparkWidth > 0 ? samples.slice(-sparkWidth) : [];
				const spark = samples.length > 0 ? sparkline(samples, sparkWidth).padStart(sparkWidth) : fit('no samples yet', sparkWidth);
				const time = member.replayLagSeconds === undefined ? '' : ` ${formatSeconds(member.replayLagSeconds)}`;
				const tone = lagTone(current, member.replayLagSeconds, thresholds);
				return (
					<Box key={member.name} flexDirection="column">
						<Line isInverse={isSelected && isFocused}>
							{isSelected ? '› ' : '  '}
							{fit(member.name, nameWidth)}{' '}
							<Span tone={samples.length > 0 ? tone ?? 'good' : 'muted'}>{spark}</Span>
							{valueWidth ? <Span tone={tone}>{' ' + fit(`${formatBytes(current)}${time}`, valueWidth, 'right')}</Span> : null}
						</Line>
						{linesEach === 2 ? (
							<Line tone="muted">
								{'  '}
								{fit('', nameWidth)} receive {formatBytes(member.receiveLagBytes)} · peak {formatBytes(Math.max(0, ...recent))} over {recent.length} samples
							</Line>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
