/**
 * Figure 4: the interactive CLI in a real terminal, from the start of its process to its first complete frame;
 * and one-shot `--json` against `patronictl list -f json` (and the pretty `patronictl list`), wall time from
 * spawn to exit. Runs are interleaved, so both sides meet the same machine.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {cliCommand, monitorFlags, PATRONICTL_CONFIG} from './bench-lab.js';
import {eventLog, type Size} from './live-monitor.js';
import {SAVE_AFTER_MS} from '../../source/launch/code-cache.js';
import {sleep, summarize, type Summary} from './stats.js';
import {startInPane} from './tmux.js';

export type StartupRun = {
	readonly firstFrame: Summary;
	readonly firstCompleteFrame: Summary;
	readonly json: Summary;
	readonly patronictlJson: Summary;
	readonly patronictlPretty: Summary;
};

const here = path.dirname(fileURLToPath(import.meta.url));

function wallTime(command: string, args: readonly string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'ignore']});
		child.on('error', reject);
		child.on('exit', code => (code === 0 || code === 1 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`))));
	});
}

async function interactiveStart(index: number, size: Size, lingerMs = 0): Promise<{firstFrame: number; complete: number}> {
	const file = path.join(os.tmpdir(), `patroni-tui-bench-startup-${process.pid}.json`);
	fs.rmSync(file, {force: true});
	const pane = await startInPane(
		`startup-${index}`,
		[...cliCommand([path.join(here, 'startup-probe.js')]), ...monitorFlags(eventLog('startup'))],
		size,
		{BENCH_STARTUP_FILE: file},
	);
	try {
		for (let waited = 0; !fs.existsSync(file); waited += 20) {
			if (waited > 30_000) throw new Error(`no complete frame within 30 s:\n${await pane.capture()}`);
			await sleep(20);
		}
		await sleep(20 + lingerMs);
		const times = JSON.parse(fs.readFileSync(file, 'utf8')) as {startedAt: number; firstFrameAt: number; completeFrameAt: number};
		return {firstFrame: times.firstFrameAt - times.startedAt, complete: times.completeFrameAt - times.startedAt};
	} finally {
		await pane.stop();
		fs.rmSync(file, {force: true});
	}
}

export async function startup(runs: number, size: Size, log: (line: string) => void): Promise<StartupRun> {
	const first: number[] = [];
	const complete: number[] = [];
	const json: number[] = [];
	const patronictlJson: number[] = [];
	const patronictlPretty: number[] = [];
	// Untimed, so every figure is a second start as a user meets it: the CLI's V8 code cache for the monitor is
	// written SAVE_AFTER_MS into a run (a run stopped sooner leaves none), the --json one as it exits; patronictl's
	// Python finds its modules' bytecode and the page cache warm too.
	await interactiveStart(-1, size, SAVE_AFTER_MS + 500);
	const [node, ...command] = cliCommand();
	await wallTime(node!, [...command, '--json', ...monitorFlags(eventLog('json'))]);
	await wallTime('patronictl', ['-c', PATRONICTL_CONFIG, 'list', '-f', 'json']);
	await wallTime('patronictl', ['-c', PATRONICTL_CONFIG, 'list']);
	for (let index = 0; index < runs; index++) {
		const interactive = await interactiveStart(index, size);
		first.push(interactive.firstFrame);
		complete.push(interactive.complete);
		json.push(await wallTime(node!, [...command, '--json', ...monitorFlags(eventLog('json'))]));
		patronictlJson.push(await wallTime('patronictl', ['-c', PATRONICTL_CONFIG, 'list', '-f', 'json']));
		patronictlPretty.push(await wallTime('patronictl', ['-c', PATRONICTL_CONFIG, 'list']));
		log(`start-up ${index + 1}/${runs}: complete frame ${Math.round(interactive.complete)} ms, --json ${Math.round(json.at(-1)!)} ms, patronictl -f json ${Math.round(patronictlJson.at(-1)!)} ms`);
	}
	return {
		firstFrame: summarize(first),
		firstCompleteFrame: summarize(complete),
		json: summarize(json),
		patronictlJson: summarize(patronictlJson),
		patronictlPretty: summarize(patronictlPretty),
	};
}
