/** Renders with ink-testing-library and hands back the last frame as plain text (no ANSI), then unmounts. */
import {stripVTControlCharacters} from 'node:util';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {createElement, type ReactElement} from 'react';
import {PANE_NAMES, type PaneName} from '../../source/panes.js';

export function renderText(element: ReactElement): string {
	const instance = render(element);
	try {
		return stripVTControlCharacters(instance.lastFrame() ?? '');
	} finally {
		instance.unmount();
	}
}

/** A pane drawn in a box of the size a frame would give it, as plain text. */
export function renderIn(element: ReactElement, width: number, height: number): string {
	return renderText(createElement(Box, {width, height, flexDirection: 'column', overflow: 'hidden'}, element));
}

export function lines(frame: string): string[] {
	return frame.split('\n');
}

/** Width in terminal cells; every glyph we draw is one cell wide. */
export function widest(frame: string): number {
	return Math.max(0, ...lines(frame).map(line => [...line].length));
}

export const NO_SELECTION: Readonly<Record<PaneName, number>> = Object.fromEntries(PANE_NAMES.map(pane => [pane, 0])) as Record<PaneName, number>;
