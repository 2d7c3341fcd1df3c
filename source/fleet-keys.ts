/**
 * The fleet's keys, as one pure step: what is typed filters (scopes are names, so letters are the filter's), the
 * arrows move, Enter opens the cluster under the cursor, Esc clears the filter, q quits while nothing is typed
 * and Ctrl-C always. Key names are keymap.ts's keyName.
 */
export type FleetUi = {readonly filter: string; readonly cursor: number};

export type FleetKeyOutcome =
	| {readonly kind: 'update'; readonly ui: FleetUi}
	| {readonly kind: 'open'; readonly index: number}
	| {readonly kind: 'quit'}
	| {readonly kind: 'none'};

export const INITIAL_FLEET_UI: FleetUi = {filter: '', cursor: 0};

/** The hints the fleet's bottom line shows, in order: [key, what it does]. */
export const FLEET_HINTS: ReadonlyArray<readonly [string, string]> = [
	['Enter', 'open'],
	['↑↓', 'move'],
	['type', 'filter'],
	['Esc', 'clear'],
	['q', 'quit'],
];

/**
 * A scope is a Patroni name: anything printable but space may be typed into the filter. One terminal read can
 * bring several characters (a paste, tmux send-keys -l, a fast typist over SSH): all of them are typed.
 */
const isFilterText = (input: string) => /^[\x21-\x7e]+$/.test(input);

export function fleetKey(ui: FleetUi, key: {readonly name: string; readonly input: string}, count: number, pageRows: number): FleetKeyOutcome {
	const move = (by: number): FleetKeyOutcome => ({kind: 'update', ui: {...ui, cursor: Math.max(0, Math.min(count - 1, ui.cursor + by))}});
	switch (key.name) {
		case 'ctrl-c':
			return {kind: 'quit'};
		case 'return':
			return count > 0 ? {kind: 'open', index: Math.min(ui.cursor, count - 1)} : {kind: 'none'};
		case 'up':
			return move(-1);
		case 'down':
			return move(1);
		case 'pageup':
			return move(-Math.max(1, pageRows));
		case 'pagedown':
			return move(Math.max(1, pageRows));
		case 'escape':
			return ui.filter ? {kind: 'update', ui: {filter: '', cursor: 0}} : {kind: 'none'};
		case 'backspace':
		case 'delete':
			return ui.filter ? {kind: 'update', ui: {filter: ui.filter.slice(0, -1), cursor: 0}} : {kind: 'none'};
		default:
			// q alone quits while nothing is typed; a q inside a pasted name is the name's.
			if (key.input === 'q' && ui.filter === '') return {kind: 'quit'};
			return isFilterText(key.input) ? {kind: 'update', ui: {filter: ui.filter + key.input, cursor: 0}} : {kind: 'none'};
	}
}
