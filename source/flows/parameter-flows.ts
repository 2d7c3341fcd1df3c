/**
 * Parameter edits (search pg_settings, type the value, see the diff, apply; restart-context ones offered a
 * rolling restart), the rolling restart itself, the replication check and the write probe toggle.
 */
import type {ChoiceOption} from '../dialog.js';
import type {Flow, FlowContext} from '../flows.js';
import {sequence, withWriteProbe} from '../operations/composition.js';
import type {OperationContext} from '../operations/context.js';
import type {Operation} from '../operations/operation.js';
import {planParameterEdit, parameterEditOperation} from '../operations/parameter-edit.js';
import {readPgSettings, searchSettings, validateParameter, type PgSetting} from '../operations/pg-settings.js';
import {replicationCheckOperation} from '../operations/replication-check.js';
import {rollingRestartOperation} from '../operations/rolling-restart.js';
import {probeOptions, writeProbeOperation} from '../operations/write-probe-operation.js';
import {choose, close, confirm, input, optionsOf, run, search} from './dialogs.js';

function settingOption(setting: PgSetting): ChoiceOption {
	const unit = setting.unit ? ` ${setting.unit}` : '';
	const range = setting.enumvals ? `{${setting.enumvals.join(',')}}` : setting.min_val !== null ? `[${setting.min_val}..${setting.max_val}]` : '';
	return {value: setting.name, label: setting.name, detail: `${setting.setting}${unit} ${range} ${setting.context}${setting.pending_restart ? ' (restart pending)' : ''}`, isEnabled: true};
}

function rollingRestart(context: OperationContext, mode: 'switchover' | 'in-place'): Operation {
	return withWriteProbe(rollingRestartOperation(context, {mode}), probeOptions(context));
}

export function editParameterFlow(ops: () => OperationContext): Flow {
	return async () => {
		const context = ops();
		const settings = (await readPgSettings(context)).filter(setting => setting.context !== 'internal');
		const options = searchSettings(settings, '').map(settingOption);
		return search('Edit a PostgreSQL parameter: type to search', ['value · unit · allowed range or values · context'], options, name => {
			const setting = settings.find(candidate => candidate.name === name)!;
			const about = [`${name}: ${setting.short_desc}`, `now ${settingOption(setting).detail}`];
			return input(`New value for ${name}`, about, 'value:', async value => {
				const check = validateParameter(setting, value, name);
				if (!check.isValid) return close(`${check.reason} Nothing was sent.`);
				const plan = await planParameterEdit(context, {name, value, settings});
				const edit = parameterEditOperation(context, {name, value, settings, plan});
				const lines = [...plan.diffText.split('\n'), plan.needsRestart ? `${name} takes effect only after a restart of every member.` : 'Patroni reloads every member.'];
				if (!plan.needsRestart) return confirm(`Apply ${name} = ${value}?`, lines, () => run(edit));
				const choices = optionsOf([
					['rolling', 'apply, then rolling restart', 'replicas first, the leader by switchover'],
					['apply', 'apply only', 'members show "restart pending" until restarted'],
				]);
				return choose(`Apply ${name} = ${value}?`, lines, choices, answer =>
					run(answer === 'rolling' ? sequence(`set ${name} = ${value} with a rolling restart`, name, [edit, rollingRestart(context, 'switchover')]) : edit),
				);
			});
		});
	};
}

export function rollingRestartFlow(ops: () => OperationContext): Flow {
	return (context: FlowContext) => {
		const pending = context.snapshot.members.filter(member => member.pendingRestart).map(member => member.name);
		if (pending.length === 0) return close('No member is pending a restart.');
		const modes = optionsOf([
			['switchover', 'leader by switchover', 'replicas first, then a switchover to a caught-up replica'],
			['in-place', 'leader in place', 'replicas first, then the leader restarts where it is (writes pause)'],
		]);
		return choose(`Rolling restart of ${pending.join(', ')}: how should the leader go?`, ['One member at a time; a write probe runs throughout.'], modes, mode =>
			confirm(`Rolling restart of ${pending.join(', ')}?`, [], () => run(rollingRestart(ops(), mode as 'switchover' | 'in-place'))),
		);
	};
}

export function replicationCheckFlow(ops: () => OperationContext): Flow {
	return () => {
		const context = ops();
		const {primary} = context.clients.haproxy;
		const through = primary ? `through HAProxy ${primary.host}:${primary.port}` : 'on the leader (no HAProxy primary listener is configured)';
		return confirm(`Replication check ${through}?`, ['Writes a marker row into replicatest.words (created if absent) and times it on every member.'], () =>
			run(replicationCheckOperation(context, {primary})),
		);
	};
}

/** `w` starts a write probe that runs until `w` is pressed again, reporting every few seconds. */
export function writeProbeFlow(ops: () => OperationContext): Flow {
	let stop: AbortController | undefined;
	return () => {
		if (stop) {
			stop.abort();
			stop = undefined;
			return close('write probe stopping: its result goes to the operations pane');
		}
		const options = probeOptions(ops());
		const own = new AbortController();
		stop = own;
		return run(writeProbeOperation(options, own.signal, () => (stop = stop === own ? undefined : stop)));
	};
}
