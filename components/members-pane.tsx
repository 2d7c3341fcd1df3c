/** The members table: one row per member, the selected one explained in the lines underneath. */
import {Box} from 'ink';
import type {Thresholds} from '../source/model/alerts.js';
import type {MemberRow, SourceHealth} from '../source/model/snapshot-types.js';
import {Line, Span} from './line.js';
import {cellText, fittingColumns} from './member-columns.js';
import {foldLines, memberDetails} from './member-details.js';
import {memoryNote} from './member-memory-text.js';
import {memberTone} from './member-roles.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type MembersPaneProps = {
	readonly members: readonly MemberRow[];
	/** The REST source's health: the table is mostly what Patroni's API said. */
	readonly health?: SourceHealth | undefined;
	/** The alert thresholds, which the lag columns are coloured by. */
	readonly thresholds: Thresholds;
	/** The space inside the frame. */
	readonly width: number;
	readonly height: number;
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

export function MembersPane({members, health, thresholds, width, height, selectedIndex, isFocused}: MembersPaneProps) {
	const notice = sourceNotice(health);
	const room = height - (notice ? 1 : 0) - 1;
	if (members.length === 0) {
		const empty = emptyText(health, 'no members found');
		return (
			<Box flexDirection="column" flexShrink={0}>
				{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
				<Line tone={empty.tone}>{empty.text}</Line>
			</Box>
		);
	}
	const columns = fittingColumns(members, width, thresholds);
	const selected = clampIndex(selectedIndex, members.length);
	const rowCount = Math.max(0, Math.min(members.length, room - (room >= 3 ? 1 : 0)));
	const {start, end} = scrollWindow(members.length, rowCount, selected);
	const details = foldLines(memberDetails(members[selected]!), room - rowCount);
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			{height > (notice ? 1 : 0) ? (
				<Line isBold>
					{'   '}
					{columns.map(column => cellText(column, {text: column.title})).join(' ')}
				</Line>
			) : null}
			{members.slice(start, end).map((member, offset) => {
				const isSelected = start + offset === selected;
				const rowTone = memberTone(member);
				const note = memoryNote(member);
				return (
					<Line key={member.name} isInverse={isSelected && isFocused}>
						{isSelected ? '›' : ' '}
						{/* A mark as well as the colour, so a failing member still stands out under NO_COLOR. */}
						<Span tone={rowTone}>{rowTone === 'bad' ? '✗ ' : rowTone === 'warn' ? '! ' : '  '}</Span>
						{columns.map((column, index) => {
							const cell = column.cell(member);
							return (
								<Span key={column.title} tone={index === 0 ? (rowTone ?? cell.tone) : cell.tone} isBold={index === 0 && isSelected}>
									{(index === 0 ? '' : ' ') + cellText(column, cell)}
								</Span>
							);
						})}
						{/* When it was last seen or last answered: past the last column, cut where the pane ends. */}
						{note ? <Span tone="muted">{`  ${note}`}</Span> : null}
					</Line>
				);
			})}
			{details.map((detail, index) => (
				<Line key={index} tone={detail.tone}>
					{index === 0 ? `  ${members[selected]!.name}: ` : '  '}
					{detail.text}
				</Line>
			))}
		</Box>
	);
}
