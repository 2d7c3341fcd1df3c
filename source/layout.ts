/**
 * Where everything goes, as arithmetic on the terminal size: no React here, so it is unit-tested on its own.
 * The frame is at most `rows - 1` tall, because in Ink 6 a frame as tall as the terminal repaints the whole
 * screen on every render (flicker in tmux).
 */
import {PANE_NAMES, paneOf, type InnerSize, type PaneName} from './panes.js';

export type TerminalSize = {readonly columns: number; readonly rows: number};
export type Rect = {readonly top: number; readonly left: number; readonly width: number; readonly height: number};
export type PaneSlot = Rect & {readonly pane: PaneName};
export type LayoutColumn = Rect & {readonly panes: readonly PaneSlot[]};

/** What the content asks for; the size still decides. Defaults suit the three-node lab. */
export type LayoutHints = {
	readonly memberCount?: number;
	readonly alertCount?: number;
	/** Lines the status area needs: 1 for the key hints, more while a dialog replaces them (capped to half). */
	readonly statusLines?: number;
};

export type Layout = {
	readonly width: number;
	readonly height: number;
	/** `all` shows every pane; `focus` shows Members and the focused pane, the rest as one row of tabs. */
	readonly mode: 'all' | 'focus';
	readonly header: Rect & {readonly alertLines: number};
	/** Everything between the header and the status bar (the help overlay takes it over). */
	readonly body: Rect;
	/** The full-width pane at the top of the body: Members, unless only the focused pane fits. */
	readonly main?: PaneSlot;
	/** Side-by-side columns under `main`, each a stack of panes. */
	readonly columns: readonly LayoutColumn[];
	/** One line naming the panes that got no frame, so they are still a keypress away. */
	readonly tabs?: Rect & {readonly panes: readonly PaneName[]};
	readonly statusBar: Rect;
	/** Every framed pane, flat (main first, then column by column). */
	readonly panes: readonly PaneSlot[];
};

/** A bordered frame needs its two border lines and one of content. */
export const MIN_FRAME_HEIGHT = 3;
/** Below this a secondary pane shows too little to be worth a frame in the all-panes mode. */
const MIN_SECONDARY_HEIGHT = 6;
const MIN_COLUMN_WIDTH = 60;
const MAX_COLUMNS = 3;
const SECONDARY = PANE_NAMES.filter(pane => pane !== 'members');

export function layout(size: TerminalSize, focusedPane: PaneName, hints: LayoutHints = {}): Layout {
	const width = Math.max(0, Math.floor(size.columns));
	let budget = Math.max(0, Math.floor(size.rows) - 1);
	const alertLines = size.rows >= 20 ? clamp(hints.alertCount ?? 1, 1, size.rows >= 40 ? 3 : 1) : 0;
	const headerHeight = Math.min(budget, size.rows >= 8 ? 2 + alertLines : 1);
	budget -= headerHeight;
	const statusHeight = Math.min(budget, clamp(hints.statusLines ?? 1, 1, Math.max(1, Math.floor(budget / 2))));
	const bodyHeight = budget - statusHeight;
	const body = {top: headerHeight, left: 0, width, height: bodyHeight};

	const columnCount = clamp(Math.floor(width / MIN_COLUMN_WIDTH), 1, MAX_COLUMNS);
	const memberCount = Math.max(1, hints.memberCount ?? 3);
	// Border, column headings, one line per member, and detail lines for the selected member.
	const membersWanted = 2 + 1 + memberCount + (size.rows >= 40 ? 3 : 1);
	const perColumn = Math.ceil(SECONDARY.length / columnCount);
	const isAll = bodyHeight >= membersWanted + perColumn * MIN_SECONDARY_HEIGHT;
	const parts = isAll
		? allPanes(body, membersWanted, columnCount, focusedPane)
		: focusPanes(body, membersWanted, columnCount, focusedPane);

	const statusBar = {top: headerHeight + bodyHeight, left: 0, width, height: statusHeight};
	const panes = [...(parts.main ? [parts.main] : []), ...parts.columns.flatMap(column => column.panes)];
	const hidden = PANE_NAMES.filter(pane => !panes.some(slot => slot.pane === pane));
	const tabs = parts.tabsHeight > 0 && hidden.length > 0
		? {top: body.top + body.height - 1, left: 0, width, height: 1, panes: hidden}
		: undefined;
	return {
		width,
		height: headerHeight + bodyHeight + statusHeight,
		mode: isAll ? 'all' : 'focus',
		header: {top: 0, left: 0, width, height: headerHeight, alertLines: Math.min(alertLines, Math.max(0, headerHeight - 2))},
		body,
		...(parts.main ? {main: parts.main} : {}),
		columns: parts.columns,
		...(tabs ? {tabs} : {}),
		statusBar,
		panes,
	};
}

type BodyParts = {readonly main?: PaneSlot; readonly columns: readonly LayoutColumn[]; readonly tabsHeight: number};

/** Members across the top, then every other pane in columns sharing the rest of the height. */
function allPanes(body: Rect, membersHeight: number, columnCount: number, focusedPane: PaneName): BodyParts {
	const main = {pane: 'members' as const, top: body.top, left: 0, width: body.width, height: membersHeight};
	const band = {top: body.top + membersHeight, height: body.height - membersHeight};
	const perColumn = Math.ceil(SECONDARY.length / columnCount);
	const groups = Array.from({length: columnCount}, (_, index) => SECONDARY.slice(index * perColumn, (index + 1) * perColumn));
	return {main, columns: toColumns(groups.filter(group => group.length > 0), band, body.width, focusedPane), tabsHeight: 0};
}

/** Too small for everything: Members (when it fits) over the focused pane and its neighbours, plus a tab row. */
function focusPanes(body: Rect, membersWanted: number, columnCount: number, focusedPane: PaneName): BodyParts {
	// The tab row costs a line: spend it unless that line is what lets the focused pane have a frame at all.
	const tabsHeight = body.height === MIN_FRAME_HEIGHT ? 0 : Math.min(1, body.height);
	const room = body.height - tabsHeight;
	const secondary = focusedPane === 'members' ? 'lag' : focusedPane;
	const membersMinimum = MIN_FRAME_HEIGHT + 1;
	let membersHeight: number;
	if (focusedPane === 'members') membersHeight = room >= membersWanted + MIN_FRAME_HEIGHT + 1 ? membersWanted : room;
	else membersHeight = room >= membersMinimum + MIN_SECONDARY_HEIGHT ? Math.min(membersWanted, room - MIN_SECONDARY_HEIGHT) : 0;
	const main = membersHeight >= MIN_FRAME_HEIGHT
		? {pane: 'members' as const, top: body.top, left: 0, width: body.width, height: membersHeight}
		: undefined;
	const band = {top: body.top + (main ? membersHeight : 0), height: room - (main ? membersHeight : 0)};
	if (band.height < MIN_FRAME_HEIGHT) return {...(main ? {main} : {}), columns: [], tabsHeight};
	const start = SECONDARY.indexOf(secondary);
	const shown = Array.from({length: columnCount}, (_, offset) => SECONDARY[(start + offset) % SECONDARY.length]!);
	return {...(main ? {main} : {}), columns: toColumns(shown.map(pane => [pane]), band, body.width, focusedPane), tabsHeight};
}

/** Splits the width evenly (the last column takes the remainder), and each column's height among its panes. */
function toColumns(
	groups: ReadonlyArray<readonly PaneName[]>,
	band: {readonly top: number; readonly height: number},
	width: number,
	focusedPane: PaneName,
): LayoutColumn[] {
	const columnWidth = Math.floor(width / Math.max(1, groups.length));
	return groups.map((group, index) => {
		const left = index * columnWidth;
		const thisWidth = index === groups.length - 1 ? width - left : columnWidth;
		const heights = splitHeight(band.height, group, focusedPane);
		let top = band.top;
		const panes = group.map((pane, paneIndex) => {
			const slot = {pane, top, left, width: thisWidth, height: heights[paneIndex]!};
			top += slot.height;
			return slot;
		});
		return {top: band.top, left, width: thisWidth, height: band.height, panes};
	});
}

/** Even shares; the remainder goes to the focused pane when it is in this stack, else to the last one. */
function splitHeight(total: number, group: readonly PaneName[], focusedPane: PaneName): number[] {
	const base = Math.floor(total / group.length);
	const heights = group.map(() => base);
	const focusedIndex = group.indexOf(focusedPane);
	const target = focusedIndex === -1 ? group.length - 1 : focusedIndex;
	heights[target] = heights[target]! + total - base * group.length;
	return heights;
}

/** The space inside a frame of this size: the border takes a line or a column on every side. */
export function innerSize(width: number, height: number): InnerSize {
	return {width: Math.max(0, width - 2), height: Math.max(0, height - 2)};
}

/**
 * How far PageUp and PageDown move the cursor of `pane`: the rows it shows in the frame this layout gave it.
 * A pane with no frame (only a tab) shows nothing, so a page is a row.
 */
export function pageRows(frame: Layout, pane: PaneName): number {
	const slot = frame.panes.find(candidate => candidate.pane === pane);
	if (!slot) return 1;
	return Math.max(1, paneOf(pane).pageRows(innerSize(slot.width, slot.height)));
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}
