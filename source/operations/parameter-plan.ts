import type {PgSetting} from './pg-settings.js';
import {formatAmount} from './setting-values.js';

/** Parameters Patroni puts on PostgreSQL's command line itself: a value for them in the DCS config is ignored. */
const PATRONI_OWNED: ReadonlySet<string> = new Set(['listen_addresses', 'port', 'cluster_name', 'hot_standby', 'wal_log_hints', 'primary_conninfo', 'primary_slot_name']);

/**
 * Patroni (postgresql/config.py, CMDLINE_OPTIONS) drops a DCS value below these and keeps the old one without a
 * word, so a change that Patroni would swallow is refused here instead. Values are in pg_settings' base unit.
 */
const PATRONI_MINIMUMS: Readonly<Record<string, number>> = {
	max_connections: 25,
	max_wal_senders: 3,
	max_locks_per_transaction: 32,
	max_replication_slots: 4,
	max_worker_processes: 2,
	wal_keep_size: 16,
};

/** Why Patroni would not apply this value, or undefined when it would. */
export function patroniRefusal(setting: PgSetting, value: string | number): string | undefined {
	if (PATRONI_OWNED.has(setting.name)) return `Patroni sets ${setting.name} itself and ignores it in the DCS configuration.`;
	const minimum = PATRONI_MINIMUMS[setting.name];
	if (minimum !== undefined && typeof value === 'number' && value < minimum) {
		return `Patroni refuses ${setting.name} below ${minimum}${setting.unit ?? ''} and would silently keep the current value.`;
	}
	if (setting.name === 'wal_level' && value === 'minimal') return 'Patroni needs wal_level replica or logical for its replicas; minimal is refused.';
	return undefined;
}

/** Two values as pg_settings would show them: numbers compared as numbers, words without regard to case. */
export function sameSetting(a: string | number, b: string | number): boolean {
	if (typeof a === 'number' || typeof b === 'number') return Math.abs(Number(a) - Number(b)) < 1e-9;
	return a.toLowerCase() === b.toLowerCase();
}

export type DiffInput = {
	readonly key: string;
	readonly before: unknown;
	readonly after: string | number;
	readonly needsRestart: boolean;
	readonly setting: PgSetting;
};

/** What runs now, in words: shared_buffers "4096" (8kB) is "32MB". */
export function runningText(setting: PgSetting): string {
	return setting.unit && (setting.vartype === 'integer' || setting.vartype === 'real') ? formatAmount(Number(setting.setting), setting.unit) : setting.setting;
}

/** The change as it will land in the DCS config, diff-style, with what it means for the running cluster. */
export function settingDiff(input: DiffInput): string {
	const {key, before, after, setting} = input;
	const running = runningText(setting);
	const effect = input.needsRestart
		? `takes effect after a restart of every member (context ${setting.context})`
		: setting.context === 'postmaster'
			? 'matches what runs now: no restart needed'
			: `applied by a reload (context ${setting.context})`;
	return [
		'postgresql:',
		'  parameters:',
		...(before === undefined ? [] : [`-   ${key}: ${JSON.stringify(before)}`]),
		`+   ${key}: ${JSON.stringify(after)}`,
		`# running on the leader: ${running}${before === undefined ? ' (not set in the DCS config)' : ''}`,
		`# ${effect}`,
	].join('\n');
}
