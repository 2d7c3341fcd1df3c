/** One screen line that never wraps (a wrapped line would push the frame past its height), and a tinted span. */
import {Text} from 'ink';
import type {ReactNode} from 'react';
import {toneColor, type Tone} from './palette.js';
import {visibleNode} from './visible-node.js';

export type LineProps = {
	readonly children?: ReactNode;
	readonly tone?: Tone | undefined;
	readonly isBold?: boolean;
	readonly isInverse?: boolean;
};

export function Line({children, tone, isBold = false, isInverse = false}: LineProps) {
	return (
		<Text wrap="truncate-end" color={toneColor(tone)} dimColor={tone === 'muted'} bold={isBold} inverse={isInverse}>
			{visibleNode(children ?? ' ')}
		</Text>
	);
}

export type SpanProps = {readonly children?: ReactNode; readonly tone?: Tone | undefined; readonly isBold?: boolean};

export function Span({children, tone, isBold = false}: SpanProps) {
	return (
		<Text color={toneColor(tone)} dimColor={tone === 'muted'} bold={isBold}>
			{visibleNode(children)}
		</Text>
	);
}
