/**
 * How each action key sets up its operation: the dialogs that name the target (and, for destructive ones, ask
 * for it typed out), ending in an Operation for the runner. Built outside React from the operation modules.
 */
import type {DialogStep} from './dialog.js';
import type {ActionCommand} from './keymap.js';
import type {PaneName} from './panes.js';
import {containerFlow, haproxyServerFlow} from './flows/infra-flows.js';
import {failoverFlow, switchoverFlow} from './flows/leader-flows.js';
import {cancelScheduledFlow, pauseResumeFlow, reinitializeFlow, reloadFlow, restartFlow} from './flows/member-flows.js';
import type {ClusterSnapshot} from './model/snapshot-types.js';
import {editParameterFlow, replicationCheckFlow, rollingRestartFlow, writeProbeFlow} from './flows/parameter-flows.js';
import {probeBeside} from './flows/probe.js';
import type {OperationContext} from './operations/context.js';

export type FlowContext = {
	readonly snapshot: ClusterSnapshot;
	readonly selection: Readonly<Record<PaneName, number>>;
};

export type Flow = (context: FlowContext) => DialogStep | Promise<DialogStep>;

export type Flows = Partial<Record<ActionCommand, Flow>>;

/**
 * Every action key's flow, each given the same operation context (built when an action starts: it observes the
 * live snapshot). Switchover, failover and the rolling restart offer a write probe beside them, named in their
 * confirmation, which may turn it down.
 */
export function createFlows(ops: () => OperationContext): Flows {
	const probe = probeBeside(ops);
	return {
		switchover: switchoverFlow(ops, probe),
		failover: failoverFlow(ops, probe),
		restart: restartFlow(ops),
		reload: reloadFlow(ops),
		reinitialize: reinitializeFlow(ops),
		'pause-resume': pauseResumeFlow(ops),
		'cancel-scheduled': cancelScheduledFlow(ops),
		container: containerFlow(ops),
		'haproxy-server': haproxyServerFlow(ops),
		'edit-parameter': editParameterFlow(ops, probe),
		'rolling-restart': rollingRestartFlow(ops, probe),
		'replication-check': replicationCheckFlow(ops),
		'write-probe': writeProbeFlow(ops),
	};
}
