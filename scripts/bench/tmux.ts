/**
 * Programs run in a real terminal (a pane of a tmux server of our own, on its own socket): the CLI draws for a
 * TTY of a known size, and its CPU time and memory are read from /proc by pid.
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import {promisify} from 'node:util';
import type {Size} from './live-monitor.js';

const run = promisify(execFile);
const SOCKET = 'patroni-tui-bench';
const tmux = (...args: string[]) => run('tmux', ['-L', SOCKET, ...args]);

export type Pane = {readonly name: string; readonly pid: number; capture(): Promise<string>; sendKeys(...keys: string[]): Promise<void>; stop(): Promise<void>};

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export async function startInPane(name: string, command: readonly string[], size: Size, env: Record<string, string> = {}): Promise<Pane> {
	const environment = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	await tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), ...environment, `exec ${command.map(quote).join(' ')}`);
	const {stdout} = await tmux('list-panes', '-t', name, '-F', '#{pane_pid}');
	const pid = Number(stdout.trim());
	return {
		name,
		pid,
		sendKeys: async (...keys) => void (await tmux('send-keys', '-t', name, ...keys)),
		capture: async () => (await tmux('capture-pane', '-p', '-t', name)).stdout,
		async stop() {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// Already gone.
			}
			await new Promise(resolve => setTimeout(resolve, 500));
			await tmux('kill-session', '-t', name).catch(() => undefined);
		},
	};
}

/** Everything the pane's program writes from now on is also piped to `command` (tmux pipe-pane -O). */
export async function pipePane(name: string, command: readonly string[]): Promise<void> {
	await tmux('pipe-pane', '-O', '-t', name, `exec ${command.map(quote).join(' ')}`);
}

/** Stops our tmux server (by its pid), if one is left. */
export async function stopTmuxServer(): Promise<void> {
	try {
		const {stdout} = await tmux('display-message', '-p', '#{pid}');
		process.kill(Number(stdout.trim()), 'SIGTERM');
	} catch {
		// No server of ours is running.
	}
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// After "(comm)": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function rssMegabytes(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}
