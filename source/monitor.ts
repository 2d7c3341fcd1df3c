import {setMaxListeners} from 'node:events';
import {publishMilestone} from './diagnostics.js';
import {DEFAULT_THRESHOLDS, type Thresholds} from './model/alerts.js';
import {appendEvents, diffSnapshots, lostMemberDismissed, type LogEvent} from './model/events.js';
import {EMPTY_LAG_HISTORY, recordLag, type LagHistory} from './model/lag-history.js';
import {reuseUnchanged} from './model/reuse.js';
import {EMPTY_MEMBER_MEMORY, forgetMember, type MemberMemory} from './model/member-memory.js';
import {buildRememberedSnapshot, type SnapshotOptions} from './model/snapshot.js';
import {SOURCE_NAMES, type ClusterSnapshot, type SourceName} from './model/snapshot-types.js';
import {applySourceEvent, emptySourceStates, type SourceState, type SourceStates} from './model/source-state.js';
import type {DcsView, DockerView, HaproxyView, PostgresView, RestView} from './model/views.js';
import type {OperationEvent} from './operations/operation.js';
import {DrawPacer, type DrawKind} from './draw-pacer.js';
import {fixedPace, type Pace} from './sources/cadence.js';
import type {Source} from './sources/source.js';
import {errorMessage} from './errors.js';
import {Bell, sleep} from './async.js';
import {hasNews, isComplete} from './snapshot-news.js';

export type MonitorSources = {
	readonly dcs?: Source<DcsView>;
	readonly rest?: Source<RestView>;
	readonly postgres?: Source<PostgresView>;
	readonly haproxy?: Source<HaproxyView>;
	readonly docker?: Source<DockerView>;
};

export type MonitorOptions = Pick<SnapshotOptions, 'endpoints' | 'warnings'> & {
	readonly scope: string;
	readonly thresholds?: Thresholds;
	readonly staleAfterMs?: number;
	/** How often ages are re-measured and changes that are not news are drawn (default every second). */
	readonly tick?: Pace;
	/** Called with each batch of new log events (the CLI appends them to the log file). */
	readonly onEvents?: (events: readonly LogEvent[]) => void;
	readonly now?: () => number;
	/** Longest wait for a complete first picture before the event log starts anyway (default 5 s). */
	readonly baselineMs?: number;
	readonly offReasons?: Partial<Record<SourceName, string>>;
};

/** How often partial pictures are drawn while the sources are first answering (see #notifyWhileStarting). */
const STARTUP_FRAME_MS = 500;

/**
 * How often news is drawn while no member holds the leader key. In a switchover the old leader lets the key go and
 * the new one takes it 50-150 ms later; the member keys and REST answers that change in between drew frames (25-30
 * ms each while a switchover keeps both cores busy) that the new leader's key then arrived during, and waited for
 * (docs/benchmark.md, figure 1). A spell without a leader that lasts (a failover waiting for the key to expire) is
 * still drawn several times a second, and the tick's redraw is not held.
 */
export const LEADERLESS_NEWS_MS = 250;

/** What the UI draws: replaced as a whole when anything changed, so React can compare by identity. */
export type MonitorView = {readonly snapshot: ClusterSnapshot; readonly events: readonly LogEvent[]; readonly lagHistory: LagHistory};

/**
 * Runs every source outside React, folds their events into one snapshot, diffs successive snapshots into log
 * events and notifies subscribers. A failing source becomes state (error + age), never an exception.
 */
export class Monitor {
	#states: SourceStates;
	/** The members seen so far: a lost one stays on screen until it is back or dismissed (model/member-memory.ts). */
	#memory: MemberMemory = EMPTY_MEMBER_MEMORY;
	#view: MonitorView;
	readonly #listeners = new Set<() => void>();
	readonly #controller = new AbortController();
	readonly #loops: Promise<void>[] = [];
	#hasBaseline = false;
	#wasComplete = false;
	#startedAt = 0;
	readonly #pacer = new DrawPacer(() => {
		for (const listener of this.#listeners) listener();
	});

	constructor(readonly sources: MonitorSources, readonly options: MonitorOptions) {
		// Every source and each of its in-flight requests listens on this one signal: more than Node's default 10.
		setMaxListeners(200, this.#controller.signal);
		const enabled = Object.fromEntries(SOURCE_NAMES.map(name => [name, sources[name] !== undefined]));
		this.#states = emptySourceStates(enabled, options.offReasons);
		this.#view = {snapshot: this.#build(), events: [], lagHistory: EMPTY_LAG_HISTORY};
	}

	#now(): number {
		return this.options.now?.() ?? Date.now();
	}

	#build(): ClusterSnapshot {
		const {scope, thresholds = DEFAULT_THRESHOLDS, staleAfterMs, endpoints, warnings} = this.options;
		const built = buildRememberedSnapshot(this.#states, {scope, now: this.#now(), thresholds, staleAfterMs, endpoints, warnings}, this.#memory);
		this.#memory = built.memory;
		return built.snapshot;
	}

	/**
	 * Rebuilds the snapshot; logs what changed; notifies. Nothing is logged until the first complete picture
	 * (or `baselineMs` after start): sources arriving one by one are not changes in the cluster.
	 */
	#refresh(isDue = true): void {
		const previous = this.#view.snapshot;
		const snapshot = reuseUnchanged(previous, this.#build());
		const wasBaseline = this.#hasBaseline;
		const isCompleteNow = isComplete(snapshot);
		if (!this.#wasComplete && isCompleteNow) {
			this.#wasComplete = true;
			publishMilestone({kind: 'complete', at: performance.timeOrigin + performance.now()});
		}
		if (!this.#hasBaseline && (isCompleteNow || this.#now() - this.#startedAt >= (this.options.baselineMs ?? 5000))) {
			this.#hasBaseline = true;
			this.#view = {...this.#view, snapshot};
			this.#log([{at: snapshot.at, severity: 'info', text: `watching ${snapshot.scope}: leader ${snapshot.leader ?? 'none'}, ${snapshot.state}`}]);
		}
		const added = this.#hasBaseline ? diffSnapshots(this.#view.snapshot, snapshot) : [];
		this.#log(added);
		this.#view = {snapshot, events: this.#view.events, lagHistory: recordLag(this.#view.lagHistory, snapshot)};
		// Every notification is a full redraw (10–40 ms at common sizes). A new leader is drawn at once, other news
		// soon (draw-pacer.ts); anything else (a lag figure, a check duration, ages) waits for the next tick: an idle
		// cluster costs one frame a tick, not one per source answer.
		if (!wasBaseline) this.#notifyWhileStarting(this.#hasBaseline);
		else if (previous.leader !== snapshot.leader) this.#notify('urgent');
		else if (added.length > 0 || hasNews(previous, snapshot)) this.#notify('news', snapshot.leader === undefined ? LEADERLESS_NEWS_MS : undefined);
		else if (isDue) this.#notify('due');
	}

	/**
	 * Before the first complete picture, sources answer one by one within a few hundred ms, and each answer drawn
	 * at once is a cold, costly frame that holds up the answers still coming (the process has one thread). So
	 * the first answer is drawn at once, later ones at most every STARTUP_FRAME_MS, and the complete picture at
	 * once: the draw pacer's rule for news, at a slower pace.
	 */
	#notifyWhileStarting(isBaseline: boolean): void {
		if (isBaseline) this.#notify('urgent');
		else this.#notify('news', STARTUP_FRAME_MS);
	}

	#notify(kind: DrawKind = 'urgent', paceMs?: number): void {
		this.#pacer.request(kind, paceMs);
	}

	#log(added: readonly LogEvent[]): void {
		if (added.length === 0) return;
		this.options.onEvents?.(added);
		this.#view = {...this.#view, events: appendEvents(this.#view.events, added)};
	}

	/** An operation's step, in the event log beside what the sources saw. */
	logOperation(title: string, event: OperationEvent): void {
		const text = event.kind === 'step' ? `${title}: ${event.text}` : `${title}: ${event.isOk ? 'done' : 'FAILED'} — ${event.summary}`;
		const severity = event.kind === 'done' ? (event.isOk ? 'info' : 'warning') : event.status === 'failed' ? 'warning' : 'info';
		this.#log([{at: event.at, severity, text}]);
		this.#notify();
	}

	/** A line of the program's own in the event log: how it ended, and what it left half-done. */
	note(text: string, severity: LogEvent['severity'] = 'info'): void {
		this.#log([{at: this.#now(), severity, text}]);
	}

	/** The engineer's `d` on a lost member: forgotten and logged. False (nothing done) when `name` is not lost. */
	dismissLost(name: string): boolean {
		const member = this.#view.snapshot.members.find(candidate => candidate.name === name);
		if (!member?.lost) return false;
		this.#memory = forgetMember(this.#memory, name);
		this.#log([lostMemberDismissed(member, this.#now())]);
		this.#refresh();
		return true;
	}

	/** True once every source spoke and every member with an address has a PostgreSQL answer. */
	isComplete(): boolean {
		return isComplete(this.#view.snapshot);
	}

	start(): void {
		this.#startedAt = this.#now();
		for (const name of SOURCE_NAMES) {
			const source = this.sources[name] as Source<unknown> | undefined;
			if (source) this.#loops.push(this.#run(name, source));
		}
		this.#loops.push(this.#tick(this.options.tick ?? fixedPace(1000)));
	}

	async #tick(pace: Pace): Promise<void> {
		const signal = this.#controller.signal;
		for (await pace.wait(signal); !signal.aborted; await pace.wait(signal)) this.#refresh();
	}

	async #run(name: SourceName, source: Source<unknown>): Promise<void> {
		const signal = this.#controller.signal;
		while (!signal.aborted) {
			try {
				for await (const event of source(signal)) {
					if (signal.aborted) return;
					this.#states = {...this.#states, [name]: applySourceEvent(this.#states[name] as SourceState<unknown>, event)};
					this.#refresh(false);
				}
				// A source that ended by itself is restarted after a pause, never in a hot loop.
				await sleep(1000, signal);
			} catch (error) {
				// A source is meant to yield its errors; one that throws anyway is shown and restarted, not fatal.
				const event = {kind: 'error' as const, error: errorMessage(error), at: this.#now()};
				this.#states = {...this.#states, [name]: applySourceEvent(this.#states[name] as SourceState<unknown>, event)};
				this.#refresh();
				await sleep(1000, signal);
			}
		}
	}

	getView = (): MonitorView => this.#view;

	/** The raw per-source states behind the view (recorded as fixtures for the model's tests). */
	getSourceStates(): SourceStates {
		return this.#states;
	}

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	/**
	 * Resolves once the picture is complete (the monitor says so at once) or after `timeoutMs`, with the view
	 * rebuilt at that moment, so its ages are those of now.
	 */
	async untilComplete(timeoutMs: number): Promise<void> {
		if (!this.isComplete()) {
			const completed = new Bell();
			const check = () => {
				if (this.isComplete()) completed.ring();
			};
			this.#listeners.add(check);
			await completed.wait(timeoutMs);
			this.#listeners.delete(check);
		}
		this.#refresh();
	}

	/** Stops every source (each cleans up in its own `finally`) and waits for them to finish. */
	async stop(): Promise<void> {
		this.#pacer.cancel();
		this.#controller.abort();
		await Promise.allSettled(this.#loops);
		this.#listeners.clear();
	}
}
