import {createDockerClient} from '../../source/clients/docker.js';
import {LABEL_LAB} from '../../source/model/container-labels.js';

const docker = createDockerClient();

/** Every container carrying a lab label for this scope, straight from the engine. */
export function containersOfScope(scope: string) {
	return docker.listContainers({all: true, filters: {label: [`${LABEL_LAB}=${scope}`]}});
}

export {docker};
