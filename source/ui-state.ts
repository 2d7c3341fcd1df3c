import type {Command} from './keymap.js';
import {PANE_NAMES, paneForKey, type PaneName} from './panes.js';

/** The app's own state (not the cluster's): which pane has focus, where each pane's cursor is, overlays. */
export type UiState = {
	readonly focusedPane: PaneName;
	readonly selection: Readonly<Record<PaneName, number>>;
	readonly isHelpOpen: boolean;
	readonly message?: string;
};

export const INITIAL_UI_STATE: UiState = {
	focusedPane: 'members',
	selection: Object.fromEntries(PANE_NAMES.map(pane => [pane, 0])) as Record<PaneName, number>,
	isHelpOpen: false,
};

export type UiAction =
	| {
			readonly type: 'command';
			readonly command: Command;
			readonly key: string;
			readonly itemCounts: Readonly<Partial<Record<PaneName, number>>>;
			/** The rows the focused pane shows in the frame it has now: PageUp and PageDown move by that. */
			readonly pageRows: number;
	  }
	| {readonly type: 'close-overlay'}
	| {readonly type: 'message'; readonly text: string | undefined};

function moveFocus(current: PaneName, step: number): PaneName {
	const index = PANE_NAMES.indexOf(current);
	return PANE_NAMES[(index + step + PANE_NAMES.length) % PANE_NAMES.length]!;
}

function moveSelection(state: UiState, delta: number, count: number): UiState {
	const pane = state.focusedPane;
	const next = Math.max(0, Math.min(Math.max(count - 1, 0), state.selection[pane] + delta));
	return next === state.selection[pane] ? state : {...state, selection: {...state.selection, [pane]: next}};
}

/** Pure: a command (from the keymap) and the state it meets give the next state. Unchanged state is returned as is. */
export function uiReducer(state: UiState, action: UiAction): UiState {
	if (action.type === 'close-overlay') return state.isHelpOpen ? {...state, isHelpOpen: false} : state;
	if (action.type === 'message') return state.message === action.text ? state : {...state, message: action.text};
	const count = action.itemCounts[state.focusedPane] ?? 0;
	// A pane squeezed to nothing still moves: a page is at least a row.
	const page = Math.max(1, Math.floor(action.pageRows));
	switch (action.command) {
		case 'help':
			return {...state, isHelpOpen: !state.isHelpOpen};
		case 'focus-next':
			return {...state, focusedPane: moveFocus(state.focusedPane, 1)};
		case 'focus-previous':
			return {...state, focusedPane: moveFocus(state.focusedPane, -1)};
		case 'focus-pane': {
			const pane = paneForKey(action.key);
			return pane && pane !== state.focusedPane ? {...state, focusedPane: pane} : state;
		}
		case 'move-up':
			return moveSelection(state, -1, count);
		case 'move-down':
			return moveSelection(state, 1, count);
		case 'page-up':
			return moveSelection(state, -page, count);
		case 'page-down':
			return moveSelection(state, page, count);
		default:
			// quit and the actions are the app's to carry out; they leave the UI state as it is.
			return state;
	}
}
