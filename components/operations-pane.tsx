/**
 * What the operations the user started are doing, newest first: each operation's title and state, then its
 * steps with their times, so a switchover or rolling restart can be followed step by step.
 */
import {Box} from 'ink';
import {formatClock, wrapWords} from '../source/model/format.js';
import type {StepStatus} from '../source/operations/operation.js';
import type {OperationRecord} from '../source/operations/runner.js';
import {Line, Span} from './line.js';
import type {Tone} from './palette.js';

export type OperationsPaneProps = {
	readonly operations: readonly OperationRecord[];
	readonly isReadOnly: boolean;
	readonly width: number;
	readonly height: number;
};

/** "12:04:31 ✓ " before each step's text; continuation lines are indented as far. */
const PREFIX_WIDTH = 11;

const STEP_MARKS: Readonly<Record<StepStatus, readonly [string, Tone | undefined]>> = {
	running: ['…', 'info'],
	done: ['✓', 'good'],
	failed: ['✗', 'bad'],
	skipped: ['-', 'muted'],
	info: ['·', undefined],
};

const STATE_TONES: Readonly<Record<OperationRecord['state'], Tone>> = {running: 'info', succeeded: 'good', failed: 'bad', refused: 'warn'};

type OperationLine = {readonly key: string; readonly at: number; readonly mark: string; readonly tone: Tone | undefined; readonly text: string; readonly isTitle: boolean};

function linesOf(record: OperationRecord): OperationLine[] {
	const title: OperationLine = {key: `${record.id}`, at: record.startedAt, mark: '▶', tone: STATE_TONES[record.state], text: `${record.title} — ${record.state}`, isTitle: true};
	const steps = record.events.map((event, index): OperationLine => {
		const [mark, tone] = event.kind === 'step' ? STEP_MARKS[event.status] : event.isOk ? STEP_MARKS.done : STEP_MARKS.failed;
		return {key: `${record.id}.${index}`, at: event.at, mark, tone, text: event.kind === 'step' ? event.text : event.summary, isTitle: false};
	});
	return [title, ...steps];
}

/** Screen rows of one line: the text wrapped, never cut, so Patroni's reasons are read in full. */
function rowsOf(line: OperationLine, width: number) {
	return wrapWords(line.text, width - PREFIX_WIDTH).map((text, index) => ({...line, key: `${line.key}:${index}`, text, isFirst: index === 0}));
}

export function OperationsPane({operations, isReadOnly, width, height}: OperationsPaneProps) {
	if (operations.length === 0) {
		return (
			<Box flexDirection="column" flexShrink={0}>
				<Line tone="muted">{isReadOnly ? 'read-only: no operation can be started' : 'no operation yet: s switchover, e edit a parameter, ? for all keys'}</Line>
			</Box>
		);
	}
	const rows = [...operations]
		.reverse()
		.flatMap(linesOf)
		.flatMap(line => rowsOf(line, width))
		.slice(0, Math.max(1, height));
	return (
		<Box flexDirection="column" flexShrink={0}>
			{rows.map(row => (
				<Line key={row.key} isBold={row.isTitle}>
					<Span tone="muted">{row.isFirst ? formatClock(row.at) : ' '.repeat(8)}</Span> <Span tone={row.tone}>{`${row.isFirst ? row.mark : ' '} ${row.text}`}</Span>
				</Line>
			))}
		</Box>
	);
}
