import {useApp, useInput} from 'ink';
import {useRef} from 'react';

import {dialogReducer, type Dialog, type DialogStep} from '../source/dialog.js';
import type {FlowContext, Flows} from '../source/flows.js';
import {activeKeymap, bindingFor, keyName, type ActionCommand} from '../source/keymap.js';
import {pageRows} from '../source/layout.js';
import {DEFAULT_THRESHOLDS, type Thresholds} from '../source/model/alerts.js';
import type {MonitorView} from '../source/monitor.js';
import type {RunnerView} from '../source/operations/runner.js';
import {paneItemCounts} from '../source/panes.js';
import {INITIAL_UI_STATE, uiReducer} from '../source/ui-state.js';
import {Dashboard} from './dashboard.js';
import {useLatestReducer} from './hooks/use-latest-reducer.js';
import {useMonitor, type MonitorStore} from './hooks/use-monitor.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {screenLayout} from './screen-layout.js';
import {clampIndex} from './scroll-window.js';

export type AppProps = {
	/** `dismissLost` forgets a lost member (the `d` key); without it the key says it is not available. */
	readonly monitor: MonitorStore<MonitorView> & {readonly dismissLost?: (name: string) => boolean};
	readonly isReadOnly: boolean;
	/** The alert thresholds the monitor was started with; the lag figures are coloured by them. */
	readonly thresholds?: Thresholds;
	/** Operations: where they run and how each action key sets one up. Absent: the monitor only watches. */
	readonly runner?: MonitorStore<RunnerView> & {readonly start: (operation: DialogStepRun['operation']) => Promise<void>};
	readonly flows?: Flows;
	/** Opened from the fleet: Esc (nothing open) goes back to it, unless an operation is still running here. */
	readonly onBack?: () => void;
};

type DialogStepRun = Extract<DialogStep, {kind: 'run'}>;

const replaceDialog = (_: Dialog | undefined, next: Dialog | undefined) => next;

const EMPTY_RUNNER_VIEW: RunnerView = {operations: []};
const NO_OPERATIONS: MonitorStore<RunnerView> = {getView: () => EMPTY_RUNNER_VIEW, subscribe: () => () => undefined};

/** `d`: the member under the Members cursor is forgotten if it is lost; the status line says what happened. */
function dismissLost(monitor: AppProps['monitor'], index: number): string {
	const {members} = monitor.getView().snapshot;
	const member = members[clampIndex(index, members.length)];
	if (!member?.lost) return `${member?.name ?? 'no member'} is not lost: nothing to dismiss`;
	return monitor.dismissLost?.(member.name) ? `dismissed lost member ${member.name}` : 'dismiss lost member: not available here';
}

/** The live monitor: draws the monitor's view and turns keys into commands through the one keymap table. */
export function App({monitor, isReadOnly, thresholds = DEFAULT_THRESHOLDS, runner, flows, onBack}: AppProps) {
	const view = useMonitor(monitor);
	const operations = useMonitor(runner ?? NO_OPERATIONS).operations;
	const {columns, rows} = useTerminalSize();
	// The handler reads the latest UI state and dialog, never the ones of the render it was made in: a fast
	// typist (or a paste) must not meet a stale dialog or cursor.
	// Opened from the fleet, the first message says how to get back (the reducer reads its initial state once).
	const [ui, dispatch, latestUi] = useLatestReducer(uiReducer, onBack ? {...INITIAL_UI_STATE, message: `${monitor.getView().snapshot.scope}, from the fleet: Esc goes back`} : INITIAL_UI_STATE);
	const [dialog, setDialog, latestDialog] = useLatestReducer(replaceDialog, undefined);
	const {exit} = useApp();
	const keymap = activeKeymap(isReadOnly);

	// Only the newest answer counts: an answer still being worked out (pg_settings read, a plan made) when Esc
	// cancelled, or when another answer followed it, must not reopen a dialog or start an operation.
	const answers = useRef(0);
	const follow = async (next: DialogStep | Promise<DialogStep>) => {
		const ticket = ++answers.current;
		try {
			const step = await next;
			if (ticket !== answers.current) return;
			if (step.kind === 'dialog') return setDialog(step.dialog);
			setDialog(undefined);
			if (step.kind === 'close') return dispatch({type: 'message', text: step.message});
			dispatch({type: 'message', text: `started: ${step.operation.title}`});
			void runner?.start(step.operation);
		} catch (error) {
			if (ticket !== answers.current) return;
			setDialog(undefined);
			dispatch({type: 'message', text: error instanceof Error ? error.message : String(error)});
		}
	};

	const context = (): FlowContext => ({
		snapshot: monitor.getView().snapshot,
		selection: latestUi().selection,
	});

	useInput((input, key) => {
		const name = keyName(input, key);
		const open = latestDialog();
		if (open) {
			const outcome = dialogReducer(open, {name, input});
			if (outcome.kind === 'update') setDialog(outcome.dialog);
			else if (outcome.kind === 'cancel') {
				answers.current++;
				setDialog(undefined);
				dispatch({type: 'message', text: outcome.message ?? 'cancelled: nothing was sent'});
			} else if (outcome.kind === 'submit') void follow(open.onAnswer(outcome.answer, outcome.dialog));
			return;
		}
		// Esc before a dialog has opened (pg_settings still being read) drops it too.
		if (name === 'escape') answers.current++;
		if (latestUi().isHelpOpen && (name === 'escape' || name === '?')) {
			dispatch({type: 'close-overlay'});
			return;
		}
		if (name === 'escape' && onBack) {
			// Leaving would stop this cluster's monitor and runner, and with them the operation: it finishes first.
			const running = (runner ?? NO_OPERATIONS).getView().operations.find(record => record.state === 'running');
			if (running) dispatch({type: 'message', text: `"${running.title}" is running: back to the fleet once it ends (q quits and cancels it)`});
			else onBack();
			return;
		}
		const binding = bindingFor(keymap, name);
		if (!binding) return;
		if (binding.command === 'quit') {
			exit();
			return;
		}
		if (binding.command === 'dismiss-lost') {
			dispatch({type: 'message', text: dismissLost(monitor, latestUi().selection.members)});
			return;
		}
		if (binding.isMutating) {
			const flow = flows?.[binding.command as ActionCommand];
			if (!flow) dispatch({type: 'message', text: `${binding.label}: not available here`});
			else void follow(flow(context()));
			return;
		}
		const {snapshot, events} = monitor.getView();
		const {focusedPane} = latestUi();
		const itemCounts = paneItemCounts({snapshot, eventCount: events.length, operationCount: (runner ?? NO_OPERATIONS).getView().operations.length});
		// No dialog is open here (it would have taken the key), so the status area is its one line.
		const page = pageRows(screenLayout({columns, rows}, focusedPane, snapshot), focusedPane);
		dispatch({type: 'command', command: binding.command, key: name, itemCounts, pageRows: page});
	});

	return (
		<Dashboard
			snapshot={view.snapshot}
			lagHistory={view.lagHistory.samples}
			events={view.events}
			operations={operations}
			focusedPane={ui.focusedPane}
			selection={ui.selection}
			columns={columns}
			rows={rows}
			isReadOnly={isReadOnly}
			thresholds={thresholds}
			isHelpOpen={ui.isHelpOpen}
			message={ui.message}
			dialog={dialog}
		/>
	);
}
