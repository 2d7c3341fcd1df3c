import {configWarnings} from './config-warnings.js';
import type {MonitorConfig} from './config.js';
import {defaultEventLogPath, eventLogAppender} from './event-log-file.js';
import {visible, visibleJson} from './model/visible.js';
import {Monitor} from './monitor.js';
import {Cadence} from './sources/cadence.js';
import {buildSources, offReasons} from './monitor-sources.js';
import {createFlows} from './flows.js';
import {operationContext} from './operations/context.js';
import {OperationRunner} from './operations/runner.js';
import {exitCodeFor, exitSoon, quitSignals, restoreTerminal, say, type QuitSignal} from './quit.js';
import type {Instance} from 'ink';
import {sleep} from './async.js';

/** How long after the last change, alert or operation step the polls stay at --interval. */
const SETTLE_MS = 30_000;

export function createMonitor(config: MonitorConfig, onWarning: (message: string) => void): Monitor {
	// The PostgreSQL source follows the members the monitor discovers: it asks the monitor built just below.
	const built: {monitor?: Monitor} = {};
	const cadence = new Cadence(config.intervalMs, config.calmIntervalMs, SETTLE_MS);
	const tickMs = Math.min(1000, config.intervalMs);
	const sources = buildSources(config, () => built.monitor?.getView(), cadence);
	const appendToLog = eventLogAppender(config.logFile ?? defaultEventLogPath(), onWarning, {scope: config.scope, maxBytes: config.logMaxBytes});
	const {statsUrl, primary} = config.haproxy;
	const monitor = new Monitor(sources, {
		scope: config.scope,
		offReasons: offReasons(config),
		warnings: configWarnings(config),
		endpoints: {etcd: config.dcs.endpoints, haproxy: [...(statsUrl ? [statsUrl] : []), ...(primary ? [`${primary.host.includes(':') ? `[${primary.host}]` : primary.host}:${primary.port}`] : [])]},
		thresholds: config.thresholds,
		// What is not news (ages, lag figures) is drawn once a tick: every second, or every poll when --interval is
		// shorter; once calm, every calm poll. A tick is a whole frame, most of what an idle monitor costs (see
		// docs/benchmark.md), and a calm cluster has nothing new to show in between: news is drawn at once either
		// way, and any change makes the ticks fast again.
		tick: cadence.alongside(tickMs, Math.max(tickMs, config.calmIntervalMs)),
		// Anything logged is a change in the cluster or an operation's step: look closely for a while.
		onEvents: events => {
			cadence.quicken();
			appendToLog(events);
		},
	});
	// An alert keeps the polls fast for as long as it stands.
	monitor.subscribe(() => {
		if (monitor.getView().snapshot.alerts.length > 0) cadence.quicken();
	});
	built.monitor = monitor;
	return monitor;
}

/** --json, or no terminal: one complete snapshot on stdout. Exit code 0 when the cluster has a leader, else 1. */
export async function printSnapshot(config: MonitorConfig, timeoutMs = 5000): Promise<number> {
	const monitor = createMonitor(config, message => process.stderr.write(`patroni-tui: ${visible(message)}\n`));
	monitor.start();
	await monitor.untilComplete(timeoutMs);
	const {snapshot} = monitor.getView();
	await monitor.stop();
	process.stdout.write(visibleJson(JSON.stringify(snapshot, null, 2)) + '\n');
	return snapshot.leader ? 0 : 1;
}

/** The operation runner for a monitor: its steps also go to the monitor's event log. */
export function createRunner(config: MonitorConfig, monitor: Monitor): OperationRunner {
	return new OperationRunner({
		isReadOnly: config.isReadOnly,
		onStep: (title, event) => monitor.logOperation(title, event),
	});
}

export function createAppFlows(config: MonitorConfig, monitor: Monitor) {
	const context = operationContext(config, () => monitor.getView().snapshot);
	return createFlows(() => context);
}

/**
 * How Ink draws the live monitor (the benchmark draws with the same). Ink holds a frame back until 1000 / maxFps
 * ms after the one before (16 ms at 60): in a switchover, where frames come every few tens of ms, that held the
 * new leader's frame back behind the one before it (median 31 ms from the etcd write to the frame at 60, 22 at
 * 1000, docs/benchmark.md figure 1). The monitor paces its own draws (source/draw-pacer.ts), so Ink's throttle
 * only merges renders asked for within the same millisecond, such as a burst of key presses.
 */
export const INK_RENDER_OPTIONS = {maxFps: 1000} as const;

/** The longest the terminal stays blank at start while the sources first answer (a down cluster answers fast). */
export const FIRST_FRAME_WAIT_MS = 1000;

/**
 * The quit budget: q, Ctrl-C or a signal ends the process within 2 s, whatever is in flight. Operations get
 * RUNNER_STOP_MS to cancel themselves (each step and wait takes the runner's signal), the sources SOURCES_STOP_MS;
 * then the process exits even if some library still holds a socket.
 */
const RUNNER_STOP_MS = 900;
const SOURCES_STOP_MS = 300;
export const EXIT_BACKSTOP_MS = 300;

/** The live monitor in the terminal, until q, Ctrl-C, SIGTERM, SIGHUP or SIGINT; sources and operations are stopped before returning. */
export async function runInteractive(config: MonitorConfig): Promise<number> {
	let warning: string | undefined;
	const monitor = createMonitor(config, message => (warning = message));
	const runner = createRunner(config, monitor);
	// From the first moment: a signal while the sources connect must also leave the terminal as it was.
	const signals = quitSignals();
	let ended: 'quit' | QuitSignal;
	let app: Instance;
	try {
		monitor.start();
		// Ink and the components load only here, while the sources are already connecting: --json never draws.
		const [{render}, {App}] = await Promise.all([import('ink'), import('../components/app.js')]);
		// The first frame waits for the complete picture (or FIRST_FRAME_WAIT_MS): a frame of half-known state costs
		// as much as a full one, the first ones most (nothing is compiled yet), and would hold up the answers behind it.
		await Promise.race([monitor.untilComplete(FIRST_FRAME_WAIT_MS), signals.signal]);
		app = render(
			<App monitor={monitor} isReadOnly={config.isReadOnly} thresholds={config.thresholds} runner={runner} flows={createAppFlows(config, monitor)} />,
			{...INK_RENDER_OPTIONS, exitOnCtrlC: true},
		);
		ended = await Promise.race([app.waitUntilExit().then(() => 'quit' as const, () => 'quit' as const), signals.signal]);
	} catch (error) {
		// Whatever failed, a signal must again end the process as Node's default does.
		signals.dispose();
		throw error;
	}
	if (ended !== 'quit') {
		restoreTerminal(); // first the error handlers: on a dropped SSH session Ink's last write fails
		app.unmount();
	}
	restoreTerminal();
	const code = await endSession(ended, runner, monitor);
	signals.dispose();
	if (warning) say(warning);
	exitSoon(EXIT_BACKSTOP_MS, code);
	return code;
}

/** What is in flight is cancelled within the budget and said in the log and on the (restored) terminal; the exit code. */
export async function endSession(ended: 'quit' | QuitSignal, runner: OperationRunner, monitor: Monitor): Promise<number> {
	const how = ended === 'quit' ? 'q / Ctrl-C' : ended;
	const inFlight = runner.getView().operations.filter(record => record.state === 'running').map(record => `"${record.title}"`);
	monitor.note(`${how}: quitting; ${inFlight.length > 0 ? `cancelling ${inFlight.join(', ')}` : 'nothing was in flight'}`, inFlight.length > 0 ? 'warning' : 'info');
	// Each operation's half-done line goes to the log as it is recorded, and is said again below.
	const halfDone = await runner.interrupt(how, RUNNER_STOP_MS);
	await Promise.race([monitor.stop(), sleep(SOURCES_STOP_MS)]);
	for (const line of halfDone) say(line);
	if (ended !== 'quit') say(`${ended}: stopped${halfDone.length > 0 ? '' : '; nothing was in flight'}`);
	return ended === 'quit' ? 0 : exitCodeFor(ended);
}
