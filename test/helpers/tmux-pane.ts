/**
 * The product as a person runs it: the built command in a real terminal (a pane of a tmux server of our own, on
 * its own socket, so a server someone else runs is never touched), keys typed, the screen read.
 */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {waitFor} from './lab.js';

const exec = promisify(execFile);

export type Pane = {
	screen(): Promise<string>;
	keys(...keys: string[]): Promise<void>;
	/** Text typed as it is (tmux send-keys -l), for names and values. */
	type(text: string): Promise<void>;
	waitForScreen(what: string, test: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
	stop(): Promise<void>;
};

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export async function startPane(name: string, command: readonly string[], env: Record<string, string>, size = {columns: 160, rows: 48}): Promise<Pane> {
	const socket = `${name}-${process.pid}`;
	const tmux = async (...args: string[]) => (await exec('tmux', ['-L', socket, ...args], {timeout: 10_000})).stdout;
	const environment = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	// The shell stays after the command ends, so its last screen (an error, say) can still be read.
	await tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), ...environment, `${command.map(quote).join(' ')}; sleep 600`);
	const screen = () => tmux('capture-pane', '-p', '-t', name);
	return {
		screen,
		async keys(...keys) {
			for (const key of keys) {
				await tmux('send-keys', '-t', name, key);
				// Ink re-arms its input handler after each render: a key sent in between would be lost.
				await new Promise(resolve => setTimeout(resolve, 150));
			}
		},
		async type(text) {
			await tmux('send-keys', '-t', name, '-l', text);
			await new Promise(resolve => setTimeout(resolve, 150));
		},
		async waitForScreen(what, test, timeoutMs = 10_000) {
			try {
				return await waitFor(what, async () => {
					const text = await screen();
					return test(text) ? text : undefined;
				}, timeoutMs, 100);
			} catch (error) {
				const last = await screen().catch(reason => `(no screen: ${String(reason)})`);
				throw new Error(`${(error as Error).message}\n--- the screen ---\n${last}`);
			}
		},
		async stop() {
			await tmux('kill-server').catch(() => undefined);
		},
	};
}
