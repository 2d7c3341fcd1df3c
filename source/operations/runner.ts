import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {describeHalfDone, OperationRefused, refuseWhenReadOnly, type Operation, type OperationEvent} from './operation.js';

export type OperationRecord = {
	readonly id: number;
	readonly title: string;
	readonly startedAt: number;
	readonly events: readonly OperationEvent[];
	readonly state: 'running' | 'succeeded' | 'failed' | 'refused';
};

export type RunnerView = {readonly operations: readonly OperationRecord[]};

export type RunnerOptions = {
	readonly isReadOnly: boolean;
	/** Every step also goes to the event log. */
	readonly onStep?: (title: string, event: OperationEvent) => void;
	/** How many finished operations are kept for the panel. */
	readonly keep?: number;
};

/**
 * Runs operations one mutating operation at a time and keeps their step logs for the operations panel.
 * Read-only mode is enforced here as well as in each operation, so no path can slip a mutation through.
 */
export class OperationRunner {
	#view: RunnerView = {operations: []};
	#nextId = 1;
	readonly #listeners = new Set<() => void>();
	readonly #controller = new AbortController();
	#running: Promise<void> | undefined;
	readonly #background = new Set<Promise<void>>();

	constructor(readonly options: RunnerOptions) {}

	getView = (): RunnerView => this.#view;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	#update(id: number, change: (record: OperationRecord) => OperationRecord): void {
		const keep = this.options.keep ?? 20;
		const operations = this.#view.operations.map(record => (record.id === id ? change(record) : record));
		this.#view = {operations: operations.slice(Math.max(0, operations.length - keep))};
		for (const listener of this.#listeners) listener();
	}

	#add(title: string): number {
		const id = this.#nextId++;
		this.#view = {operations: [...this.#view.operations, {id, title, startedAt: Date.now(), events: [], state: 'running'}]};
		return id;
	}

	#record(id: number, title: string, event: OperationEvent): void {
		this.options.onStep?.(title, event);
		this.#update(id, record => ({
			...record,
			events: [...record.events, event],
			state: event.kind === 'done' ? (event.isOk ? 'succeeded' : 'failed') : record.state,
		}));
	}

	/** Starts an operation; resolves when it has finished. A refusal is recorded, never thrown. */
	start(operation: Operation): Promise<void> {
		const id = this.#add(operation.title);
		const refuse = (reason: string) => {
			this.#record(id, operation.title, {kind: 'done', at: Date.now(), isOk: false, summary: reason});
			this.#update(id, record => ({...record, state: 'refused'}));
		};
		try {
			if (operation.isMutating) refuseWhenReadOnly(this.options.isReadOnly, operation.title);
			const isExclusive = operation.isMutating && operation.isExclusive !== false;
			if (isExclusive && this.#running) throw new OperationRefused('Another operation is still running: wait for it to finish.');
		} catch (error) {
			refuse(errorMessage(error));
			return Promise.resolve();
		}
		const run = (async () => {
			try {
				for await (const event of operation.run(this.#controller.signal)) this.#record(id, operation.title, event);
			} catch (error) {
				if (error instanceof OperationRefused) refuse(error.message);
				else this.#record(id, operation.title, {kind: 'done', at: Date.now(), isOk: false, summary: errorMessage(error)});
			}
			const record = this.#view.operations.find(candidate => candidate.id === id);
			if (record?.state === 'running') this.#record(id, operation.title, {kind: 'done', at: Date.now(), isOk: true, summary: 'finished'});
		})();
		if (operation.isMutating && operation.isExclusive !== false) this.#running = run.finally(() => (this.#running = undefined));
		this.#background.add(run);
		void run.finally(() => this.#background.delete(run));
		return run;
	}

	/**
	 * Cancels whatever is running and waits for it, at most `budgetMs`: every step and wait takes the runner's
	 * signal, but a quit must not hang on one that does not let go. Returns, for each operation that was running,
	 * one line saying what it left half-done (also recorded, so it reaches the event log); the caller says it again
	 * once the terminal is back.
	 */
	async interrupt(why: string, budgetMs = 1500): Promise<string[]> {
		const running = this.#view.operations.filter(record => record.state === 'running');
		this.#controller.abort(new Error(`interrupted: ${why}`));
		const settled = Promise.allSettled([...this.#background]);
		const stopBudget = new AbortController();
		await Promise.race([settled, sleep(budgetMs, stopBudget.signal)]);
		stopBudget.abort();
		return running.map(({id}) => {
			const record = this.#view.operations.find(candidate => candidate.id === id);
			if (!record) return '';
			const text = `interrupted (${why}): ${halfDone(record)}`;
			if (record.state === 'running') {
				this.#record(id, record.title, {kind: 'done', at: Date.now(), isOk: false, summary: `${text}; it had not stopped ${budgetMs} ms later`});
			} else {
				this.#record(id, record.title, {kind: 'step', at: Date.now(), text, status: 'failed'});
			}
			return `${record.title}: ${text}`;
		}).filter(Boolean);
	}

	/** Cancels what is running (operations stop at their next step) and waits for it, at most `budgetMs`. */
	async stop(budgetMs?: number): Promise<void> {
		await this.interrupt('stopped', budgetMs);
		this.#listeners.clear();
	}
}

/** What a cut-short operation leaves: its own progress when it reports some, else the step it was at. */
export function halfDone(record: OperationRecord): string {
	const progress = record.events.findLast(event => event.kind === 'step' && event.progress !== undefined);
	if (progress?.kind === 'step' && progress.progress) return describeHalfDone(progress.progress);
	// The request that was in flight says most ("asking node1's Patroni to hand over to node2"); else the last step.
	const last = record.events.findLast(event => event.kind === 'step' && event.status === 'running') ?? record.events.findLast(event => event.kind === 'step');
	const ending = record.events.findLast(event => event.kind === 'done');
	const outcome = ending?.kind === 'done' ? `; it ended: ${ending.summary}` : '';
	return last?.kind === 'step' ? `stopped at "${last.text}"${outcome}` : `stopped before its first step${outcome}`;
}
