/**
 * An operation is an object outside React: it validates first, then acts, reporting each step with its time.
 * The runner shows the steps in the operations panel and the event log; the UI only starts operations.
 */
export type StepStatus = 'running' | 'done' | 'failed' | 'skipped' | 'info';

export type OperationEvent =
	| {readonly kind: 'step'; readonly at: number; readonly text: string; readonly status: StepStatus}
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

export const step = (text: string, status: StepStatus = 'done'): OperationEvent => ({kind: 'step', at: Date.now(), text, status});
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
