/**
 * The fleet outside React: one DCS source on the whole namespace (one watch, whatever the number of clusters), its
 * keys turned into one row per scope. REST, SQL, HAProxy and Docker are asked nothing here: only the cluster that
 * is opened from the fleet gets its own monitor, so a fleet of hundreds costs the clusters one etcd watch.
 */
import {isDeepStrictEqual} from 'node:util';
import type {MonitorConfig} from './config.js';
import type {Thresholds} from './model/alerts.js';
import {fleetFromKeys, type FleetRow} from './model/fleet.js';
import type {DcsView} from './model/views.js';
import {etcd2Source} from './sources/etcd2-source.js';
import {etcd3Source} from './sources/etcd3-source.js';
import type {Source} from './sources/source.js';

export type FleetView = {
	readonly namespace: string;
	readonly rows: readonly FleetRow[];
	/** The namespace's keys were last read or changed at (undefined: never yet). */
	readonly updatedAt?: number;
	/** What the DCS source last said instead of data; the rows are then the last ones known, as old as updatedAt. */
	readonly error?: string;
	readonly errorAt?: number;
	/** The view's clock, moved on by the tick so ages count up on a quiet fleet. */
	readonly now: number;
};

/** Every call gives up after this long, as the cluster monitor's (monitor-sources.ts). */
const TIMEOUT_MS = 1500;
/** Ages are redrawn every second, and every CALM_TICK_MS once the fleet has not changed for CALM_AFTER_MS. */
const TICK_MS = 1000;
const CALM_TICK_MS = 3000;
const CALM_AFTER_MS = 30_000;

export function fleetDcsSource(config: MonitorConfig): Source<DcsView> {
	const {api, ...etcd} = config.dcs;
	const options = {...etcd, namespace: config.namespace, requestTimeoutMs: TIMEOUT_MS};
	return api === 'etcd2' ? etcd2Source(options) : etcd3Source(options);
}

export class FleetMonitor {
	#view: FleetView;
	readonly #listeners = new Set<() => void>();
	readonly #controller = new AbortController();
	#loop: Promise<void> | undefined;
	#timer: NodeJS.Timeout | undefined;
	#firstAnswer: Promise<void>;
	#answered: () => void = () => undefined;
	/** When the rows or the error last changed (a heartbeat read that changes nothing does not count). */
	#changedAt = Date.now();

	constructor(
		private readonly source: Source<DcsView>,
		private readonly options: {readonly namespace: string; readonly thresholds: Thresholds},
	) {
		this.#view = {namespace: options.namespace, rows: [], now: Date.now()};
		this.#firstAnswer = new Promise(resolve => (this.#answered = resolve));
	}

	getView = (): FleetView => this.#view;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	start(): void {
		this.#loop ??= this.#follow();
		// A tick redraws the whole fleet (its ages): at 100 clusters that is most of what an idle fleet costs, so a
		// quiet fleet ticks less often, as the cluster monitor's calm interval does; a change is drawn at once anyway.
		this.#timer ??= setInterval(() => {
			const now = Date.now();
			const isCalm = now - this.#changedAt >= CALM_AFTER_MS;
			if (!isCalm || now - this.#view.now >= CALM_TICK_MS - TICK_MS / 2) this.#set({now});
		}, TICK_MS);
	}

	/** Resolves at the first answer (data or error) or after `timeoutMs`. */
	async untilComplete(timeoutMs: number): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.#firstAnswer, new Promise(resolve => (timer = setTimeout(resolve, timeoutMs)))]);
		clearTimeout(timer);
	}

	async stop(): Promise<void> {
		clearInterval(this.#timer);
		this.#controller.abort();
		await this.#loop;
	}

	async #follow(): Promise<void> {
		const {signal} = this.#controller;
		try {
			for await (const event of this.source(signal)) {
				if (signal.aborted) break;
				if (event.kind === 'data') {
					// A view without a field it once had: `error` goes once the keys are read again.
					const {error: _error, errorAt: _errorAt, ...rest} = this.#view;
					const rows = fleetFromKeys(event.data.keys, this.options.thresholds);
					if (this.#view.error !== undefined || !isDeepStrictEqual(rows, this.#view.rows)) this.#changedAt = Date.now();
					this.#view = {...rest, rows, updatedAt: event.at, now: Date.now()};
					this.#emit();
				} else {
					if (this.#view.error !== event.error) this.#changedAt = Date.now();
					this.#set({error: event.error, errorAt: event.at, now: Date.now()});
				}
				this.#answered();
			}
		} catch (error) {
			// A source never throws by contract; were it to, the fleet says so rather than freezing silently.
			if (!signal.aborted) this.#set({error: error instanceof Error ? error.message : String(error), errorAt: Date.now()});
		}
	}

	#set(change: Partial<FleetView>): void {
		this.#view = {...this.#view, ...change};
		this.#emit();
	}

	#emit(): void {
		for (const listener of this.#listeners) listener();
	}
}
