/** The monitor as `patroni-tui` runs it (createMonitor, the real App, an operation runner), drawn headless. */
import os from 'node:os';
import path from 'node:path';
import {App} from '../../components/app.js';
import type {MonitorConfig} from '../../source/config.js';
import type {Monitor} from '../../source/monitor.js';
import type {OperationRunner} from '../../source/operations/runner.js';
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';
import {createAppFlows, createMonitor, createRunner} from '../../source/run-monitor.js';
import {LAB} from './bench-lab.js';
import {renderHeadless, type Headless} from './headless.js';

export type Size = {readonly columns: number; readonly rows: number};

export type LiveMonitor = {
	readonly config: MonitorConfig;
	readonly monitor: Monitor;
	readonly runner: OperationRunner;
	readonly ui: Headless;
	stop(): Promise<void>;
};

export const eventLog = (name: string) => path.join(os.tmpdir(), `patroni-tui-bench-${name}-events.log`);

export function labMonitorFlags(extra: MonitorFlags = {}): MonitorFlags {
	return {lab: true, scope: LAB.scope, stateDir: LAB.stateDir, portOffset: LAB.portOffset, logFile: eventLog('lab'), ...extra};
}

export function startLiveMonitor(flags: MonitorFlags, size: Size): LiveMonitor {
	const config = resolveMonitorConfig(flags);
	const monitor = createMonitor(config, message => process.stderr.write(`monitor: ${message}\n`));
	const runner = createRunner(config, monitor);
	monitor.start();
	const ui = renderHeadless(<App monitor={monitor} isReadOnly={config.isReadOnly} runner={runner} flows={createAppFlows(config, monitor)} />, size);
	return {
		config,
		monitor,
		runner,
		ui,
		async stop() {
			ui.unmount();
			await runner.stop();
			await monitor.stop();
		},
	};
}

/** The line of the frame that names `name` (the members table's row, or the header for `leader`). */
export function lineWith(text: string, ...parts: readonly string[]): string | undefined {
	return text.split('\n').find(line => parts.every(part => line.includes(part)));
}

export function shownLeader(text: string): string | undefined {
	return /│ leader (\S+)/.exec(text)?.[1];
}
