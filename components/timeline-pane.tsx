/** The timeline history, newest first: each row is a promotion that started the next timeline. */
import {Box} from 'ink';
import {fit, formatLsn, formatTimestamp, oneLine} from '../source/model/format.js';
import type {HistoryRow, SourceHealth} from '../source/model/snapshot-types.js';
import {Line, Span} from './line.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type TimelinePaneProps = {
	readonly timeline?: number | undefined;
	readonly history: readonly HistoryRow[];
	/** The REST source's health: the history is Patroni's /history. */
	readonly health?: SourceHealth | undefined;
	readonly width: number;
	readonly height: number;
	/** 0 is the newest row. */
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

export function TimelinePane({timeline, history, health, width, height, selectedIndex, isFocused}: TimelinePaneProps) {
	const notice = sourceNotice(health);
	const rows = [...history].sort((a, b) => b.timeline - a.timeline);
	const room = height - (notice ? 1 : 0) - 2;
	const selected = clampIndex(selectedIndex, rows.length);
	const {start, end} = scrollWindow(rows.length, room, selected);
	const leaderWidth = Math.min(12, Math.max(6, ...rows.map(row => row.newLeader?.length ?? 0)));
	// The date goes before the reason does: a reason cut short still reads, a switch without a time does not.
	const timeWidth = width >= 60 ? 19 : 8;
	const empty = rows.length === 0 ? emptyText(health, 'no promotions yet: still on the first timeline') : undefined;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			<Line>
				current timeline <Span isBold tone="info">{timeline === undefined ? '?' : String(timeline)}</Span>
				{rows.length > 0 ? <Span tone="muted">{` · ${rows.length} switch${rows.length === 1 ? '' : 'es'}`}</Span> : null}
			</Line>
			{empty ? (
				<Line tone={empty.tone}>{empty.text}</Line>
			) : (
				<Line isBold>{`  ${fit('TL', 3, 'right')} ${fit('LSN', 12)} ${fit('Time', timeWidth)} ${fit('Leader', leaderWidth)} Reason`}</Line>
			)}
			{rows.slice(start, end).map((row, offset) => {
				const isSelected = start + offset === selected;
				const time = formatTimestamp(row.at);
				return (
					<Line key={`${row.timeline}-${row.lsn}`} isInverse={isSelected && isFocused}>
						{isSelected ? '› ' : '  '}
						{`${fit(String(row.timeline), 3, 'right')} ${fit(formatLsn(row.lsn), 12)} `}
						{fit(timeWidth === 19 ? time : time.slice(-8), timeWidth)}{' '}
						<Span tone="info">{fit(row.newLeader ?? '–', leaderWidth)}</Span> {oneLine(row.reason)}
					</Line>
				);
			})}
		</Box>
	);
}
