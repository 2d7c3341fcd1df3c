import {useApp, useInput} from 'ink';
import {useReducer} from 'react';
import {activeKeymap, bindingFor, keyName} from '../source/keymap.js';
import type {MonitorView} from '../source/monitor.js';
import {INITIAL_UI_STATE, uiReducer} from '../source/ui-state.js';
import {Dashboard} from './dashboard.js';
import {useMonitor, type MonitorStore} from './hooks/use-monitor.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {paneItemCounts} from './pane-item-counts.js';

export type AppProps = {
	readonly monitor: MonitorStore<MonitorView>;
	readonly isReadOnly: boolean;
};

/** The live monitor: draws the monitor's view and turns keys into commands through the one keymap table. */
export function App({monitor, isReadOnly}: AppProps) {
	const view = useMonitor(monitor);
	const {columns, rows} = useTerminalSize();
	const [ui, dispatch] = useReducer(uiReducer, INITIAL_UI_STATE);
	const {exit} = useApp();
	const keymap = activeKeymap(isReadOnly);

	useInput((input, key) => {
		const name = keyName(input, key);
		if (ui.isHelpOpen && (name === 'escape' || name === '?')) {
			dispatch({type: 'close-overlay'});
			return;
		}
		const binding = bindingFor(keymap, name);
		if (!binding) return;
		if (binding.command === 'quit') {
			exit();
			return;
		}
		dispatch({type: 'command', command: binding.command, key: name, itemCounts: paneItemCounts(view.snapshot, view.events.length)});
	});

	return (
		<Dashboard
			snapshot={view.snapshot}
			lagHistory={view.lagHistory.samples}
			events={view.events}
			focusedPane={ui.focusedPane}
			selection={ui.selection}
			columns={columns}
			rows={rows}
			isReadOnly={isReadOnly}
			isHelpOpen={ui.isHelpOpen}
			message={ui.message}
		/>
	);
}
