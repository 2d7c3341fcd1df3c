/**
 * How each action key sets up its operation: the dialogs that name the target (and, for destructive ones, ask
 * for it typed out), ending in an Operation for the runner. Built outside React from the operation modules.
 */
import type {DialogStep} from './dialog.js';
import type {ActionCommand, PaneName} from './keymap.js';
import {containerFlow, haproxyServerFlow} from './flows/infra-flows.js';
import {failoverFlow, switchoverFlow} from './flows/leader-flows.js';
import {cancelScheduledFlow, pauseResumeFlow, reinitializeFlow, reloadFlow, restartFlow} from './flows/member-flows.js';
import type {ClusterSnapshot} from './model/snapshot-types.js';
import type {OperationContext} from './operations/context.js';

export type FlowContext = {
	readonly snapshot: ClusterSnapshot;
	readonly selection: Readonly<Record<PaneName, number>>;
	readonly focusedPane: PaneName;
};

export type Flow = (context: FlowContext) => DialogStep | Promise<DialogStep>;

export type Flows = Partial<Record<ActionCommand, Flow>>;

export type FlowDeps = {
	/** The operations' context, built when an action starts (it observes the live snapshot). */
	readonly operations: () => OperationContext;
	readonly haproxySocket?: string | undefined;
	/** Extra flows from other modules (parameter edits, probes), merged over these. */
	readonly extra?: Flows;
};

/** Every action key's flow. */
export function createFlows(deps: FlowDeps): Flows {
	const ops = deps.operations;
	return {
		switchover: switchoverFlow(ops),
		failover: failoverFlow(ops),
		restart: restartFlow(ops),
		reload: reloadFlow(ops),
		reinitialize: reinitializeFlow(ops),
		'pause-resume': pauseResumeFlow(ops),
		'cancel-scheduled': cancelScheduledFlow(ops),
		container: containerFlow(ops),
		'haproxy-server': haproxyServerFlow(ops, deps.haproxySocket),
		...deps.extra,
	};
}
