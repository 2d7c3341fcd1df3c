/**
 * The fleet on the command line: --json prints one summary per cluster, the terminal gets the fleet screen with
 * the chosen cluster's dashboard behind Enter. Exactly one scope in the namespace (and no --all) is that cluster,
 * opened as if it had been named.
 */
import type {Instance} from 'ink';
import type {ClusterSession} from '../components/fleet-app.js';
import type {Monitor} from './monitor.js';
import type {OperationRunner} from './operations/runner.js';
import {FleetMonitor, fleetDcsSource} from './fleet-monitor.js';
import {fleetHasLeaderless} from './model/fleet.js';
import {visible, visibleJson} from './model/visible.js';
import {exitSoon, quitSignals, restoreTerminal, say, exitCodeFor, type QuitSignal} from './quit.js';
import {fleetClusterConfig, type MonitorTarget} from './resolve-config.js';
import {createAppFlows, createMonitor, createRunner, endSession, EXIT_BACKSTOP_MS, FIRST_FRAME_WAIT_MS, INK_RENDER_OPTIONS, runInteractive} from './run-monitor.js';

type FleetTarget = Extract<MonitorTarget, {kind: 'fleet'}>;

function fleetMonitor(target: FleetTarget): FleetMonitor {
	return new FleetMonitor(fleetDcsSource(target.config), {namespace: target.config.namespace, thresholds: target.config.thresholds});
}

/** --json without a scope: the fleet as an array; exit code 1 when a cluster has no leader or etcd did not answer. */
export async function printFleet(target: FleetTarget, timeoutMs = 5000): Promise<number> {
	const fleet = fleetMonitor(target);
	fleet.start();
	await fleet.untilComplete(timeoutMs);
	const view = fleet.getView();
	await fleet.stop();
	if (view.error) process.stderr.write(`patroni-tui: etcd: ${visible(view.error)}\n`);
	process.stdout.write(visibleJson(JSON.stringify(view.rows, null, 2)) + '\n');
	return view.error || view.updatedAt === undefined || fleetHasLeaderless(view.rows) ? 1 : 0;
}

type Opened = ClusterSession & {readonly monitor: Monitor; readonly runner: OperationRunner};

/** One cluster opened from the fleet: its own monitor, runner and flows, started now. */
function openCluster(target: FleetTarget, scope: string, onWarning: (message: string) => void): Opened {
	const config = fleetClusterConfig(target, scope);
	const monitor = createMonitor(config, onWarning);
	const runner = createRunner(config, monitor);
	monitor.start();
	return {
		scope,
		monitor,
		runner,
		app: {monitor, isReadOnly: config.isReadOnly, thresholds: config.thresholds, runner, flows: createAppFlows(config, monitor)},
		stop: async () => {
			await runner.interrupt('back to the fleet', 900);
			await monitor.stop();
		},
	};
}

export async function runFleetInteractive(target: FleetTarget, isAll: boolean): Promise<number> {
	const fleet = fleetMonitor(target);
	fleet.start();
	await fleet.untilComplete(FIRST_FRAME_WAIT_MS * 3);
	const {rows} = fleet.getView();
	if (!isAll && rows.length === 1) {
		await fleet.stop();
		return runInteractive(fleetClusterConfig(target, rows[0]!.scope));
	}
	let warning: string | undefined;
	const signals = quitSignals();
	// The session on screen: what a quit must cancel and stop (the App only knows it as a store).
	const sessions = new Map<ClusterSession, Opened>();
	let session: Opened | undefined;
	let app: Instance;
	let ended: 'quit' | QuitSignal;
	try {
		const [{render}, {FleetApp}] = await Promise.all([import('ink'), import('../components/fleet-app.js')]);
		const open = (scope: string) => {
			const opened = openCluster(target, scope, message => (warning = message));
			sessions.set(opened, opened);
			return opened;
		};
		const onSession = (next: ClusterSession | undefined) => {
			if (session && session !== next) sessions.delete(session);
			session = next ? sessions.get(next) : undefined;
		};
		app = render(<FleetApp fleet={fleet} open={open} onSession={onSession} />, {...INK_RENDER_OPTIONS, exitOnCtrlC: true});
		ended = await Promise.race([app.waitUntilExit().then(() => 'quit' as const, () => 'quit' as const), signals.signal]);
	} catch (error) {
		signals.dispose();
		throw error;
	}
	if (ended !== 'quit') {
		restoreTerminal();
		app.unmount();
	}
	restoreTerminal();
	const opened = session as Opened | undefined;
	const code = opened ? await endSession(ended, opened.runner, opened.monitor) : ended === 'quit' ? 0 : exitCodeFor(ended);
	await fleet.stop();
	signals.dispose();
	if (warning) say(warning);
	exitSoon(EXIT_BACKSTOP_MS, code);
	return code;
}
