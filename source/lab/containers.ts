import crypto from 'node:crypto';
import path from 'node:path';
import type Docker from 'dockerode';
import type {LabUser} from './image.js';
import {LABEL_COMPONENT, LABEL_LAB, LABEL_MEMBER, LABEL_SPEC, LABEL_STATE_DIR, type LabComponent} from '../model/container-labels.js';
import {CONTAINER_LAB_DIR} from './render.js';
import {CONTAINER_TLS_DIR} from './tls-certs.js';

export type ContainerSpec = {
	/** The scope its labels name when it is an extra cluster's (lab-clusters.ts); absent: the lab's own. */
	readonly scope?: string;
	readonly name: string;
	readonly component: LabComponent;
	readonly member?: string;
	readonly image: string;
	readonly command: readonly string[];
	/** Host directory mounted at /lab: the container's only writable place that outlives it. */
	readonly hostDir: string;
	/** A TLS lab's <state>/tls, mounted read-only at CONTAINER_TLS_DIR; absent without TLS (nothing mounted). */
	readonly tlsDir?: string;
	readonly user: LabUser;
	/** Digest of the config file the container reads: a changed config means a new container. */
	readonly configDigest: string;
	/**
	 * Where the cluster reaches it (LABEL_REST_API, LABEL_POSTGRES, LABEL_ENDPOINT), so the monitor can tell it
	 * from another lab's of the same scope. Its config file holds the same ports, so they are in the hash already.
	 */
	readonly endpointLabels?: Readonly<Record<string, string>>;
};

export type LabContainer = {
	/** The scope its labels name: the lab's, or one of its extra clusters'. */
	readonly scope: string;
	readonly id: string;
	readonly name: string;
	readonly component: LabComponent;
	readonly member: string | undefined;
	readonly state: string;
	readonly specHash: string | undefined;
	/** The state directory its labels name; undefined on a container made before that label existed. */
	readonly stateDir: string | undefined;
	/** The host directory mounted at /lab, where the lab keeps the container's data and config. */
	readonly labMount: string | undefined;
};

/**
 * Whether `stateDir`'s lab made the container: its labels name that directory, or (a container made before the
 * label existed) it carries none and mounts a folder of that directory at /lab, as only that lab's containers do.
 * A container whose labels name another directory is another lab's, whatever its scope and name.
 */
export function isMadeFor(container: LabContainer, stateDir: string): boolean {
	if (container.stateDir !== undefined) return path.resolve(container.stateDir) === path.resolve(stateDir);
	return container.labMount !== undefined && path.dirname(path.resolve(container.labMount)) === path.resolve(stateDir);
}

/** Why a container of the scope is not `stateDir`'s lab's, for a person. */
export function otherLabText(container: LabContainer, scope: string, stateDir: string): string {
	const where = container.stateDir === undefined ? `no state directory, and it mounts nothing of ${stateDir}` : `the state directory ${container.stateDir}`;
	return `${container.name} (${container.id.slice(0, 12)}), whose labels name scope ${scope} but ${where}`;
}

export function containerName(scope: string, suffix: string): string {
	return `patroni-tui-${scope}-${suffix}`;
}

/** Every container of one lab, found by label, whatever state it is in. */
export async function listLabContainers(docker: Docker, scope: string): Promise<LabContainer[]> {
	const found = await docker.listContainers({all: true, filters: {label: [`${LABEL_LAB}=${scope}`]}});
	return found.map(info => ({
		scope,
		id: info.Id,
		name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
		component: info.Labels[LABEL_COMPONENT] as LabComponent,
		member: info.Labels[LABEL_MEMBER],
		state: info.State,
		specHash: info.Labels[LABEL_SPEC],
		stateDir: info.Labels[LABEL_STATE_DIR],
		labMount: info.Mounts?.find(mount => mount.Destination === CONTAINER_LAB_DIR)?.Source,
	}));
}

/** The scope's containers this state directory's lab made, and those some other lab of the same scope did. */
export async function listOwnContainers(docker: Docker, scope: string, stateDir: string): Promise<{ours: LabContainer[]; others: LabContainer[]}> {
	const all = await listLabContainers(docker, scope);
	return {ours: all.filter(container => isMadeFor(container, stateDir)), others: all.filter(container => !isMadeFor(container, stateDir))};
}

/**
 * Every scope's containers of one lab (its own and its extra clusters'), those `stateDir`'s lab made and those of
 * the same scopes that another lab did.
 */
export async function listOwnContainersOf(docker: Docker, scopes: readonly string[], stateDir: string): Promise<{ours: LabContainer[]; others: LabContainer[]}> {
	const found = await Promise.all(scopes.map(scope => listOwnContainers(docker, scope, stateDir)));
	return {ours: found.flatMap(one => one.ours), others: found.flatMap(one => one.others)};
}

function createOptions(labScope: string, spec: ContainerSpec): Docker.ContainerCreateOptions {
	const scope = spec.scope ?? labScope;
	const labels: Record<string, string> = {[LABEL_LAB]: scope, [LABEL_COMPONENT]: spec.component};
	if (spec.member) labels[LABEL_MEMBER] = spec.member;
	return {
		name: spec.name,
		Image: spec.image,
		// Docker's own --init cannot mount its binary over our read-only /usr; run Debian's tini from /usr instead,
		// so PID 1 reaps zombies and forwards signals to Patroni.
		Cmd: ['/usr/bin/tini', '--', ...spec.command],
		User: `${spec.user.uid}:${spec.user.gid}`,
		WorkingDir: CONTAINER_LAB_DIR,
		Env: ['LANG=C.UTF-8', 'HOME=/var/lib/postgresql', 'PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin'],
		Labels: labels,
		StopTimeout: 30,
		HostConfig: {
			// Host networking: every listener is on 127.0.0.1 and no bridge address exists.
			NetworkMode: 'host',
			Binds: ['/usr:/usr:ro', `${spec.hostDir}:${CONTAINER_LAB_DIR}`, ...(spec.tlsDir ? [`${spec.tlsDir}:${CONTAINER_TLS_DIR}:ro`] : [])],
			RestartPolicy: {Name: 'no'},
		},
	};
}

/** A digest of everything a container is created from (and its config file), to tell an outdated one. */
export function specHash(scope: string, spec: ContainerSpec): string {
	return crypto
		.createHash('sha256')
		.update(JSON.stringify(createOptions(scope, spec)))
		.update(spec.configDigest)
		.digest('hex')
		.slice(0, 16);
}

export async function createLabContainer(docker: Docker, scope: string, spec: ContainerSpec): Promise<string> {
	const options = createOptions(scope, spec);
	// The state directory is in the hash already (the /lab mount), and the endpoints are (the config digest), so
	// a lab made before these labels is not outdated: the next `lab up` keeps its running containers.
	options.Labels = {
		...options.Labels,
		...spec.endpointLabels,
		[LABEL_SPEC]: specHash(scope, spec),
		[LABEL_STATE_DIR]: path.dirname(path.resolve(spec.hostDir)),
	};
	const container = await docker.createContainer(options);
	return container.id;
}

/** Removes a lab container whatever its state; one that is already gone is not an error. */
export async function removeLabContainer(docker: Docker, id: string): Promise<void> {
	try {
		await docker.getContainer(id).remove({force: true, v: true});
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode !== 404) throw error;
	}
}

export async function containerLogTail(docker: Docker, id: string, lines = 30): Promise<string> {
	try {
		const buffer = (await docker.getContainer(id).logs({stdout: true, stderr: true, tail: lines})) as unknown as Buffer;
		return demuxDockerLog(buffer);
	} catch (error) {
		return `(no log: ${error instanceof Error ? error.message : String(error)})`;
	}
}

/** Docker frames a non-TTY container's log as [stream, 0, 0, 0, size(4)] + payload; keep the payloads only. */
export function demuxDockerLog(buffer: Buffer): string {
	const parts: Buffer[] = [];
	let offset = 0;
	while (offset + 8 <= buffer.length) {
		const size = buffer.readUInt32BE(offset + 4);
		parts.push(buffer.subarray(offset + 8, offset + 8 + size));
		offset += 8 + size;
	}
	return Buffer.concat(parts).toString('utf8').trimEnd();
}
