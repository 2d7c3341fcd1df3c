/**
 * The fleet and, once Enter is pressed, one cluster's full dashboard in its place; Esc there comes back. Each opened
 * cluster gets its own monitor and runner from `open`, stopped when the user goes back: the fleet itself asks
 * nothing but its one etcd watch.
 */
import {useApp, useInput} from 'ink';
import {useRef, useState} from 'react';
import {INITIAL_FLEET_UI, fleetKey, type FleetUi} from '../source/fleet-keys.js';
import type {FleetView} from '../source/fleet-monitor.js';
import {keyName} from '../source/keymap.js';
import {filterFleet} from '../source/model/fleet.js';
import {App, type AppProps} from './app.js';
import {useLatestReducer} from './hooks/use-latest-reducer.js';
import {FleetScreen} from './fleet-screen.js';
import {useMonitor, type MonitorStore} from './hooks/use-monitor.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';

/** One cluster opened from the fleet: the App's props, and how to stop what was started for it. */
export type ClusterSession = {readonly scope: string; readonly app: Omit<AppProps, 'onBack'>; readonly stop: () => Promise<void>};

export type FleetAppProps = {
	readonly fleet: MonitorStore<FleetView>;
	readonly open: (scope: string) => ClusterSession;
	/** Called with the open session whenever it changes (the runner must know what to stop on quit). */
	readonly onSession?: (session: ClusterSession | undefined) => void;
};

const replaceUi = (_: FleetUi, next: FleetUi) => next;

export function FleetApp({fleet, open, onSession}: FleetAppProps) {
	const view = useMonitor(fleet);
	const {columns, rows: terminalRows} = useTerminalSize();
	// Keys can come faster than renders (a paste, tmux send-keys): the handler reads the latest filter, cursor and
	// session, never those of the render it was made in.
	const [ui, setUi, latestUi] = useLatestReducer(replaceUi, INITIAL_FLEET_UI);
	const [session, setSession] = useState<ClusterSession>();
	const openSession = useRef<ClusterSession | undefined>(undefined);
	const [message, setMessage] = useState<string>();
	const {exit} = useApp();
	const shown = filterFleet(view.rows, ui.filter);

	const enter = (next: ClusterSession | undefined) => {
		openSession.current = next;
		setSession(next);
		onSession?.(next);
	};

	useInput(
		(input, key) => {
			if (openSession.current) return;
			const current = latestUi();
			const rows = filterFleet(fleet.getView().rows, current.filter);
			const outcome = fleetKey(current, {name: keyName(input, key), input}, rows.length, Math.max(1, terminalRows - 5));
			if (outcome.kind === 'quit') exit();
			else if (outcome.kind === 'update') setUi(outcome.ui);
			else if (outcome.kind === 'open') {
				const row = rows[outcome.index];
				if (!row) return;
				setMessage(undefined);
				enter(open(row.scope));
			}
		},
		{isActive: session === undefined},
	);

	if (session) {
		const back = () => {
			const {scope} = session;
			enter(undefined);
			setMessage(`back from ${scope}`);
			void session.stop();
		};
		return <App key={session.scope} {...session.app} onBack={back} />;
	}
	return <FleetScreen view={view} shown={shown} filter={ui.filter} cursor={ui.cursor} columns={columns} rows={terminalRows} message={message} />;
}
