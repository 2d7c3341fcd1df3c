/**
 * What the Operations pane draws, as rows (pure): the running or last operation first, its summary line carrying
 * the outcome (and the write probe's figures), then its newest steps that fit; older operations one summary each.
 */
import {wrapWords} from '../source/model/format.js';
import type {OperationEvent, StepStatus} from '../source/operations/operation.js';
import type {OperationRecord} from '../source/operations/runner.js';
import type {Tone} from './palette.js';

/** "12:04:31 ✓ " before each step's text; continuation lines are indented as far. */
export const PREFIX_WIDTH = 11;

export type OperationRow = {readonly key: string; readonly at: number; readonly mark: string; readonly tone: Tone | undefined; readonly text: string; readonly isTitle: boolean; readonly isFirst: boolean};

const STEP_MARKS: Readonly<Record<StepStatus, readonly [string, Tone | undefined]>> = {
	running: ['…', 'info'],
	done: ['✓', 'good'],
	failed: ['✗', 'bad'],
	skipped: ['-', 'muted'],
	info: ['·', undefined],
};

const STATE_TONES: Readonly<Record<OperationRecord['state'], Tone>> = {running: 'info', succeeded: 'good', failed: 'bad', refused: 'warn'};

/** The write probe's result as its step wrote it ("write probe: 38 acknowledged, 3 failed, …"), the last one. */
function probeResult(events: readonly OperationEvent[]): string | undefined {
	const found = events.findLast(event => event.kind === 'step' && /^write probe\b.*\backnowledged\b/.test(event.text));
	return found?.kind === 'step' ? found.text.replace(/\b(\d+) acknowledged writes? missing\b/, '$1 lost') : undefined;
}

/** "switchover node2 → node1 — succeeded: node1 leads · write probe: 38 acknowledged, 3 failed, …". */
export function summaryOf(record: OperationRecord): string {
	const end = record.events.findLast(event => event.kind === 'done');
	const outcome = end?.kind === 'done' ? `: ${end.summary}` : '';
	const probe = probeResult(record.events);
	return `${record.title} — ${record.state}${outcome}${probe ? ` · ${probe}` : ''}`;
}

type Line = Omit<OperationRow, 'isFirst'>;

/** Screen rows of one line: the text wrapped, never cut, so Patroni's reasons are read in full. */
function rowsOf(line: Line, width: number): OperationRow[] {
	return wrapWords(line.text, width - PREFIX_WIDTH).map((text, index) => ({...line, key: `${line.key}:${index}`, text, isFirst: index === 0}));
}

function titleRows(record: OperationRecord, width: number): OperationRow[] {
	return rowsOf({key: `${record.id}`, at: record.startedAt, mark: '▶', tone: STATE_TONES[record.state], text: summaryOf(record), isTitle: true}, width);
}

/** The steps (the end is in the summary), each as its rows. */
function stepRows(record: OperationRecord, width: number): OperationRow[][] {
	return record.events.flatMap((event, index) => {
		if (event.kind !== 'step') return [];
		const [mark, tone] = STEP_MARKS[event.status];
		return [rowsOf({key: `${record.id}.${index}`, at: event.at, mark, tone, text: event.text, isTitle: false}, width)];
	});
}

/** The rows for a pane `height` rows tall: the newest steps win over the first ones, and over older operations. */
export function operationRows(operations: readonly OperationRecord[], width: number, height: number): OperationRow[] {
	const [newest, ...older] = [...operations].reverse();
	if (!newest) return [];
	const room = Math.max(1, height);
	const title = titleRows(newest, width);
	const steps = stepRows(newest, width);
	const stepCount = steps.reduce((sum, rows) => sum + rows.length, 0);
	let shown: OperationRow[];
	if (title.length + stepCount <= room) shown = [...title, ...steps.flat()];
	else {
		// From the newest step back, whole steps while they fit under the title and a line saying what is left out.
		const kept: OperationRow[][] = [];
		let used = title.length + 1;
		for (const rows of [...steps].reverse()) {
			if (used + rows.length > room) break;
			kept.unshift(rows);
			used += rows.length;
		}
		const hidden = steps.length - kept.length;
		const note: OperationRow = {key: `${newest.id}.hidden`, at: newest.startedAt, mark: '⋮', tone: 'muted', text: `${hidden} earlier step${hidden === 1 ? '' : 's'} (Events pane and the log have them)`, isTitle: false, isFirst: false};
		shown = [...title, ...(kept.length < steps.length ? [note] : []), ...kept.flat()];
	}
	for (const record of older) shown.push(...titleRows(record, width));
	return shown.slice(0, room);
}
