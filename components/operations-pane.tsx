/**
 * What the operations the user started are doing: the running or last one first, its summary line carrying the
 * outcome, then its newest steps with their times, so a rolling restart's end is on screen, not its beginning.
 */
import {Box} from 'ink';
import {formatClock} from '../source/model/format.js';
import type {OperationRecord} from '../source/operations/runner.js';
import {Line, Span} from './line.js';
import {operationRows} from './operation-rows.js';

export type OperationsPaneProps = {
	readonly operations: readonly OperationRecord[];
	readonly isReadOnly: boolean;
	readonly width: number;
	readonly height: number;
};

export function OperationsPane({operations, isReadOnly, width, height}: OperationsPaneProps) {
	if (operations.length === 0) {
		return (
			<Box flexDirection="column" flexShrink={0}>
				<Line tone="muted">{isReadOnly ? 'read-only: no operation can be started' : 'no operation yet: s switchover, e edit a parameter, ? for all keys'}</Line>
			</Box>
		);
	}
	return (
		<Box flexDirection="column" flexShrink={0}>
			{operationRows(operations, width, height).map(row => (
				<Line key={row.key} isBold={row.isTitle}>
					<Span tone="muted">{row.isFirst ? formatClock(row.at) : ' '.repeat(8)}</Span> <Span tone={row.tone}>{`${row.isFirst || row.mark === '⋮' ? row.mark : ' '} ${row.text}`}</Span>
				</Line>
			))}
		</Box>
	);
}
