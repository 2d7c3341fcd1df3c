/**
 * `npm run bench`: brings up the benchmark's lab, runs every phase, prints the table and writes it as JSON
 * (bench-results/) and Markdown (docs/benchmark.md), and tears the lab down unless --keep.
 * Run from the repository root, built: node dist/bench/scripts/bench/main.js [options] (scripts/bench.sh does).
 */
import os from 'node:os';
import {parseArgs} from 'node:util';
import {labDestroy, labUp} from './bench-lab.js';
import {frameCost, recordViews} from './frame-cost.js';
import {leakCheck} from './leak-check.js';
import {labMonitorFlags, startLiveMonitor, type Size} from './live-monitor.js';
import {leaderKeyChanges, memberKeyChanges} from './phase-change.js';
import {fleet} from './phase-fleet.js';
import {idle} from './phase-idle.js';
import {scale} from './phase-scale.js';
import {startSoak} from './phase-soak.js';
import {startup} from './phase-startup.js';
import {leaderChanges, plan} from './phase-switchover.js';
import {environment, plainTable, write, writeFleetOnly, type Results} from './report.js';
import {sleep} from './stats.js';
import {stopTmuxServer} from './tmux.js';

const {values: flags} = parseArgs({
	options: {
		keep: {type: 'boolean', default: false},
		'soak-minutes': {type: 'string', default: '10'},
		changes: {type: 'string', default: '30'},
		switchovers: {type: 'string', default: '30'},
		failovers: {type: 'string', default: '6'},
		kills: {type: 'string', default: '1'},
		'idle-seconds': {type: 'string', default: '60'},
		'startup-runs': {type: 'string', default: '10'},
		presses: {type: 'string', default: '60'},
		columns: {type: 'string', default: '120'},
		rows: {type: 'string', default: '40'},
		only: {type: 'string'},
		help: {type: 'boolean', default: false},
	},
});

if (flags.help) {
	process.stdout.write(`npm run bench -- [--keep] [--soak-minutes 10] [--changes 30] [--switchovers 30] [--failovers 6] [--kills 1]
  [--idle-seconds 60] [--startup-runs 10] [--presses 60] [--columns 120 --rows 40]
  [--only change,switchover,idle,startup,frames,scale,fleet,soak]
`);
	process.exit(0);
}

const number = (name: keyof typeof flags) => Number(flags[name]);
const size: Size = {columns: number('columns'), rows: number('rows')};
const phases = new Set((flags.only ?? 'change,switchover,idle,startup,frames,scale,fleet,soak').split(','));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

if (process.env['NODE_ENV'] !== 'production') throw new Error('Run with NODE_ENV=production (scripts/bench.sh does): the CLI runs React in production mode.');

const results: Results = {startedAt: new Date().toISOString(), environment: environment(), options: {...flags, size}, notes: []};

log('lab up (scope bench, ports +700)');
const status = await labUp();
const endpoint = status.etcd.endpoints[0]!;
const etcdPort = Number(new URL(endpoint).port);

try {
	// Quiet phases first, each on its own: CPU, start-up, then the millisecond latencies.
	if (phases.has('idle')) {
		log('figures 2 and 3: idle CPU and load, the CLI in tmux beside patronictl -W');
		results.idle = await idle(etcdPort, number('idle-seconds'), size, log);
	}
	if (phases.has('startup')) {
		log('figure 4: start-up');
		results.startup = await startup(number('startup-runs'), size, log);
	}
	if (phases.has('change')) {
		log('figure 1: member key writes');
		results.memberKey = await memberKeyChanges(endpoint, number('changes'), size, log);
		log('figure 1: leader key writes, synthetic scope');
		results.leaderKey = await leaderKeyChanges(endpoint, number('changes'), size, log);
	}
	if (phases.has('frames')) {
		log('figure 5: frame cost, the 3-member lab');
		const live = startLiveMonitor(labMonitorFlags(), size);
		await sleep(3000);
		const views = await recordViews(live.monitor, 40, 30_000);
		await live.stop();
		const lab = [];
		for (const each of [{columns: 80, rows: 24}, size, {columns: 200, rows: 50}]) lab.push(await frameCost(views, each));
		results.frames = {lab, large: []};
		log('figure 6, diagnosis: heap kept per frame whose text changed');
		results.leak = await leakCheck(views, size);
	}
	if (phases.has('scale')) {
		log('figure 5: 100 members, 1,000 keys');
		const {views, ...run} = await scale(endpoint, size, number('presses'), log);
		results.scale = run;
		const large = [];
		for (const each of [{columns: 80, rows: 24}, {columns: 200, rows: 50}]) large.push(await frameCost(views, each));
		results.frames = {lab: results.frames?.lab ?? [], large: [run.frameCost, ...large]};
	}
	if (phases.has('fleet')) {
		log('figure 8: the fleet at 100 clusters, patroni-tui --all beside patronictl list per scope');
		results.fleet = await fleet(endpoint, {changes: number('changes'), idleSeconds: number('idle-seconds'), size}, log);
	}
	if (phases.has('switchover')) {
		log('figures 1 and 7: switchovers and failovers under the write probe');
		results.leaderChanges = await leaderChanges(endpoint, plan(number('switchovers'), number('failovers'), number('kills')), size, log);
	}
	// Last and alone: a soak beside the other phases would slow their millisecond figures down.
	if (phases.has('soak')) {
		log(`figure 6: soak of ${number('soak-minutes')} min`);
		results.soak = await (await startSoak(number('soak-minutes'), size)).finish();
	}
} finally {
	await stopTmuxServer();
	results.environment['loadAverageAtEnd'] = os.loadavg().map(value => Number(value.toFixed(2)));
	(results as {finishedAt?: string}).finishedAt = new Date().toISOString();
	// Only a full run stands for the README; a partial one (--only) leaves docs/benchmark.md alone.
	const written = write(results, 'bench-results', flags.only ? undefined : 'docs/benchmark.md');
	// A partial run still stands for the fleet's own section, which says which run it was.
	const markdown = written.markdown ?? (flags.only ? writeFleetOnly(results, 'docs/benchmark.md') : undefined);
	process.stdout.write(`\n${plainTable(results)}\n\nJSON: ${written.json}\n${markdown ? `Markdown: ${markdown}\n` : ''}`);
	if (flags.keep) log('--keep: the lab stays up');
	else {
		log('lab destroy');
		await labDestroy();
	}
}
process.exit(0);
