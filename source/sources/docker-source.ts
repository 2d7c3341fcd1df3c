import {isDeepStrictEqual} from 'node:util';
import type Dockerode from 'dockerode';
import type {ContainerView, DockerView, ListenAddress} from '../model/views.js';
import {listeningAddresses, localAddresses} from '../clients/proc-sockets.js';
import {inspectedView, type IdentityReader} from './container-facts.js';
import {type Source, type SourceEvent} from './source.js';
import {errorMessage} from '../errors.js';
import {Bell, sleep, withDeadline} from '../async.js';
import {DOCKER_READ_MS, dockerCall} from '../clients/docker.js';

export type DockerSourceOptions = {
	readonly docker: Dockerode;
	/** Docker label filters ("key" or "key=value"), applied by the engine to the list and the events alike. */
	readonly filterLabels?: readonly string[];
	/** Keeps only the containers this returns true for; by default every container is shown. */
	readonly match?: (container: ContainerView) => boolean;
	/** A re-list this often even without events, in case one was missed. */
	readonly safetyIntervalMs?: number;
	/** Events this close together cause one re-list (a stop is kill + die + stop). */
	readonly debounceMs?: number;
	readonly maxBackoffMs?: number;
	/** The TCP addresses a host PID's process tree listens on (default: read from /proc). */
	readonly readListening?: (pid: number) => Promise<ReadonlyArray<{address: string; port: number}>>;
	/** A Patroni YAML's scope and name, read on the host (default: the file, parsed). */
	readonly readIdentity?: IdentityReader;
};

/** A host-network container's listening sockets are read again this long after the last read (they move rarely). */
const SOCKETS_REFRESH_MS = 15_000;

/** Actions that change what a ContainerView shows; exec_* and attach events are frequent and change nothing. */
const ACTIONS = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'update'];

/**
 * Containers as Docker sees them, pushed: the engine's event stream wakes a re-list as soon as a container
 * starts, dies or pauses. Subscribes before listing, so nothing that happens in between is missed.
 */
export function dockerSource(options: DockerSourceOptions): Source<DockerView> {
	const {docker, filterLabels, safetyIntervalMs = 5000, debounceMs = 50, maxBackoffMs = 10_000} = options;
	const labelFilter: Record<string, string[]> = filterLabels?.length ? {label: [...filterLabels]} : {};
	return async function* watchDocker(signal) {
		let last: SourceEvent<DockerView> | undefined;
		let backoffMs = 500;
		while (!signal.aborted) {
			let events: NodeJS.ReadableStream | undefined;
			let event: SourceEvent<DockerView>;
			try {
				// The stream lives on the monitor's signal; only the wait for it to open has the deadline.
				events = await withDeadline(DOCKER_READ_MS, signal, () => docker.getEvents({filters: {type: ['container'], event: ACTIONS, ...labelFilter}, abortSignal: signal}));
				const wake = eventWaker(events, debounceMs);
				// What inspect said of each container, by id: inspected again only when an event names it or the list
				// shows it in another state.
				const inspected = new Map<string, InspectedContainer>();
				while (!signal.aborted && !wake.isBroken()) {
					event = {kind: 'data', data: await listContainers(options, labelFilter, inspected, signal), at: Date.now()};
					backoffMs = 500;
					if (signal.aborted) return;
					if (!isSame(last, event) || event.at - last!.at >= safetyIntervalMs) yield (last = event);
					const changed = await wake.next(safetyIntervalMs, signal);
					if (changed === 'all') inspected.clear();
					else for (const id of changed) inspected.delete(id);
				}
			} catch (error) {
				if (signal.aborted) return;
				event = {kind: 'error', error: `Docker: ${errorMessage(error)}`, at: Date.now()};
				if (!isSame(last, event)) yield (last = event);
			} finally {
				destroy(events);
			}
			// The stream ended (engine restart, idle timeout) or the engine is unreachable: back off, subscribe again.
			await sleep(backoffMs, signal);
			backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
		}
	};
}

type InspectedContainer = {
	readonly listedState: string;
	readonly view: ContainerView;
	/** The host PID whose process tree's sockets may prove whose the container is (running, host network, no lab label). */
	readonly pid?: number;
	sockets?: {readonly at: number; readonly addresses: readonly ListenAddress[]};
};

async function listContainers(
	options: DockerSourceOptions,
	filters: Record<string, string[]>,
	inspected: Map<string, InspectedContainer>,
	signal: AbortSignal,
): Promise<DockerView> {
	const list = await dockerCall('list', DOCKER_READ_MS, signal, abortSignal => options.docker.listContainers({all: true, filters, abortSignal}));
	const containers = await Promise.all(
		list.map(async info => {
			let known = inspected.get(info.Id);
			if (known?.listedState !== info.State) {
				known = {listedState: info.State, ...(await describe(options, info, signal))};
				inspected.set(info.Id, known);
			}
			return withSockets(known, options);
		}),
	);
	for (const id of inspected.keys()) if (!list.some(info => info.Id === id)) inspected.delete(id);
	const shown = options.match ? containers.filter(options.match) : containers;
	return {containers: shown.sort((a, b) => a.name.localeCompare(b.name)), localAddresses: localAddresses()};
}

async function describe(options: DockerSourceOptions, info: Dockerode.ContainerInfo, signal: AbortSignal): Promise<Omit<InspectedContainer, 'listedState'>> {
	const base = {
		id: info.Id,
		name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
		image: info.Image,
		state: info.State,
		labels: info.Labels ?? {},
		command: info.Command,
	};
	try {
		const inspected = await dockerCall('inspect', DOCKER_READ_MS, signal, abortSignal => options.docker.getContainer(info.Id).inspect({abortSignal}));
		return await inspectedView(base, inspected, options.readIdentity);
	} catch (error) {
		// Removed between list and inspect: the list's facts are all there is. Anything else is the engine failing.
		if ((error as {statusCode?: number}).statusCode === 404) return {view: base};
		throw error;
	}
}

/** A host-network container's view with what its processes listen on, read again every SOCKETS_REFRESH_MS. */
async function withSockets(known: InspectedContainer, options: DockerSourceOptions): Promise<ContainerView> {
	if (known.pid === undefined) return known.view;
	const now = Date.now();
	if (!known.sockets || now - known.sockets.at >= SOCKETS_REFRESH_MS) {
		const found = await (options.readListening ?? listeningAddresses)(known.pid);
		known.sockets = {at: now, addresses: found.map(({address, port}) => ({address, port, via: 'socket'}))};
	}
	if (known.sockets.addresses.length === 0) return known.view;
	return {...known.view, listening: [...(known.view.listening ?? []), ...known.sockets.addresses]};
}

/**
 * Turns the event stream into "wake me up": after an event (debounced), when the stream breaks, or on a timeout.
 * `next` resolves with the ids of the containers the events named ('all' when one could not be read, or the
 * stream broke), empty on the timeout alone.
 */
function eventWaker(stream: NodeJS.ReadableStream, debounceMs: number) {
	let changed: Set<string> | 'all' = new Set();
	let isDirty = false;
	let isBroken = false;
	let pending = '';
	let debounce: NodeJS.Timeout | undefined;
	const bell = new Bell();
	stream.on('data', (chunk: Buffer | string) => {
		// The engine writes one JSON object per line; a chunk may end inside one.
		const lines = (pending + chunk.toString()).split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) if (line.trim() !== '' && changed !== 'all') changed = withEventId(changed, line);
		debounce ??= setTimeout(() => {
			debounce = undefined;
			isDirty = true;
			bell.ring();
		}, debounceMs);
	});
	const broken = () => {
		isBroken = true;
		clearTimeout(debounce);
		bell.ring();
	};
	for (const name of ['end', 'close', 'error']) stream.on(name, broken);
	return {
		isBroken: () => isBroken,
		async next(timeoutMs: number, signal: AbortSignal): Promise<ReadonlySet<string> | 'all'> {
			if (!isDirty && !isBroken) await bell.wait(timeoutMs, signal);
			if (isBroken) return 'all';
			if (!isDirty) return new Set();
			const woken = changed;
			changed = new Set();
			isDirty = false;
			return woken;
		},
	};
}

function withEventId(ids: Set<string>, line: string): Set<string> | 'all' {
	try {
		const event = JSON.parse(line) as {id?: unknown; Actor?: {ID?: unknown}};
		const id = event.id ?? event.Actor?.ID;
		return typeof id === 'string' ? ids.add(id) : 'all';
	} catch {
		return 'all';
	}
}

function destroy(stream: NodeJS.ReadableStream | undefined): void {
	(stream as {destroy?: () => void} | undefined)?.destroy?.();
}

function isSame<T>(last: SourceEvent<T> | undefined, event: SourceEvent<T>): boolean {
	if (!last || last.kind !== event.kind) return false;
	return last.kind === 'data' ? isDeepStrictEqual(last.data, (event as {data: T}).data) : last.error === (event as {error: string}).error;
}
