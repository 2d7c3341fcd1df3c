import Docker from 'dockerode';
import {NEVER_ABORTED, withDeadline} from '../async.js';
import {errorMessage} from '../errors.js';

/** The engine's API, as the lab and the operations use it. */
export type DockerClient = Docker;

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** The Docker socket to use: a flag, then DOCKER_HOST (unix:// only: the engine is local), then the default. */
export function dockerSocketPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
	if (flag) return flag;
	const host = env['DOCKER_HOST'];
	if (host?.startsWith('unix://')) return host.slice('unix://'.length);
	return DEFAULT_DOCKER_SOCKET;
}

/** A read's deadline (list, inspect, ping, opening the event stream): the engine answers those in milliseconds. */
export const DOCKER_READ_MS = 5000;

/** docker-modem's `timeout` is a socket inactivity timer; dockerCall gives each call a deadline as well. */
export function createDockerClient(socketPath = dockerSocketPath()): Docker {
	return new Docker({socketPath, timeout: 30_000});
}

/**
 * One engine call with a deadline: `call` gets a signal to hand dockerode as its `abortSignal` (which destroys the
 * request), and the call is given up at the deadline or the caller's abort even where dockerode ignores it.
 */
export async function dockerCall<T>(what: string, ms: number, signal: AbortSignal | undefined, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
	try {
		return await withDeadline(ms, signal ?? NEVER_ABORTED, call);
	} catch (error) {
		// The engine's status (a 404 for a container removed meanwhile) stays for the caller to judge.
		const statusCode = (error as {statusCode?: number}).statusCode;
		throw Object.assign(new Error(`docker ${what}: ${signal?.aborted ? 'aborted' : errorMessage(error)}`), statusCode === undefined ? {} : {statusCode});
	}
}

/** Resolves when the engine answers; otherwise rejects with a message that says what to do. */
export async function pingDocker(docker: Docker, socketPath: string): Promise<void> {
	try {
		await dockerCall('ping', 5000, undefined, () => docker.ping());
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(
			`No Docker engine answers on ${socketPath} (${reason}). Start one with "sudo bash scripts/setup.sh", or "sudo dockerd".`,
		);
	}
}
