// Records what every source says of a running lab into test/fixtures/, for the model's unit tests.
// Usage: node --import tsx scripts/record-fixtures.ts NAME [monitor flags...]   e.g. healthy --lab --scope labtest ...
import fs from 'node:fs';
import {resolveMonitorConfig} from '../source/resolve-config.js';
import {createMonitor} from '../source/run-monitor.js';

const [name, ...args] = process.argv.slice(2);
if (!name) throw new Error('usage: record-fixtures.ts NAME [--lab --scope S --state-dir D --port-offset N]');
const flag = (key: string) => {
	const index = args.indexOf(`--${key}`);
	return index >= 0 ? args[index + 1] : undefined;
};
const config = resolveMonitorConfig({
	lab: true,
	scope: flag('scope'),
	stateDir: flag('state-dir'),
	portOffset: flag('port-offset') ? Number(flag('port-offset')) : undefined,
});
const monitor = createMonitor(config, message => console.error(message));
monitor.start();
await new Promise(resolve => setTimeout(resolve, Number(flag('wait') ?? 4000)));
const states = monitor.getSourceStates();
await monitor.stop();
const file = `test/fixtures/source-states-${name}.json`;
fs.writeFileSync(file, JSON.stringify({recordedAt: new Date().toISOString(), scope: config.scope, states}, null, '\t') + '\n');
console.error(`wrote ${file}`);
