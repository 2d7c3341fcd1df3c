/**
 * The one pane table: every fact about a pane that is not drawing. Its order is the Tab order, its keys are the
 * number keys, and the components side (components/pane-registry.tsx) must name a component for every entry, so
 * a new pane is one entry here and one component there. No React here: the keymap, the UI state and the layout
 * read this table too.
 */
import {listeners} from './haproxy-listeners.js';
import type {ClusterSnapshot, SourceName} from './model/snapshot-types.js';

/** What a pane's rows are counted from. */
export type PaneData = {
	readonly snapshot: ClusterSnapshot;
	readonly eventCount: number;
	readonly operationCount: number;
};

/** The space inside a pane's frame. */
export type InnerSize = {readonly width: number; readonly height: number};

type PaneSpec = {
	readonly name: string;
	/** The number key that focuses the pane, also shown in its title. */
	readonly key: string;
	readonly title: string;
	/** The source whose failure makes the pane's data old; none for our own logs. */
	readonly source: SourceName | undefined;
	/** Selectable rows, counted the way the pane counts them, so the app can clamp its cursor. */
	readonly itemCount: (data: PaneData) => number;
	/**
	 * How many of its rows the pane shows in `inner`: PageUp and PageDown move by that. A failing source's notice
	 * costs one more line, which is not counted: a page then overlaps by nothing rather than skipping a row.
	 */
	readonly pageRows: (inner: InnerSize) => number;
};

/** From this width the etcd pane puts the key tree beside the value; below it, over it (half the height each). */
export const ETCD_SIDE_BY_SIDE_WIDTH = 48;

/** A pane whose rows sit under `lines` lines of headings. */
const rowsUnder = (lines: number) => (inner: InnerSize) => inner.height - lines;

const isReplica = (role: string | undefined) => role !== 'leader' && role !== 'standby_leader';

export const PANES = [
	{
		name: 'members',
		key: '1',
		title: 'Members',
		source: 'rest',
		itemCount: ({snapshot}) => snapshot.members.length,
		// The column headings above, and at least one line about the selected member below.
		pageRows: rowsUnder(2),
	},
	{
		name: 'lag',
		key: '2',
		title: 'Lag',
		source: 'postgres',
		itemCount: ({snapshot}) => snapshot.members.filter(member => isReplica(member.role)).length,
		// Two lines a replica only when all of them fit: otherwise one each.
		pageRows: rowsUnder(0),
	},
	{
		name: 'timeline',
		key: '3',
		title: 'Timeline',
		source: 'rest',
		itemCount: ({snapshot}) => snapshot.history.length,
		pageRows: rowsUnder(2),
	},
	{
		name: 'etcd',
		key: '4',
		title: 'etcd',
		source: 'dcs',
		itemCount: ({snapshot}) => snapshot.dcsKeys.length,
		pageRows: ({width, height}) => (width >= ETCD_SIDE_BY_SIDE_WIDTH ? height - 1 : Math.floor((height - 1) / 2)),
	},
	{
		name: 'haproxy',
		key: '5',
		title: 'HAProxy',
		source: 'haproxy',
		// Servers only: the listener headings between them are not rows to select.
		itemCount: ({snapshot}) => listeners(snapshot.backends).reduce((sum, listener) => sum + listener.servers.length, 0),
		pageRows: rowsUnder(0),
	},
	{
		name: 'containers',
		key: '6',
		title: 'Containers',
		source: 'docker',
		itemCount: ({snapshot}) => snapshot.containers.length,
		pageRows: rowsUnder(1),
	},
	{
		name: 'events',
		key: '7',
		title: 'Events',
		source: undefined,
		itemCount: ({eventCount}) => eventCount,
		pageRows: rowsUnder(0),
	},
	{
		name: 'operations',
		key: '8',
		title: 'Operations',
		source: undefined,
		itemCount: ({operationCount}) => operationCount,
		pageRows: rowsUnder(0),
	},
] as const satisfies readonly PaneSpec[];

export type PaneName = (typeof PANES)[number]['name'];
export type Pane = PaneSpec & {readonly name: PaneName};

/** The pane names in Tab order. */
export const PANE_NAMES: readonly PaneName[] = PANES.map(pane => pane.name);

/** The number keys, in order, for the keymap's focus-pane binding. */
export const PANE_KEYS: readonly string[] = PANES.map(pane => pane.key);

const BY_NAME = Object.fromEntries(PANES.map(pane => [pane.name, pane])) as Readonly<Record<PaneName, Pane>>;

export function paneOf(name: PaneName): Pane {
	return BY_NAME[name];
}

export function paneForKey(key: string): PaneName | undefined {
	return PANES.find(pane => pane.key === key)?.name;
}

/** `5 HAProxy`: the key that focuses the pane, then its title, as frames and tabs show it. */
export function paneLabel(name: PaneName): string {
	const pane = paneOf(name);
	return `${pane.key} ${pane.title}`;
}

export function paneItemCounts(data: PaneData): Record<PaneName, number> {
	return Object.fromEntries(PANES.map(pane => [pane.name, pane.itemCount(data)])) as Record<PaneName, number>;
}
