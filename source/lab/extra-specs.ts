import {containerName, type ContainerSpec} from './containers.js';
import {extraClusters, extraMemberDirName, extraMemberNames, extraMemberPorts} from './lab-clusters.js';
import {LAB_HOST, labScheme, type LabConfig} from './lab-config.js';
import {componentDir} from './lab-files.js';
import {LABEL_POSTGRES, LABEL_REST_API} from '../model/container-labels.js';
import {CONTAINER_LAB_DIR} from './render.js';

/**
 * The extra clusters' members (`lab up --standby`, `--clusters N`), made as the lab's own are: the same image,
 * user and labels, with their cluster's scope, so the monitor finds them under that scope and the lab's ownership
 * checks (the state directory label) still prove them the lab's.
 */
export function extraSpecs(config: LabConfig, common: Pick<ContainerSpec, 'image' | 'user' | 'tlsDir'>, digests: Record<string, string>): ContainerSpec[] {
	const scheme = labScheme(config);
	return extraClusters(config).flatMap(cluster =>
		extraMemberNames(cluster).map((member, index): ContainerSpec => {
			const ports = extraMemberPorts(config, cluster, index);
			const dir = extraMemberDirName(cluster, member);
			return {
				...common,
				scope: cluster.scope,
				name: containerName(cluster.scope, member),
				component: 'member',
				member,
				command: ['/usr/bin/patroni', `${CONTAINER_LAB_DIR}/patroni.yml`],
				hostDir: componentDir(config, dir),
				configDigest: digests[dir] ?? '',
				endpointLabels: {[LABEL_REST_API]: `${scheme}://${LAB_HOST}:${ports.restApi}/patroni`, [LABEL_POSTGRES]: `${LAB_HOST}:${ports.postgres}`},
			};
		}),
	);
}
