/**
 * What `docker inspect` says of a container that can prove whose it is: its Patroni settings (environment, a
 * mounted YAML), its network mode and its published ports. The environment itself never leaves this file: it
 * holds passwords, and the model needs only the scope and the name.
 */
import path from 'node:path';
import type Dockerode from 'dockerode';
import {patroniIdentity, readPatroniIdentity, type PatroniIdentity} from '../clients/patroni-files.js';
import {LABEL_ENDPOINT, LABEL_LAB, LABEL_REST_API} from '../model/container-labels.js';
import type {ContainerPatroniSettings, ContainerView, ListenAddress} from '../model/views.js';

export type ContainerFacts = {
	readonly networkMode?: string;
	readonly patroni?: readonly ContainerPatroniSettings[];
	readonly published?: readonly ListenAddress[];
};

/** The parts of an inspect payload read here; recorded payloads from the engine fit it. */
export type InspectPayload = Pick<Dockerode.ContainerInspectInfo, 'Path' | 'Args' | 'RestartCount'> & {
	readonly State: Pick<Dockerode.ContainerInspectInfo['State'], 'Status' | 'Running' | 'Pid' | 'StartedAt' | 'FinishedAt' | 'ExitCode'>;
	readonly Config: Pick<Dockerode.ContainerInspectInfo['Config'], 'Env' | 'Hostname' | 'WorkingDir'>;
	readonly HostConfig: Pick<Dockerode.ContainerInspectInfo['HostConfig'], 'NetworkMode'>;
	readonly Mounts?: ReadonlyArray<Pick<Dockerode.ContainerInspectInfo['Mounts'][number], 'Source' | 'Destination'>> | null;
	readonly NetworkSettings?: {readonly Ports?: Readonly<Record<string, ReadonlyArray<{HostIp: string; HostPort: string}> | null>> | null};
};

export type IdentityReader = (hostPath: string) => Promise<PatroniIdentity | undefined>;

/** A container as the list and inspect show it, and the host PID whose sockets may prove whose it is. */
export type InspectedView = {readonly view: ContainerView; readonly pid?: number};

/** The list's facts (`base`) completed by inspect's; a running host-network container without lab labels (with endpoints) gets its PID. */
export async function inspectedView(base: ContainerView, inspect: InspectPayload, read?: IdentityReader): Promise<InspectedView> {
	const {published, ...facts} = await containerFacts(inspect, read);
	const view: ContainerView = {
		...base,
		// Inspect is the later of the two answers, so its state wins.
		state: inspect.State.Status,
		hostname: inspect.Config.Hostname,
		startedAt: dockerTime(inspect.State.StartedAt),
		finishedAt: dockerTime(inspect.State.FinishedAt),
		exitCode: inspect.State.ExitCode,
		restartCount: inspect.RestartCount,
		...facts,
		...(published ? {listening: published} : {}),
	};
	// The lab's own containers are proven by their labels, with the endpoint they are reached by: their sockets are
	// not worth reading. One made before the endpoint labels is proven by the port it listens on.
	const isLabelled = base.labels[LABEL_LAB] !== undefined && (base.labels[LABEL_REST_API] ?? base.labels[LABEL_ENDPOINT]) !== undefined;
	const hasSockets = facts.networkMode === 'host' && inspect.State.Running && inspect.State.Pid > 0 && !isLabelled;
	return hasSockets ? {view, pid: inspect.State.Pid} : {view};
}

/** Docker writes "0001-01-01T00:00:00Z" for "never". */
function dockerTime(value: string | undefined): string | undefined {
	return value && !value.startsWith('0001-') ? value : undefined;
}

export async function containerFacts(inspect: InspectPayload, read: IdentityReader = readPatroniIdentity): Promise<ContainerFacts> {
	const environment = environmentOf(inspect.Config.Env);
	const patroni = [...environmentSettings(environment), ...(await fileSettings(inspect, environment, read))];
	const published = publishedPorts(inspect);
	return {
		...(inspect.HostConfig.NetworkMode ? {networkMode: inspect.HostConfig.NetworkMode} : {}),
		...(patroni.length > 0 ? {patroni} : {}),
		...(published.length > 0 ? {published} : {}),
	};
}

function environmentOf(env: readonly string[] | null | undefined): ReadonlyMap<string, string> {
	const pairs = (env ?? []).filter(entry => entry.indexOf('=') > 0).map(entry => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const);
	return new Map(pairs);
}

/**
 * Patroni's own variables (PATRONI_SCOPE, PATRONI_NAME, a whole PATRONI_CONFIGURATION), and spilo's SCOPE (spilo
 * names the member after the hostname unless PATRONI_NAME says otherwise). A name without a scope proves nothing.
 */
export function environmentSettings(environment: ReadonlyMap<string, string>): ContainerPatroniSettings[] {
	const settings: ContainerPatroniSettings[] = [];
	const name = environment.get('PATRONI_NAME');
	const variable = environment.has('PATRONI_SCOPE') ? 'PATRONI_SCOPE' : environment.has('SCOPE') ? 'SCOPE' : undefined;
	if (variable) settings.push({from: 'environment', source: variable, scope: environment.get(variable)!, ...(name ? {name} : {})});
	const configuration = environment.get('PATRONI_CONFIGURATION');
	const inline = configuration ? patroniIdentity(configuration) : undefined;
	// Patroni's variables win over the configuration they accompany.
	const scope = environment.get('PATRONI_SCOPE') ?? inline?.scope;
	if (inline && scope) settings.push({from: 'environment', source: 'PATRONI_CONFIGURATION', scope, ...((name ?? inline.name) ? {name: name ?? inline.name} : {})});
	return settings;
}

/** YAML files the command names or that are mounted as files, each read where the host keeps it. */
async function fileSettings(inspect: InspectPayload, environment: ReadonlyMap<string, string>, read: IdentityReader): Promise<ContainerPatroniSettings[]> {
	const settings: ContainerPatroniSettings[] = [];
	for (const {file, hostPath} of patroniFileCandidates(inspect)) {
		const identity = await read(hostPath);
		// Patroni reads PATRONI_SCOPE and PATRONI_NAME over the file's values.
		const scope = environment.get('PATRONI_SCOPE') ?? identity?.scope;
		const name = environment.get('PATRONI_NAME') ?? identity?.name;
		if (identity && scope) settings.push({from: 'file', source: file, scope, ...(name ? {name} : {})});
	}
	return settings;
}

const YAML_FILE = /\.ya?ml$/i;

export function patroniFileCandidates(inspect: InspectPayload): Array<{file: string; hostPath: string}> {
	const mounts = [...(inspect.Mounts ?? [])].filter(mount => mount.Source && mount.Destination).sort((a, b) => b.Destination.length - a.Destination.length);
	const workingDir = inspect.Config.WorkingDir || '/';
	const named = [inspect.Path, ...(inspect.Args ?? [])].filter(arg => YAML_FILE.test(arg)).map(arg => path.posix.resolve(workingDir, arg));
	const mountedFiles = mounts.map(mount => mount.Destination).filter(destination => YAML_FILE.test(destination));
	const candidates: Array<{file: string; hostPath: string}> = [];
	for (const file of new Set([...named, ...mountedFiles])) {
		const mount = mounts.find(found => file === found.Destination || file.startsWith(`${found.Destination.replace(/\/$/, '')}/`));
		if (mount) candidates.push({file, hostPath: path.posix.join(mount.Source, path.posix.relative(mount.Destination, file))});
	}
	return candidates;
}

/** Ports the engine forwards from the host to the container ("5432/tcp": [{HostIp: "127.0.0.1", HostPort: "15432"}]). */
export function publishedPorts(inspect: InspectPayload): ListenAddress[] {
	return Object.entries(inspect.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) =>
		key.endsWith('/tcp') ? (bindings ?? []).filter(binding => binding.HostPort).map(binding => ({address: binding.HostIp, port: Number(binding.HostPort), via: 'published' as const})) : [],
	);
}
