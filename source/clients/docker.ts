import Docker from 'dockerode';

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

export function createDockerClient(socketPath = dockerSocketPath()): Docker {
	return new Docker({socketPath, timeout: 30_000});
}

/** Resolves when the engine answers; otherwise rejects with a message that says what to do. */
export async function pingDocker(docker: Docker, socketPath: string): Promise<void> {
	try {
		await docker.ping();
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(
			`No Docker engine answers on ${socketPath} (${reason}). Start one with "sudo bash scripts/setup.sh", or "sudo dockerd".`,
		);
	}
}
