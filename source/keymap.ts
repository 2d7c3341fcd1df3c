/**
 * The one keybinding table: it drives input matching, the status bar's hints and the `?` help, so the hints
 * cannot drift from what the keys do. Handlers only dispatch the command. (The panes and their number keys are in
 * source/panes.ts.)
 */
import {PANE_KEYS} from './panes.js';

export type Command =
	| 'quit'
	| 'help'
	| 'focus-next'
	| 'focus-previous'
	| 'focus-pane'
	| 'move-up'
	| 'move-down'
	| 'page-up'
	| 'page-down'
	| 'dismiss-lost'
	| 'switchover'
	| 'failover'
	| 'restart'
	| 'reload'
	| 'reinitialize'
	| 'pause-resume'
	| 'cancel-scheduled'
	| 'edit-parameter'
	| 'rolling-restart'
	| 'container'
	| 'haproxy-server'
	| 'replication-check'
	| 'write-probe';

/** The commands that act on the cluster: each opens a dialog that names its target before anything is sent. */
export type ActionCommand = Extract<
	Command,
	| 'switchover'
	| 'failover'
	| 'restart'
	| 'reload'
	| 'reinitialize'
	| 'pause-resume'
	| 'cancel-scheduled'
	| 'edit-parameter'
	| 'rolling-restart'
	| 'container'
	| 'haproxy-server'
	| 'replication-check'
	| 'write-probe'
>;

export type KeyBinding = {
	/** Printable key(s), or a named key: 'tab', 'shift-tab', 'up', 'down', 'pageup', 'pagedown', 'ctrl-c'. */
	readonly keys: readonly string[];
	readonly command: Command;
	readonly label: string;
	/** Shown in the status bar's hints (the help lists every binding). */
	readonly isHinted: boolean;
	/** Whether the key changes the cluster; `--read-only` drops every such binding. */
	readonly isMutating: boolean;
};

export const KEYMAP = [
	{keys: ['q', 'ctrl-c'], command: 'quit', label: 'quit', isHinted: true, isMutating: false},
	{keys: ['?'], command: 'help', label: 'help', isHinted: true, isMutating: false},
	{keys: ['tab'], command: 'focus-next', label: 'next pane', isHinted: true, isMutating: false},
	{keys: ['shift-tab'], command: 'focus-previous', label: 'previous pane', isHinted: false, isMutating: false},
	{keys: PANE_KEYS, command: 'focus-pane', label: 'focus pane', isHinted: true, isMutating: false},
	{keys: ['k', 'up'], command: 'move-up', label: 'up', isHinted: false, isMutating: false},
	{keys: ['j', 'down'], command: 'move-down', label: 'down', isHinted: true, isMutating: false},
	{keys: ['pageup'], command: 'page-up', label: 'page up', isHinted: false, isMutating: false},
	{keys: ['pagedown'], command: 'page-down', label: 'page down', isHinted: false, isMutating: false},
	// Only the monitor's memory changes (the member under the Members cursor is forgotten), so --read-only keeps it.
	{keys: ['d'], command: 'dismiss-lost', label: 'dismiss lost member', isHinted: false, isMutating: false},
	{keys: ['s'], command: 'switchover', label: 'switchover', isHinted: true, isMutating: true},
	{keys: ['f'], command: 'failover', label: 'failover', isHinted: false, isMutating: true},
	{keys: ['e'], command: 'edit-parameter', label: 'edit parameter', isHinted: true, isMutating: true},
	{keys: ['R'], command: 'rolling-restart', label: 'rolling restart', isHinted: false, isMutating: true},
	{keys: ['r'], command: 'restart', label: 'restart member', isHinted: false, isMutating: true},
	{keys: ['l'], command: 'reload', label: 'reload config', isHinted: false, isMutating: true},
	{keys: ['i'], command: 'reinitialize', label: 'reinitialize replica', isHinted: false, isMutating: true},
	{keys: ['p'], command: 'pause-resume', label: 'pause / resume', isHinted: false, isMutating: true},
	{keys: ['x'], command: 'cancel-scheduled', label: 'cancel scheduled', isHinted: false, isMutating: true},
	{keys: ['c'], command: 'container', label: 'container', isHinted: true, isMutating: true},
	{keys: ['h'], command: 'haproxy-server', label: 'HAProxy server', isHinted: false, isMutating: true},
	{keys: ['t'], command: 'replication-check', label: 'replication check', isHinted: false, isMutating: true},
	{keys: ['w'], command: 'write-probe', label: 'write probe', isHinted: false, isMutating: true},
] as const satisfies readonly KeyBinding[];

/** The bindings in force: `--read-only` removes every mutating one. */
export function activeKeymap(isReadOnly: boolean): readonly KeyBinding[] {
	return KEYMAP.filter(binding => !(isReadOnly && binding.isMutating));
}

/** Finds the binding for a key name (as `keyName` below produces it). */
export function bindingFor(keymap: readonly KeyBinding[], key: string): KeyBinding | undefined {
	return keymap.find(binding => binding.keys.includes(key));
}

/** Ink's (input, key) pair reduced to one name the keymap uses. */
export function keyName(
	input: string,
	key: {readonly tab?: boolean; readonly shift?: boolean; readonly upArrow?: boolean; readonly downArrow?: boolean; readonly pageUp?: boolean; readonly pageDown?: boolean; readonly ctrl?: boolean; readonly escape?: boolean; readonly return?: boolean; readonly backspace?: boolean; readonly delete?: boolean},
): string {
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.escape) return 'escape';
	if (key.return) return 'return';
	if (key.backspace) return 'backspace';
	if (key.delete) return 'delete';
	if (key.ctrl) return `ctrl-${input}`;
	return input;
}
