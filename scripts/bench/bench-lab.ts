/** The benchmark's own lab (scope `bench`, ports +700, its own state directory) and the tools pointed at it. */
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';

const run = promisify(execFile);

export const LAB = {scope: 'bench', portOffset: 700, stateDir: '/tmp/patroni-tui-bench'} as const;
export const CLI = path.resolve('dist/patroni-tui.js');
export const PATRONICTL_CONFIG = path.join(LAB.stateDir, 'patronictl.yaml');

/**
 * The Node flags the installed command runs with: those on its first line (`#!/usr/bin/env -S node <flags>`, see
 * source/launch/launcher.ts). The benchmark starts the CLI with `node` itself (to preload its probes), so it passes them too.
 */
export function cliNodeFlags(file = CLI): string[] {
	const firstLine = fs.readFileSync(file, 'utf8').slice(0, 200).split('\n', 1)[0]!;
	return /^#!.*\bnode\b(.*)$/.exec(firstLine)?.[1]!.trim().split(/\s+/).filter(Boolean) ?? [];
}

/** `node` with the command's own flags, then `preloads` (modules to --import), then the command: as a user runs it. */
export function cliCommand(preloads: readonly string[] = []): string[] {
	return [process.execPath, ...cliNodeFlags(), ...preloads.flatMap(module => ['--import', module]), CLI];
}

export function labFlags(): string[] {
	return ['--scope', LAB.scope, '--state-dir', LAB.stateDir, '--port-offset', String(LAB.portOffset)];
}

/** The monitor's flags for the lab, as a user would type them. */
export function monitorFlags(logFile: string): string[] {
	return ['--lab', ...labFlags(), '--log-file', logFile];
}

export async function cli(args: readonly string[], timeoutMs = 300_000): Promise<{stdout: string; stderr: string}> {
	const [node, ...command] = cliCommand();
	return run(node!, [...command, ...args], {timeout: timeoutMs, maxBuffer: 32 << 20});
}

export async function labUp(): Promise<LabStatus> {
	const {stdout} = await cli(['lab', 'up', ...labFlags(), '--json']);
	return JSON.parse(stdout) as LabStatus;
}

export async function labDestroy(): Promise<void> {
	await cli(['lab', 'destroy', ...labFlags()]);
}

export function labSecrets(): LabSecrets {
	return JSON.parse(fs.readFileSync(path.join(LAB.stateDir, 'secrets.json'), 'utf8')) as LabSecrets;
}

export async function patronictl(args: readonly string[], config = PATRONICTL_CONFIG): Promise<string> {
	const {stdout} = await run('patronictl', ['-c', config, ...args], {timeout: 120_000, maxBuffer: 8 << 20});
	return stdout;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable between our processes. */
export function epochNow(): number {
	return performance.timeOrigin + performance.now();
}

/** Lines of a child's stdout, each with the time it arrived. */
export function timestampLines(child: ChildProcess, onLine: (line: string, at: number) => void): void {
	let partial = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		const at = epochNow();
		const parts = (partial + chunk).split('\n');
		partial = parts.pop() ?? '';
		for (const line of parts) onLine(line, at);
	});
}

/** Stops a child we started, by its pid, and waits for it to go. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
	await gone;
	clearTimeout(timer);
}

export function spawnQuiet(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
	return spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
}
