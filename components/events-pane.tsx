/**
 * Our own log of what changed (alerts raised and cleared, roles moving), newest first: the top lines are the
 * news, and the selection counts from the newest just as the timeline's does, so `j` walks back in time.
 */
import {Box} from 'ink';
import {formatClock, oneLine} from '../source/model/format.js';
import type {AlertSeverity} from '../source/model/snapshot-types.js';
import {Line, Span} from './line.js';
import {severityTone} from './palette.js';
import {clampIndex, scrollWindow} from './scroll-window.js';

/** Structurally what `LogEvent` in source/model/events.ts is, with the severity optional. */
export type EventLine = {readonly at: number; readonly text: string; readonly severity?: AlertSeverity | undefined};

export type EventsPaneProps = {
	/** Oldest first, as the log appends them. */
	readonly events: readonly EventLine[];
	readonly height: number;
	/** 0 is the newest event. */
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

const MARKS: Readonly<Record<AlertSeverity, string>> = {critical: '✗', warning: '!', info: '·'};

export function EventsPane({events, height, selectedIndex, isFocused}: EventsPaneProps) {
	if (events.length === 0) {
		return (
			<Box flexDirection="column" flexShrink={0}>
				<Line tone="muted">no events yet</Line>
			</Box>
		);
	}
	const selected = clampIndex(selectedIndex, events.length);
	const {start, end} = scrollWindow(events.length, height, selected);
	const newestFirst = events.slice(events.length - end, events.length - start).reverse();
	return (
		<Box flexDirection="column" flexShrink={0}>
			{newestFirst.map((event, offset) => {
				// Only a moved selection is marked: at the newest line it would only be noise on a live log.
				const isSelected = isFocused && selected > 0 && start + offset === selected;
				return (
					<Line key={events.length - start - offset} isInverse={isSelected}>
						<Span tone="muted">{formatClock(event.at)}</Span>{' '}
						<Span tone={severityTone(event.severity)}>{`${event.severity ? MARKS[event.severity] : ' '} ${oneLine(event.text)}`}</Span>
					</Line>
				);
			})}
		</Box>
	);
}
