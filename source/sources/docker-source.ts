import {isDeepStrictEqual} from 'node:util';
import type Dockerode from 'dockerode';
import type {ContainerView, DockerView} from '../model/views.js';
import {type Source, type SourceEvent} from './source.js';
import {errorMessage} from '../errors.js';
import {Bell, sleep} from '../async.js';

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
};

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
				events = await docker.getEvents({filters: {type: ['container'], event: ACTIONS, ...labelFilter}, abortSignal: signal});
				const wake = eventWaker(events, debounceMs);
				// What inspect said of each container: a safety re-list reuses it while the list shows the same state.
				const inspected = new Map<string, InspectedContainer>();
				let isAfterEvent = true;
				while (!signal.aborted && !wake.isBroken()) {
					if (isAfterEvent) inspected.clear();
					event = {kind: 'data', data: await listContainers(options, labelFilter, inspected, signal), at: Date.now()};
					backoffMs = 500;
					if (signal.aborted) return;
					if (!isSame(last, event) || event.at - last!.at >= safetyIntervalMs) yield (last = event);
					isAfterEvent = await wake.next(safetyIntervalMs, signal);
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

type InspectedContainer = {readonly listedState: string; readonly view: ContainerView};

async function listContainers(
	options: DockerSourceOptions,
	filters: Record<string, string[]>,
	inspected: Map<string, InspectedContainer>,
	signal: AbortSignal,
): Promise<DockerView> {
	const list = await options.docker.listContainers({all: true, filters, abortSignal: signal});
	const containers = await Promise.all(
		list.map(async info => {
			const known = inspected.get(info.Id);
			if (known?.listedState === info.State) return known.view;
			const view = await describe(options.docker, info, signal);
			inspected.set(info.Id, {listedState: info.State, view});
			return view;
		}),
	);
	for (const id of inspected.keys()) if (!list.some(info => info.Id === id)) inspected.delete(id);
	const shown = options.match ? containers.filter(options.match) : containers;
	return {containers: shown.sort((a, b) => a.name.localeCompare(b.name))};
}

async function describe(docker: Dockerode, info: Dockerode.ContainerInfo, signal: AbortSignal): Promise<ContainerView> {
	const base = {
		id: info.Id,
		name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
		image: info.Image,
		state: info.State,
		labels: info.Labels ?? {},
		command: info.Command,
	};
	try {
		const inspected = await docker.getContainer(info.Id).inspect({abortSignal: signal});
		return {
			...base,
			// Inspect is the later of the two answers, so its state wins.
			state: inspected.State.Status,
			hostname: inspected.Config.Hostname,
			startedAt: dockerTime(inspected.State.StartedAt),
			finishedAt: dockerTime(inspected.State.FinishedAt),
			exitCode: inspected.State.ExitCode,
			restartCount: inspected.RestartCount,
		};
	} catch (error) {
		// Removed between list and inspect: the list's facts are all there is. Anything else is the engine failing.
		if ((error as {statusCode?: number}).statusCode === 404) return base;
		throw error;
	}
}

/** Docker writes "0001-01-01T00:00:00Z" for "never". */
function dockerTime(value: string | undefined): string | undefined {
	return value && !value.startsWith('0001-') ? value : undefined;
}

/**
 * Turns the event stream into "wake me up": after an event (debounced), when the stream breaks, or on a timeout.
 * `next` resolves true when an event (or a broken stream) woke it, false on the timeout alone.
 */
function eventWaker(stream: NodeJS.ReadableStream, debounceMs: number) {
	let isDirty = false;
	let isBroken = false;
	let debounce: NodeJS.Timeout | undefined;
	const bell = new Bell();
	stream.on('data', () => {
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
		async next(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
			if (!isDirty && !isBroken) await bell.wait(timeoutMs, signal);
			const wasWoken = isDirty || isBroken;
			isDirty = false;
			return wasWoken;
		},
	};
}

function destroy(stream: NodeJS.ReadableStream | undefined): void {
	(stream as {destroy?: () => void} | undefined)?.destroy?.();
}

function isSame<T>(last: SourceEvent<T> | undefined, event: SourceEvent<T>): boolean {
	if (!last || last.kind !== event.kind) return false;
	return last.kind === 'data' ? isDeepStrictEqual(last.data, (event as {data: T}).data) : last.error === (event as {error: string}).error;
}
