import {withPostgres} from '../clients/postgres.js';
import {leaderOf, memberPostgres, readCluster} from './cluster-access.js';
import type {OperationContext} from './context.js';
import {formatAmount, parseBool, parseQuantity, settingUnit} from './setting-values.js';

/** One row of pg_settings, as PostgreSQL returns it (snake_case kept: the fixture is recorded straight from it). */
export type PgSetting = {
	readonly name: string;
	/** The running value, in the setting's base unit (`unit`): shared_buffers "4096" with unit "8kB". */
	readonly setting: string;
	readonly unit: string | null;
	readonly vartype: 'bool' | 'enum' | 'integer' | 'real' | 'string';
	readonly min_val: string | null;
	readonly max_val: string | null;
	readonly enumvals: readonly string[] | null;
	/** "postmaster" needs a restart; "internal" can't be set at all. */
	readonly context: string;
	readonly short_desc: string;
	readonly pending_restart: boolean;
};

export type ParameterCheck =
	| {
			readonly isValid: true;
			readonly name: string;
			/** What goes into the DCS config: a number when typed without a unit, else the text as typed. */
			readonly value: string | number;
			/** The value as pg_settings would show it (base unit, "on"/"off", enum in lower case), to compare. */
			readonly setting: string | number;
	  }
	| {readonly isValid: false; readonly reason: string};

/** The settings as the leader runs them, read from the leader itself: HAProxy could route us anywhere mid-failover. */
export async function readPgSettings(context: OperationContext, signal?: AbortSignal): Promise<PgSetting[]> {
	const leader = leaderOf(await readCluster(context, signal));
	if (!leader) throw new Error('The cluster has no leader right now: pg_settings is read from the leader only.');
	return withPostgres(memberPostgres(context, leader), async client => {
		const result = await client.query<PgSetting>(
			'select name, setting, unit, vartype, min_val, max_val, enumvals, context, short_desc, pending_restart from pg_settings order by name',
		);
		return result.rows;
	}, {}, signal);
}

/** GUC names are case-insensitive in PostgreSQL. */
export function findSetting(settings: readonly PgSetting[], name: string): PgSetting | undefined {
	const wanted = name.trim().toLowerCase();
	return settings.find(setting => setting.name.toLowerCase() === wanted);
}

const refuse = (reason: string): ParameterCheck => ({isValid: false, reason});
const refuseRange = (setting: PgSetting, raw: string): ParameterCheck =>
	refuse(`${setting.name} must be between ${formatAmount(Number(setting.min_val), setting.unit)} and ${formatAmount(Number(setting.max_val), setting.unit)}: "${raw}" is out of range.`);

/**
 * Checks a value the way PostgreSQL's GUC parser would (units, rounding, enum and boolean spellings), so a bad
 * value is refused here with a sentence instead of being written to the DCS and ignored by every member.
 */
export function validateParameter(setting: PgSetting | undefined, rawValue: string, name = setting?.name ?? ''): ParameterCheck {
	if (!setting) {
		const hint = name.includes('.') ? ' An extension\'s parameter appears in pg_settings only once the extension is loaded.' : '';
		return refuse(`"${name}" is not a PostgreSQL parameter this server knows.${hint}`);
	}
	if (setting.context === 'internal') return refuse(`${setting.name} is fixed when PostgreSQL is built or initialised; it cannot be set.`);
	const raw = rawValue.trim();
	if (raw === '' && setting.vartype !== 'string') return refuse(`${setting.name} needs a value.`);
	switch (setting.vartype) {
		case 'bool': {
			const value = parseBool(raw);
			if (value === undefined) return refuse(`${setting.name} is a boolean: use on or off (true/false, yes/no, 1/0 also work), not "${raw}".`);
			return {isValid: true, name: setting.name, value: value ? 'on' : 'off', setting: value ? 'on' : 'off'};
		}
		case 'enum': {
			const choice = enumChoice(setting, raw);
			if (choice === undefined) return refuse(`${setting.name} must be one of ${(setting.enumvals ?? []).join(', ')}; "${raw}" is not.`);
			return {isValid: true, name: setting.name, value: choice, setting: choice};
		}
		case 'integer':
		case 'real': {
			const parsed = parseQuantity(raw, settingUnit(setting.unit), setting.vartype === 'integer');
			if ('error' in parsed) return refuse(`${setting.name} ${parsed.error.replace('{raw}', raw)}`);
			if (parsed.value < Number(setting.min_val) || parsed.value > Number(setting.max_val)) return refuseRange(setting, raw);
			return {isValid: true, name: setting.name, value: parsed.hasUnit ? raw : parsed.value, setting: parsed.value};
		}
		default:
			return {isValid: true, name: setting.name, value: raw, setting: raw};
	}
}

/** Finds the parameter by name and validates the value for it. */
export function checkParameter(settings: readonly PgSetting[], name: string, rawValue: string): ParameterCheck {
	return validateParameter(findSetting(settings, name), rawValue, name.trim());
}

/** PostgreSQL also takes hidden spellings: on/off enums accept true/false/yes/no/1/0; wal_level keeps its old names. */
const BOOLEAN_ALIASES: Readonly<Record<string, string>> = {true: 'on', yes: 'on', '1': 'on', false: 'off', no: 'off', '0': 'off'};
const HIDDEN_ENUM_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {wal_level: {hot_standby: 'replica', archive: 'replica'}};

function enumChoice(setting: PgSetting, raw: string): string | undefined {
	const wanted = raw.toLowerCase();
	const values = setting.enumvals ?? [];
	const exact = values.find(value => value.toLowerCase() === wanted);
	if (exact) return exact;
	if (values.includes('on') && values.includes('off') && BOOLEAN_ALIASES[wanted]) return BOOLEAN_ALIASES[wanted];
	return HIDDEN_ENUM_VALUES[setting.name]?.[wanted];
}

/**
 * For the picker: every word of the query must appear in the name or the description ("max conn" finds
 * max_connections). An exact name comes first, then names that start with the query, then names that contain it.
 * Internal settings (block_size, ...) are left out: the picker offers only what can be set.
 */
export function searchSettings(settings: readonly PgSetting[], query: string): PgSetting[] {
	const needle = query.trim().toLowerCase();
	const words = needle.split(/[\s_]+/).filter(Boolean);
	const rank = (setting: PgSetting): number => {
		const name = setting.name.toLowerCase();
		if (name === needle) return 0;
		if (name.startsWith(needle)) return 1;
		if (name.includes(needle)) return 2;
		return words.every(word => name.includes(word)) ? 3 : 4;
	};
	return settings
		.filter(setting => setting.context !== 'internal')
		.filter(setting => words.every(word => setting.name.toLowerCase().includes(word) || setting.short_desc.toLowerCase().includes(word)))
		.map(setting => ({setting, rank: rank(setting)}))
		.sort((a, b) => a.rank - b.rank || a.setting.name.localeCompare(b.setting.name))
		.map(({setting}) => setting);
}
