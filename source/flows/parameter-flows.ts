/**
 * Parameter edits (search pg_settings, type the value, see the diff, apply; restart-context ones offered a
 * rolling restart), the rolling restart itself, the replication check and the write probe toggle.
 */
import type {ChoiceOption} from '../dialog.js';
import type {Flow, FlowContext} from '../flows.js';
import {sequence} from '../operations/composition.js';
import type {OperationContext} from '../operations/context.js';
import {OperationRefused} from '../operations/operation.js';
import {planParameterEdit, parameterEditOperation} from '../operations/parameter-edit.js';
import {readPgSettings, searchSettings, validateParameter, type PgSetting} from '../operations/pg-settings.js';
import {replicationCheckOperation} from '../operations/replication-check.js';
import {rollingRestartOperation} from '../operations/rolling-restart.js';
import {probeOptions, writeProbeOperation} from '../operations/write-probe-operation.js';
import {choose, close, confirm, confirmWithProbe, input, invalid, optionsOf, run, search} from './dialogs.js';
import {besideProbe, standbyRefusal, type ProbeBeside} from './probe.js';

function settingOption(setting: PgSetting): ChoiceOption {
	const unit = setting.unit ? ` ${setting.unit}` : '';
	const range = setting.enumvals ? `{${setting.enumvals.join(',')}}` : setting.min_val !== null ? `[${setting.min_val}..${setting.max_val}]` : '';
	return {value: setting.name, label: setting.name, detail: `${setting.setting}${unit} ${range} ${setting.context}${setting.pending_restart ? ' (restart pending)' : ''}`, isEnabled: true};
}

/** `read` is where pg_settings comes from: the leader's PostgreSQL (a test hands in recorded rows). */
export function editParameterFlow(ops: () => OperationContext, probe: ProbeBeside, read: (context: OperationContext) => Promise<PgSetting[]> = readPgSettings): Flow {
	return async () => {
		const context = ops();
		const settings = (await read(context)).filter(setting => setting.context !== 'internal');
		const options = searchSettings(settings, '').map(settingOption);
		return search('Edit a PostgreSQL parameter: type to search', ['value · unit · allowed range or values · context'], options, name => {
			const setting = settings.find(candidate => candidate.name === name)!;
			const about = [`${name}: ${setting.short_desc}`, `now ${settingOption(setting).detail}`];
			return input(`New value for ${name}`, about, 'value:', async value => {
				const check = validateParameter(setting, value, name);
				// The value stays on screen with the reason, to be corrected.
				if (!check.isValid) return invalid(`${check.reason} Nothing was sent.`);
				let plan;
				try {
					plan = await planParameterEdit(context, {name, value, settings});
				} catch (error) {
					// Patroni's own limits (max_connections below 25, …) are a wrong value too: kept for correction.
					if (error instanceof OperationRefused) return invalid(`${error.message} Nothing was sent.`);
					throw error;
				}
				const edit = parameterEditOperation(context, {name, value, settings, plan});
				const lines = [...plan.diffText.split('\n'), plan.needsRestart ? `${name} takes effect only after a restart of every member.` : 'Patroni reloads every member.'];
				if (!plan.needsRestart) return confirm(`Apply ${name} = ${value}?`, lines, () => run(edit));
				const choices = optionsOf([
					['rolling', 'apply, then rolling restart', 'replicas first, the leader by switchover'],
					['apply', 'apply only', 'members show "restart pending" until restarted'],
				]);
				return choose(`Apply ${name} = ${value}?`, lines, choices, answer => {
					// The list only picks the way: the confirmation that sends it is a [y/N] of its own.
					if (answer !== 'rolling') return confirm(`Apply ${name} = ${value} only?`, ['Every member shows "restart pending" until it is restarted (R).'], () => run(edit));
					const title = `set ${name} = ${value} with a rolling restart`;
					return confirmWithProbe(`Apply ${name} = ${value} with a rolling restart?`, ['Replicas first, one at a time, then the leader by switchover.'], probe.target(), withProbe =>
						run(sequence(title, name, [edit, besideProbe(probe, rollingRestartOperation(context, {mode: 'switchover'}), withProbe)])),
					);
				});
			});
		});
	};
}

export function rollingRestartFlow(ops: () => OperationContext, probe: ProbeBeside): Flow {
	return (context: FlowContext) => {
		const pending = context.snapshot.members.filter(member => member.pendingRestart).map(member => member.name);
		if (pending.length === 0) return close('No member is pending a restart.');
		const modes = optionsOf([
			['switchover', 'leader by switchover', 'replicas first, then a switchover to a caught-up replica'],
			['in-place', 'leader in place', 'replicas first, then the leader restarts where it is (writes pause)'],
		]);
		return choose(`Rolling restart of ${pending.join(', ')}: how should the leader go?`, ['One member at a time.'], modes, mode =>
			confirmWithProbe(`Rolling restart of ${pending.join(', ')}?`, [], probe.target(), withProbe =>
				run(besideProbe(probe, rollingRestartOperation(ops(), {mode: mode as 'switchover' | 'in-place'}), withProbe)),
			),
		);
	};
}

export function replicationCheckFlow(ops: () => OperationContext): Flow {
	return () => {
		const context = ops();
		const refusal = standbyRefusal(context, 'replication check');
		if (refusal) return close(refusal);
		const {primary} = context.clients.haproxy;
		const through = primary ? `through HAProxy ${primary.host}:${primary.port}` : 'on the leader (no HAProxy primary listener is configured)';
		return confirm(`Replication check ${through}?`, ['Writes a marker row into replicatest.words (created if absent) and times it on every member.'], () =>
			run(replicationCheckOperation(context, {primary})),
		);
	};
}

/** `w` asks, then starts a write probe that runs until `w` is pressed again, reporting every few seconds. */
export function writeProbeFlow(ops: () => OperationContext): Flow {
	let stop: AbortController | undefined;
	return () => {
		if (stop) {
			stop.abort();
			stop = undefined;
			return close('write probe stopping: its result goes to the operations pane');
		}
		const refusal = standbyRefusal(ops(), 'write probe');
		if (refusal) return close(refusal);
		const options = probeOptions(ops());
		const target = options.targetName ?? 'the primary';
		const lines = [`It writes to the cluster through ${target}: a small write every 50 ms, until w is pressed again.`];
		return confirm(`Start the write probe on ${target}?`, lines, () => {
			if (stop) return close('the write probe is already running: w stops it');
			const own = new AbortController();
			stop = own;
			return run(writeProbeOperation(options, own.signal, () => (stop = stop === own ? undefined : stop)));
		});
	};
}
