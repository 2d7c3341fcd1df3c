/**
 * Flag values checked before anything connects: numbers within what makes sense (a 1 ms poll, or one so long that
 * Node's timer wraps to 1 ms, is a hot loop), names of choices, endpoints. A bad one is a ConfigError naming the
 * flag and showing the value: exit 2, never a stack.
 */
import {kebab} from './argv-check.js';
import {ConfigError} from './config-error.js';
import {etcdFlag, haproxyStatsFlag, hostPortFlag, restFlag} from './endpoint-flags.js';
import {LOG_MAX_BYTES_MIN} from './event-log-file.js';

type NumberRule = {readonly expected: string; readonly min: number; readonly max: number; readonly isInteger?: boolean};

const SECONDS: NumberRule = {expected: 'seconds from 0.1 to 3600', min: 0.1, max: 3600};

export const NUMBER_RULES = {
	interval: SECONDS,
	calmInterval: SECONDS,
	timeout: {expected: 'seconds from 1 to 3600', min: 1, max: 3600},
	lagBytes: {expected: 'a whole number of bytes, 0 or more', min: 0, max: Number.MAX_SAFE_INTEGER, isInteger: true},
	lagSeconds: {expected: 'seconds, 0 or more', min: 0, max: Number.MAX_VALUE},
	// As logMaxBytes() in event-log-file.ts, which checks it again.
	logMaxBytes: {expected: `a whole number of bytes, at least ${LOG_MAX_BYTES_MIN}`, min: LOG_MAX_BYTES_MIN, max: Number.MAX_SAFE_INTEGER, isInteger: true},
	portOffset: {expected: 'a whole number from -10000 to 40000', min: -10_000, max: 40_000, isInteger: true},
} as const satisfies Record<string, NumberRule>;

export type NumberFlag = keyof typeof NUMBER_RULES;
export type NumberFlags = {readonly [name in NumberFlag]?: number};

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number as given to a flag: within its rule, or refused with the text as it was written. */
export function checkNumber(name: NumberFlag, value: number, written: string = String(value)): number {
	const rule: NumberRule = NUMBER_RULES[name];
	const isGood = Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.isInteger || Number.isInteger(value));
	if (!isGood) throw new ConfigError(`--${kebab(name)}: expected ${rule.expected}, got ${JSON.stringify(written)}`);
	return value;
}

/** A number flag's text (meow is given it as a string, so the message can show what was typed; "abc" is not NaN). */
export function numberFlag(name: NumberFlag, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	return checkNumber(name, DECIMAL.test(text.trim()) ? Number(text) : Number.NaN, text);
}

const CHOICES: Readonly<Record<string, readonly string[]>> = {etcdApi: ['etcd3', 'etcd2'], dcs: ['etcd3', 'etcd2']};

/**
 * Every flag's value: a string flag left empty ("--scope" with nothing after it), a choice, an endpoint, a number.
 * Returns the numbers read; the rest stay as given.
 */
export function checkFlagValues(flags: Readonly<Record<string, unknown>>): NumberFlags {
	for (const [name, value] of Object.entries(flags)) {
		if (value === '') throw new ConfigError(`--${kebab(name)}: expected a value, got nothing`);
		const choices = CHOICES[name];
		if (choices && typeof value === 'string' && !choices.includes(value)) {
			throw new ConfigError(`--${kebab(name)}: expected ${choices.join(' or ')}, got ${JSON.stringify(value)}`);
		}
	}
	const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
	etcdFlag(text('etcd'));
	restFlag(text('rest'));
	haproxyStatsFlag(text('haproxyStats'));
	hostPortFlag('haproxy-primary', text('haproxyPrimary'));
	return Object.fromEntries(
		(Object.keys(NUMBER_RULES) as NumberFlag[]).flatMap(name => {
			const value = numberFlag(name, text(name));
			return value === undefined ? [] : [[name, value]];
		}),
	) as NumberFlags;
}
