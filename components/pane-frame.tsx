/**
 * A bordered box with its title set into the top border (`╭─ 1 Members ───╮`). Ink 6 has no border titles, so
 * the top edge is drawn as text and the box below it has no top border. The content is clipped to the box,
 * which leaves it `innerSize` (source/layout.ts: the page keys use the same arithmetic).
 */
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {visible} from '../source/model/visible.js';
import {toneColor, type Tone} from './palette.js';

export type PaneFrameProps = {
	readonly title: string;
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
	/** A short note at the right of the top border, e.g. `✗ 12s old`. */
	readonly badge?: {readonly text: string; readonly tone?: Tone} | undefined;
	readonly children?: ReactNode;
};

// The focused frame is double-lined, so focus still shows under NO_COLOR.
const EDGES = {
	focused: {style: 'double', left: '╔', right: '╗', line: '═'},
	plain: {style: 'round', left: '╭', right: '╮', line: '─'},
} as const;

export function PaneFrame({title: rawTitle, width, height, isFocused, badge: rawBadge, children}: PaneFrameProps) {
	// Escaped before the edge is measured, so the border still closes where it should.
	const title = visible(rawTitle);
	const badge = rawBadge ? {...rawBadge, text: visible(rawBadge.text)} : undefined;
	const edges = isFocused ? EDGES.focused : EDGES.plain;
	const borderColor = toneColor(isFocused ? 'focus' : undefined);
	if (width < 4 || height < 3) {
		return (
			<Box width={Math.max(0, width)} height={Math.max(0, height)} overflowY="hidden">
				<Text wrap="truncate-end" bold={isFocused}>{title}</Text>
			</Box>
		);
	}
	const top = titleEdge(title, badge?.text, width, edges.line);
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text color={borderColor} dimColor={!isFocused}>{edges.left + top.before}</Text>
				<Text bold={isFocused}>{top.title}</Text>
				<Text color={borderColor} dimColor={!isFocused}>{top.middle}</Text>
				{top.badge ? <Text color={toneColor(badge?.tone)}>{top.badge}</Text> : null}
				<Text color={borderColor} dimColor={!isFocused}>{top.after + edges.right}</Text>
			</Text>
			<Box
				borderStyle={edges.style}
				borderTop={false}
				borderColor={borderColor}
				borderDimColor={!isFocused}
				flexDirection="column"
				width={width}
				height={height - 1}
				overflowY="hidden"
			>
				{/* Unshrinkable, so surplus lines are clipped at the border; shrunk, Ink would draw them over each other. */}
				<Box flexDirection="column" flexShrink={0}>
					{children}
				</Box>
			</Box>
		</Box>
	);
}

/** The top edge between the corners, exactly `width - 2` wide: title on the left, badge on the right. */
function titleEdge(title: string, badge: string | undefined, width: number, line: string) {
	const room = Math.max(0, width - 2);
	const shownTitle = cut(` ${title} `, Math.max(0, room - 1));
	const left = Math.min(1, room - [...shownTitle].length);
	const spare = room - left - [...shownTitle].length;
	const shownBadge = badge && spare >= [...badge].length + 4 ? ` ${badge} ` : '';
	const right = shownBadge ? 1 : 0;
	const middle = Math.max(0, spare - [...shownBadge].length - right);
	return {
		before: line.repeat(Math.max(0, left)),
		title: shownTitle,
		middle: line.repeat(middle),
		badge: shownBadge,
		after: line.repeat(right),
	};
}

function cut(text: string, width: number): string {
	const chars = [...text];
	return chars.length <= width ? text : chars.slice(0, width).join('');
}
