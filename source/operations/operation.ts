/**
 * An operation is an object outside React: it validates first, then acts, reporting each step with its time.
 * The runner shows the steps in the operations panel and the event log; the UI only starts operations.
 */
export type StepStatus = 'running' | 'done' | 'failed' | 'skipped' | 'info';

/**
 * Where an operation of several parts stands, carried by the step that moved it: what was done, what is left.
 * When the operation is cut short (q, a signal), the runner says from this what was left half-done.
 */
export type Progress = {
	/** "rolling restart" */
	readonly what: string;
	readonly done: readonly string[];
	readonly left: readonly string[];
	/** What each one left still is: "still pending a restart". */
	readonly leftAs: string;
	/** What was in flight when this was written, if anything: "node3: POST /restart". */
	readonly inFlight?: string;
};

export type OperationEvent =
	| {readonly kind: 'step'; readonly at: number; readonly text: string; readonly status: StepStatus; readonly progress?: Progress}
	| {readonly kind: 'done'; readonly at: number; readonly isOk: boolean; readonly summary: string};

export type Operation = {
	/** Short and specific, naming the target: "switchover node1 → node2". */
	readonly title: string;
	/** What a confirmation names (a member, a container, a parameter). */
	readonly target: string;
	/** Whether it changes the cluster: refused under --read-only by the runner and by the operation itself. */
	readonly isMutating: boolean;
	/** False for background work (a write probe) that may run beside another mutating operation. Default true. */
	readonly isExclusive?: boolean;
	run(signal: AbortSignal): AsyncIterable<OperationEvent>;
};

/** Thrown (and shown as a refusal) before anything is sent: bad input, an ineligible target, read-only mode. */
export class OperationRefused extends Error {
	override name = 'OperationRefused';
}

export function refuseWhenReadOnly(isReadOnly: boolean, title: string): void {
	if (isReadOnly) throw new OperationRefused(`Read-only mode: "${title}" would change the cluster and was not sent.`);
}

export const step = (text: string, status: StepStatus = 'done', progress?: Progress): OperationEvent => ({kind: 'step', at: Date.now(), text, status, ...(progress ? {progress} : {})});
export const done = (isOk: boolean, summary: string): OperationEvent => ({kind: 'done', at: Date.now(), isOk, summary});

/** An operation that changes the cluster: refused in read-only mode before any of its body runs. */
export function mutation(
	isReadOnly: boolean,
	title: string,
	target: string,
	body: (signal: AbortSignal) => AsyncIterable<OperationEvent>,
): Operation {
	return {
		title,
		target,
		isMutating: true,
		async *run(signal) {
			refuseWhenReadOnly(isReadOnly, title);
			yield* body(signal);
		},
	};
}

/** "rolling restart stopped after node1, node2; node3 still pending a restart (node3: POST /restart was in flight)" */
export function describeHalfDone(progress: Progress): string {
	const after = progress.done.length > 0 ? `after ${progress.done.join(', ')}` : 'before any was done';
	const left = progress.left.length > 0 ? `; ${progress.left.join(', ')} ${progress.leftAs}` : '';
	const inFlight = progress.inFlight ? ` (${progress.inFlight} was in flight)` : '';
	return `${progress.what} stopped ${after}${left}${inFlight}`;
}
