/**
 * Whether the monitor watches Docker at all. Asked for (--docker-socket, DOCKER_HOST) it always does, and an engine
 * that does not answer is an alert; asked for by nobody, it does only when the default socket is there. A bastion
 * host without Docker then shows "Docker off", not a cluster degraded for ever.
 */
import fs from 'node:fs';
import {DEFAULT_DOCKER_SOCKET} from './clients/docker.js';
import {ConfigError} from './config-error.js';

export type DockerChoice = {readonly socketPath: string} | {readonly offReason: string};

export function chooseDocker(flag: string | undefined, env: NodeJS.ProcessEnv, exists: (path: string) => boolean = fs.existsSync): DockerChoice {
	if (flag) return {socketPath: flag};
	const host = env['DOCKER_HOST'];
	if (host) {
		const socketPath = host.startsWith('unix://') ? host.slice('unix://'.length) : '';
		if (!socketPath) throw new ConfigError(`DOCKER_HOST: expected unix:///path/to/docker.sock (patroni-tui talks to a local engine), got ${JSON.stringify(host)}`);
		return {socketPath};
	}
	if (exists(DEFAULT_DOCKER_SOCKET)) return {socketPath: DEFAULT_DOCKER_SOCKET};
	return {offReason: `no engine socket at ${DEFAULT_DOCKER_SOCKET}, and none asked for (--docker-socket, DOCKER_HOST)`};
}
