/** The docker CLI, run as a separate program: an outside witness of what the engine holds (shares no code with source/). */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** `running`, `exited`, … as `docker inspect` reports it. */
export async function containerState(nameOrId: string): Promise<string> {
	const {stdout} = await run('docker', ['inspect', '--format', '{{.State.Status}}', nameOrId], {timeout: 15_000});
	return stdout.trim();
}

/** Any docker CLI command; its standard output. */
export async function dockerCli(args: readonly string[]): Promise<string> {
	const {stdout} = await run('docker', [...args], {timeout: 60_000});
	return stdout;
}

/** When the container last started, as `docker inspect` reports it. */
export async function containerStartedAt(nameOrId: string): Promise<string> {
	return (await dockerCli(['inspect', '--format', '{{.State.StartedAt}}', nameOrId])).trim();
}

/** The full ids of every container, running or not, that carries the lab label for `scope` (the label written out here, not imported). */
export async function containersOfScope(scope: string): Promise<string[]> {
	const printed = await dockerCli(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=io.patroni-tui.lab=${scope}`]);
	return printed.split('\n').filter(Boolean);
}
