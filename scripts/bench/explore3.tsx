import {isDeepStrictEqual} from 'node:util';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
const config = resolveMonitorConfig({lab: true, scope: 'bench', stateDir: '/tmp/patroni-tui-bench', portOffset: 700, logFile: '/tmp/bench-explore.log'});
const monitor = createMonitor(config, m => console.error(m));
monitor.start();
await new Promise(r => setTimeout(r, 4000));
let last = monitor.getSourceStates() as any;
const counts: Record<string, number> = {};
let notes = 0; const t0 = Date.now();
monitor.subscribe(() => {
	notes++;
	const now = monitor.getSourceStates() as any;
	const changed = Object.keys(now).filter(k => now[k] !== last[k]);
	const key = changed.join('+') || 'tick';
	counts[key] = (counts[key] ?? 0) + 1;
	if (process.argv[2] === 'v') for (const k of changed) { const diff = diffPaths(last[k]?.data, now[k]?.data, k); if (diff.length) console.log(((Date.now()-t0)/1000).toFixed(2), diff.slice(0, 6).join(' | ')); }
	last = now;
});
function diffPaths(a: any, b: any, path: string): string[] {
	if (isDeepStrictEqual(a, b)) return [];
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [`${path}: ${JSON.stringify(a)?.slice(0, 40)} → ${JSON.stringify(b)?.slice(0, 40)}`];
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].flatMap(k => diffPaths(a[k], b[k], `${path}.${k}`));
}
await new Promise(r => setTimeout(r, 20000));
console.log('notifications/s', (notes / 20).toFixed(2), counts);
await monitor.stop(); process.exit(0);
