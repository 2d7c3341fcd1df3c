import fs from 'node:fs';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import {frameCost, recordViews} from './frame-cost.js';

const file = '/tmp/bench-views.json';
let views;
if (fs.existsSync(file)) views = JSON.parse(fs.readFileSync(file, 'utf8'));
else {
	const config = resolveMonitorConfig({lab: true, scope: 'bench', stateDir: '/tmp/patroni-tui-bench', portOffset: 700, logFile: '/tmp/bench-explore.log'});
	const monitor = createMonitor(config, m => console.error(m));
	monitor.start();
	await new Promise(r => setTimeout(r, 3000));
	views = await recordViews(monitor, 40, 20000);
	await monitor.stop();
	fs.writeFileSync(file, JSON.stringify(views));
}
for (const [columns, rows] of [[80, 24], [120, 40], [200, 50]]) {
	const cost = await frameCost(views, {columns: columns!, rows: rows!});
	console.log(`${columns}x${rows}`, 'total', cost.total.median.toFixed(1), cost.total.p95.toFixed(1), 'ink output', cost.inkOutput.median.toFixed(1), cost.inkOutput.p95.toFixed(1), 'n', cost.total.count);
}
process.exit(0);
