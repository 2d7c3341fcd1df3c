/** The write probe a confirmation offers beside switchover, failover and rolling restart: named, and refusable. */
import {withWriteProbe} from '../operations/composition.js';
import type {OperationContext} from '../operations/context.js';
import type {Operation} from '../operations/operation.js';
import {probeOptions} from '../operations/write-probe-operation.js';

export type ProbeBeside = {
	/**
	 * Where it writes, as the confirmation names it: "127.0.0.1:15000", or "the leader" without HAProxy; undefined
	 * in a standby cluster, whose leader replays another cluster's WAL and takes no writes.
	 */
	readonly target: () => string | undefined;
	/** The operation with the probe around it. */
	readonly wrap: (operation: Operation) => Operation;
};

export function probeBeside(ops: () => OperationContext): ProbeBeside {
	return {
		target: () => (ops().observe().standby ? undefined : probeOptions(ops()).targetName ?? 'the primary'),
		wrap: operation => withWriteProbe(operation, probeOptions(ops())),
	};
}

/** The operation as the confirmation's answer chose it: with the probe (y) or without (o). */
export const besideProbe = (probe: ProbeBeside, operation: Operation, withProbe: boolean): Operation => (withProbe ? probe.wrap(operation) : operation);

/** Why the write probe and the replication check are not offered in a standby cluster; undefined elsewhere. */
export function standbyRefusal(context: OperationContext, what: string): string | undefined {
	const standby = context.observe().standby;
	if (!standby) return undefined;
	return `${what}: a standby cluster takes no writes (it replays from ${standby.source ?? standby.sender ?? 'its source'})`;
}
