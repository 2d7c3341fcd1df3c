/** The write probe a confirmation offers beside switchover, failover and rolling restart: named, and refusable. */
import {withWriteProbe} from '../operations/composition.js';
import type {OperationContext} from '../operations/context.js';
import type {Operation} from '../operations/operation.js';
import {probeOptions} from '../operations/write-probe-operation.js';

export type ProbeBeside = {
	/** Where it writes, as the confirmation names it: "127.0.0.1:15000", or "the leader" without HAProxy. */
	readonly target: () => string;
	/** The operation with the probe around it. */
	readonly wrap: (operation: Operation) => Operation;
};

export function probeBeside(ops: () => OperationContext): ProbeBeside {
	return {
		target: () => probeOptions(ops()).targetName ?? 'the primary',
		wrap: operation => withWriteProbe(operation, probeOptions(ops())),
	};
}

/** The operation as the confirmation's answer chose it: with the probe (y) or without (o). */
export const besideProbe = (probe: ProbeBeside, operation: Operation, withProbe: boolean): Operation => (withProbe ? probe.wrap(operation) : operation);
