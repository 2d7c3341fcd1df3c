/**
 * Parameter edits (search pg_settings, type the value, see the diff, apply; restart-context ones offered a
 * rolling restart), the rolling restart itself, the replication check and the write probe toggle.
 */
import type {MonitorConfig} from '../config.js';
import type {ChoiceOption} from '../dialog.js';
import type {Flow, FlowContext} from '../flows.js';
import {formatDuration} from '../model/format.js';
import {sequence, withWriteProbe} from '../operations/composition.js';
import {done, refuseWhenReadOnly, step, type Operation} from '../operations/operation.js';
import {planParameterEdit, parameterEditOperation} from '../operations/parameter-edit.js';
import {readPgSettings, searchSettings, validateParameter, type PgSetting} from '../operations/pg-settings.js';
import {replicationCheckOperation} from '../operations/replication-check.js';
import {rollingRestartOperation} from '../operations/rolling-restart.js';
import {startWriteProbe, type WriteProbeOptions} from '../operations/write-probe.js';
import {sleep} from '../async.js';
import {choose, close, confirm, input, optionsOf, run, search} from './dialogs.js';

function probeOptions(config: MonitorConfig): WriteProbeOptions | undefined {
	const primary = config.haproxy.primary;
	return primary ? {primary, postgres: config.postgres, isReadOnly: config.isReadOnly} : undefined;
}

function settingOption(setting: PgSetting): ChoiceOption {
	const unit = setting.unit ? ` ${setting.unit}` : '';
	const range = setting.enumvals ? `{${setting.enumvals.join(',')}}` : setting.min_val !== null ? `[${setting.min_val}..${setting.max_val}]` : '';
	return {value: setting.name, label: setting.name, detail: `${setting.setting}${unit} ${range} ${setting.context}${setting.pending_restart ? ' (restart pending)' : ''}`, isEnabled: true};
}

function rollingRestart(config: MonitorConfig, mode: 'switchover' | 'in-place'): Operation {
	return withWriteProbe(rollingRestartOperation({observe: config, mode}), probeOptions(config));
}

export function editParameterFlow(config: MonitorConfig): Flow {
	return async () => {
		const settings = (await readPgSettings(config)).filter(setting => setting.context !== 'internal');
		const options = searchSettings(settings, '').map(settingOption);
		return search('Edit a PostgreSQL parameter: type to search', ['value · unit · allowed range or values · context'], options, name => {
			const setting = settings.find(candidate => candidate.name === name)!;
			const about = [`${name}: ${setting.short_desc}`, `now ${settingOption(setting).detail}`];
			return input(`New value for ${name}`, about, 'value:', async value => {
				const check = validateParameter(setting, value, name);
				if (!check.isValid) return close(`${check.reason} Nothing was sent.`);
				const plan = await planParameterEdit({name, value, settings, observe: config});
				const edit = parameterEditOperation({name, value, settings, observe: config, plan});
				const lines = [...plan.diffText.split('\n'), plan.needsRestart ? `${name} takes effect only after a restart of every member.` : 'Patroni reloads every member.'];
				if (!plan.needsRestart) return confirm(`Apply ${name} = ${value}?`, lines, () => run(edit));
				const choices = optionsOf([
					['rolling', 'apply, then rolling restart', 'replicas first, the leader by switchover'],
					['apply', 'apply only', 'members show "restart pending" until restarted'],
				]);
				return choose(`Apply ${name} = ${value}?`, lines, choices, answer =>
					run(answer === 'rolling' ? sequence(`set ${name} = ${value} with a rolling restart`, name, [edit, rollingRestart(config, 'switchover')]) : edit),
				);
			});
		});
	};
}

export function rollingRestartFlow(config: MonitorConfig): Flow {
	return (context: FlowContext) => {
		const pending = context.snapshot.members.filter(member => member.pendingRestart).map(member => member.name);
		if (pending.length === 0) return close('No member is pending a restart.');
		const modes = optionsOf([
			['switchover', 'leader by switchover', 'replicas first, then a switchover to a caught-up replica'],
			['in-place', 'leader in place', 'replicas first, then the leader restarts where it is (writes pause)'],
		]);
		return choose(`Rolling restart of ${pending.join(', ')}: how should the leader go?`, ['One member at a time; a write probe runs throughout.'], modes, mode =>
			confirm(`Rolling restart of ${pending.join(', ')}?`, [], () => run(rollingRestart(config, mode as 'switchover' | 'in-place'))),
		);
	};
}

export function replicationCheckFlow(config: MonitorConfig): Flow {
	return () => {
		const primary = config.haproxy.primary;
		if (!primary) return close('No HAProxy primary listener configured (--haproxy-primary): the check writes through it.');
		return confirm(`Replication check through ${primary.host}:${primary.port}?`, ['Writes a marker row into replicatest.words (created if absent) and times it on every member.'], () =>
			run(replicationCheckOperation({observe: config, primary})),
		);
	};
}

/** `w` starts a write probe that runs until `w` is pressed again, reporting every few seconds. */
export function writeProbeFlow(config: MonitorConfig): Flow {
	let stop: AbortController | undefined;
	return () => {
		if (stop) {
			stop.abort();
			stop = undefined;
			return close('write probe stopping: its result goes to the operations pane');
		}
		const options = probeOptions(config);
		if (!options) return close('No HAProxy primary listener configured (--haproxy-primary): the probe writes through it.');
		const own = new AbortController();
		stop = own;
		return run(probeOperation(options, own.signal, () => (stop = stop === own ? undefined : stop)));
	};
}

function probeOperation(options: WriteProbeOptions, stopSignal: AbortSignal, onEnd: () => void): Operation {
	const title = `write probe through ${options.primary.host}:${options.primary.port}`;
	return {
		title,
		target: `${options.primary.host}:${options.primary.port}`,
		isMutating: true,
		isExclusive: false,
		async *run(signal) {
			refuseWhenReadOnly(Boolean(options.isReadOnly), title);
			const probe = startWriteProbe(options);
			const either = AbortSignal.any([signal, stopSignal]);
			try {
				while (!either.aborted) {
					await sleep(5000, either);
					const {acknowledged, failed, longestOutageMs} = probe.stats;
					yield step(`${acknowledged} acknowledged, ${failed} failed, longest outage ${formatDuration(longestOutageMs)}`, 'info');
				}
				const result = await probe.finish();
				yield done(result.missing === 0, `${result.acknowledged} acknowledged, ${result.missing} missing, longest outage ${formatDuration(result.longestOutageMs)}`);
			} finally {
				onEnd();
			}
		},
	};
}
