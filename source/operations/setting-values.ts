/**
 * PostgreSQL's own rules for reading a setting's value (guc.c: parse_bool, parse_int, parse_real,
 * convert_to_base_unit), so a value is judged here exactly as a member would judge it after a reload.
 */

/** Unit names are case-sensitive in PostgreSQL: "mb" is refused, "MB" accepted. */
const MEMORY_UNITS: ReadonlyArray<readonly [string, number]> = [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['kB', 1024], ['B', 1]];
const TIME_UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000], ['ms', 1], ['us', 0.001]];

/** A setting's base unit as an amount: "8kB" is 8192 bytes of memory, "s" 1000 ms of time. */
export type SettingUnit = {readonly kind: 'memory' | 'time'; readonly size: number; readonly text: string};

export function settingUnit(unit: string | null): SettingUnit | undefined {
	const match = /^(\d*)\s*([A-Za-z]+)$/.exec(unit ?? '');
	if (!match) return undefined;
	const count = Number(match[1] || 1);
	const memory = MEMORY_UNITS.find(([name]) => name === match[2]);
	if (memory) return {kind: 'memory', size: count * memory[1], text: unit!};
	const time = TIME_UNITS.find(([name]) => name === match[2]);
	return time ? {kind: 'time', size: count * time[1], text: unit!} : undefined;
}

function unitTable(kind: SettingUnit['kind']): ReadonlyArray<readonly [string, number]> {
	return kind === 'memory' ? MEMORY_UNITS : TIME_UNITS;
}

/** true/false, yes/no and any prefix of them; on/off (at least "of"); 1/0. Case-insensitive. */
export function parseBool(raw: string): boolean | undefined {
	const value = raw.toLowerCase();
	if (value === '') return undefined;
	if ('true'.startsWith(value) || 'yes'.startsWith(value) || value === 'on' || value === '1') return true;
	if ('false'.startsWith(value) || 'no'.startsWith(value) || (value.length >= 2 && 'off'.startsWith(value)) || value === '0') return false;
	return undefined;
}

/** C's rint(): halves go to the even neighbour. */
function rint(value: number): number {
	const rounded = Math.round(value);
	return Math.abs(value % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** strtol(…, 0) first, as parse_int does (hex and octal integers); a "." or exponent means a fraction: strtod. */
function leadingNumber(text: string, isInteger: boolean): {readonly value: number; readonly rest: string} | undefined {
	if (isInteger) {
		const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)/.exec(text);
		if (hex) return {value: (hex[1] === '-' ? -1 : 1) * parseInt(hex[2]!, 16), rest: text.slice(hex[0].length)};
		const octal = /^([+-]?)0([0-7]+)/.exec(text);
		const afterOctal = octal ? text.slice(octal[0].length) : '';
		if (octal && !/^[.eE]/.test(afterOctal)) return {value: (octal[1] === '-' ? -1 : 1) * parseInt(octal[2]!, 8), rest: afterOctal};
	}
	const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
	return decimal ? {value: Number(decimal[0]), rest: text.slice(decimal[0].length)} : undefined;
}

export type Quantity = {readonly value: number; readonly hasUnit: boolean} | {readonly error: string};

/**
 * A number with an optional unit, converted to the setting's base unit (and rounded for an integer setting):
 * "64MB" for work_mem (unit kB) is 65536. `{raw}` in an error stands for the value as typed.
 */
export function parseQuantity(raw: string, unit: SettingUnit | undefined, isInteger: boolean): Quantity {
	const number = leadingNumber(raw, isInteger);
	const kind = isInteger ? 'an integer' : 'a number';
	if (!number || !Number.isFinite(number.value)) {
		return {error: unit ? `takes ${kind}, in units of ${unit.text} or with a unit (${unitNames(unit)}), not "{raw}".` : `takes ${kind}, not "{raw}".`};
	}
	const unitText = number.rest.trim();
	let value = number.value;
	if (unitText !== '') {
		if (!unit) return {error: `takes a plain number without a unit: "{raw}" has "${unitText}".`};
		const factor = unitTable(unit.kind).find(([name]) => name === unitText)?.[1];
		if (factor === undefined) return {error: `takes ${unit.kind} units ${unitNames(unit)} (case matters), not "${unitText}".`};
		value = (value * factor) / unit.size;
	}
	if (isInteger) value = rint(value);
	if (isInteger && Math.abs(value) > 2_147_483_647) return {error: `must fit in a 32-bit integer: "{raw}" does not.`};
	return {value, hasUnit: unitText !== ''};
}

function unitNames(unit: SettingUnit): string {
	return unitTable(unit.kind).map(([name]) => name).join(', ');
}

/** An amount in base units, said in the largest unit that holds it exactly: 16 × 8kB is "128kB". */
export function formatAmount(value: number, unitText: string | null): string {
	const unit = settingUnit(unitText);
	if (!unit || !Number.isFinite(value) || value <= 0) return String(value);
	const total = value * unit.size;
	for (const [name, size] of unitTable(unit.kind)) {
		const count = total / size;
		if (count >= 1 && Math.abs(count - Math.round(count)) < 1e-9) return `${Math.round(count)}${name}`;
	}
	return `${value}×${unit.text}`;
}
