import {isDeepStrictEqual} from 'node:util';
import {withPostgres} from '../clients/postgres.js';
import {sleep} from '../async.js';
import {accepted, leaderOf, memberApi, memberPostgres, readCluster, readDcsConfig} from './cluster-access.js';
import {seconds, type OperationContext} from './context.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';
import {checkParameter, findSetting, validateParameter, type PgSetting} from './pg-settings.js';
import {patroniRefusal, runningText, sameSetting, settingDiff} from './parameter-plan.js';

export type ParameterEditInput = {
	readonly name: string;
	readonly value: string;
	/** pg_settings from the leader (readPgSettings): the value is judged against these before anything is sent. */
	readonly settings: readonly PgSetting[];
};

export type ParameterEditPlan = {
	readonly name: string;
	/** The key as the DCS config spells it (GUC names are case-insensitive; a second spelling would be a second key). */
	readonly key: string;
	/** The value in the DCS config now; undefined when the config doesn't set it (PostgreSQL's default applies). */
	readonly before: unknown;
	readonly after: string | number;
	/** The leader's running value with its unit, from pg_settings. */
	readonly running: string;
	/** A postmaster-context parameter whose new value differs from what runs: applied only by a restart. */
	readonly needsRestart: boolean;
	readonly diffText: string;
	/** The GET /config this plan was made from: applying refuses when the DCS config has moved since. */
	readonly basedOn: Readonly<Record<string, unknown>>;
	/** What pg_settings will show once applied, to tell when a reload has taken effect. */
	readonly expected: string | number;
};

function parametersOf(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
	const postgresql = config['postgresql'] as {parameters?: Record<string, unknown>} | undefined;
	return postgresql?.parameters ?? {};
}

/** Validates against pg_settings and Patroni's own rules, then reads GET /config: nothing is sent. */
export async function planParameterEdit(context: OperationContext, input: ParameterEditInput, signal?: AbortSignal): Promise<ParameterEditPlan> {
	const check = checkParameter(input.settings, input.name, input.value);
	if (!check.isValid) throw new OperationRefused(check.reason);
	const setting = findSetting(input.settings, check.name)!;
	const patroni = patroniRefusal(setting, check.setting);
	if (patroni) throw new OperationRefused(patroni);
	const basedOn = await readDcsConfig(context, signal);
	const parameters = parametersOf(basedOn);
	const key = Object.keys(parameters).find(name => name.toLowerCase() === check.name) ?? check.name;
	const before = parameters[key];
	const previous = before === undefined ? undefined : validateParameter(setting, String(before));
	if (previous?.isValid && sameSetting(previous.setting, check.setting)) {
		throw new OperationRefused(`${check.name} is already ${String(before)} in the DCS configuration: nothing to change.`);
	}
	const running = validateParameter(setting, setting.setting);
	const needsRestart = setting.context === 'postmaster' && !(running.isValid && sameSetting(running.setting, check.setting));
	const plan = {name: check.name, key, before, after: check.value, expected: check.setting, needsRestart, basedOn};
	return {...plan, running: runningText(setting), diffText: settingDiff({...plan, setting})};
}

/** "postgresql.parameters.work_mem, ttl": where two configs differ, for the refusal. */
function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
	const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
	if (!isObject(a) || !isObject(b)) return isDeepStrictEqual(a, b) ? [] : [prefix || '(whole config)'];
	const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
	return keys.flatMap(key => changedPaths(a[key], b[key], prefix ? `${prefix}.${key}` : key));
}

/**
 * Sets one PostgreSQL parameter in the DCS config with PATCH /config. Validation happens before anything is
 * sent; a change someone else made since the plan is reported and kept, never overwritten. Afterwards it waits
 * until every member reports the restart it needs (or, for a reloadable parameter, until the leader runs it).
 */
export function parameterEditOperation(context: OperationContext, input: ParameterEditInput & {readonly plan?: ParameterEditPlan}): Operation {
	const title = `set ${input.name} = ${input.value}`;
	return mutation(context.isReadOnly, title, input.name, async function* (signal) {
		const plan = input.plan ?? (await planParameterEdit(context, input, signal));
		yield step(`planned ${plan.name}: ${plan.before === undefined ? 'not set' : String(plan.before)} → ${plan.after}${plan.needsRestart ? ' (needs a restart)' : ''}`, 'info');
		// Patroni's PATCH merges into whatever the DCS holds, so a concurrent edit would be silently combined:
		// compare with the config the plan (and the confirmation) was based on, just before sending.
		const current = await readDcsConfig(context, signal);
		if (!isDeepStrictEqual(current, plan.basedOn)) {
			const paths = changedPaths(plan.basedOn, current).join(', ');
			throw new OperationRefused(`The DCS configuration changed since this edit was planned (${paths}): nothing was sent and that change is kept. Plan the edit again.`);
		}
		const leader = leaderOf(await readCluster(context, signal));
		if (!leader) throw new OperationRefused('The cluster has no leader right now: the edit was not sent.');
		const answer = await memberApi(context, leader).patchConfig({postgresql: {parameters: {[plan.key]: plan.after}}}, signal);
		const patched = accepted(`PATCH /config on ${leader.name}`, answer).body as Record<string, unknown>;
		if (parametersOf(patched)[plan.key] === undefined) throw new Error(`PATCH /config answered without ${plan.key} in the configuration.`);
		const sentAt = Date.now();
		yield step(`PATCH /config via ${leader.name}: ${plan.key} = ${plan.after}`);
		if (plan.needsRestart) {
			const waiting = await waitForPendingRestart(context, signal);
			if (waiting.length > 0) return yield done(false, `${plan.key} is in the DCS config, but ${waiting.join(', ')} did not report a pending restart within 30 s.`);
			yield step(`every member reports a pending restart after ${seconds(Date.now() - sentAt)}`);
			return yield done(true, `${plan.key} = ${plan.after} is in the DCS config; it takes effect with a (rolling) restart.`);
		}
		if (findSetting(input.settings, plan.name)?.context === 'postmaster') return yield done(true, `${plan.key} = ${plan.after} is in the DCS config and matches what runs.`);
		const isApplied = await waitForLeaderValue(context, plan, signal);
		if (!isApplied) return yield done(false, `${plan.key} is in the DCS config, but the leader did not run ${plan.after} within 30 s.`);
		yield step(`the leader runs ${plan.key} = ${plan.after} after ${seconds(Date.now() - sentAt)} (reloaded)`);
		yield done(true, `${plan.key} = ${plan.after} applied without a restart.`);
	});
}

/** Members that are running but don't (yet) say pending_restart; empty once all do. Each Patroni notices on its next loop. */
async function waitForPendingRestart(context: OperationContext, signal: AbortSignal, timeoutMs = 30_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	let waiting: string[] = ['(no answer from GET /cluster)'];
	while (Date.now() < deadline && !signal.aborted) {
		const cluster = await readCluster(context, signal).catch(() => undefined);
		if (cluster) waiting = cluster.members.filter(member => member.state === 'running' && !member.pending_restart).map(member => member.name);
		if (waiting.length === 0) return [];
		await sleep(500, signal);
	}
	return waiting;
}

async function waitForLeaderValue(context: OperationContext, plan: ParameterEditPlan, signal: AbortSignal, timeoutMs = 30_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !signal.aborted) {
		try {
			const leader = leaderOf(await readCluster(context, signal));
			const row = leader && (await withPostgres(memberPostgres(context, leader), async client => (await client.query<{setting: string}>('select setting from pg_settings where name = $1', [plan.name])).rows[0], {}, signal));
			const running = row ? (typeof plan.expected === 'number' ? Number(row.setting) : row.setting) : undefined;
			if (running !== undefined && sameSetting(running, plan.expected)) return true;
		} catch {
			// A member between states: ask again.
		}
		await sleep(500, signal);
	}
	return false;
}
