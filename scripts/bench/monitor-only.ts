/**
 * Diagnostic for figure 2: the same monitor with no UI (sources, snapshot, event log only), so the idle CPU can
 * be split into "asking the cluster" and "drawing". Prints {cpuPercent, notificationsPerSecond} as JSON.
 * Usage: node monitor-only.js <warm-up s> <seconds> -- <monitor flags as JSON>
 */
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';

const [warmUp, seconds, flags] = [Number(process.argv[2]), Number(process.argv[3]), JSON.parse(process.argv[4]!) as MonitorFlags];
const monitor = createMonitor(resolveMonitorConfig(flags), () => undefined);
let notifications = 0;
monitor.subscribe(() => notifications++);
monitor.start();
await new Promise(resolve => setTimeout(resolve, warmUp * 1000));
const cpu = process.cpuUsage();
const started = performance.now();
const before = notifications;
await new Promise(resolve => setTimeout(resolve, seconds * 1000));
const used = process.cpuUsage(cpu);
const elapsed = performance.now() - started;
process.stdout.write(
	JSON.stringify({cpuPercent: (100 * (used.user + used.system)) / 1000 / elapsed, notificationsPerSecond: ((notifications - before) * 1000) / elapsed}) + '\n',
);
await monitor.stop();
process.exit(0);
