/**
 * YAML read the way Patroni's PyYAML reads it (YAML 1.1, `safe_load`), and values written the way Python's str()
 * writes them. Patroni formats REST credentials with str.format and hands PostgreSQL's to psycopg as they are, so
 * `password: 1234` is the text "1234", `0123` is octal ("83"), `yes` is "True" and `1.0` is "1.0".
 */
import YAML, {type ScalarTag, type Tags} from 'yaml';

/** A YAML float, kept apart from an int because Python writes 1.0 as "1.0" where JavaScript writes "1". */
export class PyFloat {
	constructor(readonly value: number) {}

	toString(): string {
		return pythonFloat(this.value);
	}
}

// PyYAML's implicit resolvers (yaml/resolver.py), which differ from YAML 1.2's and from the yaml package's 1.1.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
	/^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function unsigned(text: string): {readonly sign: 1 | -1; readonly digits: string} {
	const value = text.replaceAll('_', '');
	return {sign: value.startsWith('-') ? -1 : 1, digits: /^[-+]/.test(value) ? value.slice(1) : value};
}

/** PyYAML's construct_yaml_int; an int past 2^53 stays exact as a bigint. */
function pyInt(text: string): number | bigint {
	const {sign, digits} = unsigned(text);
	let value: bigint;
	if (digits.startsWith('0b') || digits.startsWith('0x')) value = BigInt(digits);
	else if (digits.includes(':')) value = digits.split(':').reduce((sum, part) => sum * 60n + BigInt(part), 0n);
	else if (digits.length > 1 && digits.startsWith('0')) value = BigInt(`0o${digits.slice(1)}`);
	else value = BigInt(digits);
	value *= BigInt(sign);
	const isSafe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
	return isSafe ? Number(value) : value;
}

/** PyYAML's construct_yaml_float. */
function pyFloat(text: string): PyFloat {
	const {sign, digits} = unsigned(text.toLowerCase());
	if (digits === '.inf') return new PyFloat(sign * Number.POSITIVE_INFINITY);
	if (digits === '.nan') return new PyFloat(Number.NaN);
	if (digits.includes(':')) return new PyFloat(sign * digits.split(':').reduce((sum, part) => sum * 60 + Number(part), 0));
	return new PyFloat(sign * Number(digits));
}

const PYYAML_TAGS: ScalarTag[] = [
	{tag: 'tag:yaml.org,2002:bool', default: true, test: BOOL, resolve: text => /^(?:yes|true|on)$/i.test(text)},
	{
		tag: 'tag:yaml.org,2002:int',
		default: true,
		test: INT,
		resolve(text, onError) {
			try {
				return pyInt(text);
			} catch {
				onError(`${text} is not an int`);
				return text;
			}
		},
	},
	{tag: 'tag:yaml.org,2002:float', default: true, test: FLOAT, resolve: pyFloat},
];

// Timestamps go too: PyYAML makes dates of them, which no key the monitor reads holds; as text they are what was written.
const REPLACED = new Set(['bool', 'int', 'float', 'timestamp'].map(name => `tag:yaml.org,2002:${name}`));

function pyyamlTags(tags: Tags): Tags {
	return [...PYYAML_TAGS, ...tags.filter(tag => typeof tag === 'string' || !REPLACED.has(tag.tag))];
}

/** One YAML document as PyYAML's safe_load reads it: a repeated key keeps its last value, `<<` merges. */
export function parsePatroniYaml(text: string): unknown {
	return YAML.parse(text, {version: '1.1', customTags: pyyamlTags, uniqueKeys: false, merge: true, logLevel: 'error'});
}

/** Python's repr of a float: the shortest digits that read back, in exponent form below 1e-4 and from 1e16. */
export function pythonFloat(value: number): string {
	if (Number.isNaN(value)) return 'nan';
	if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
	const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
	const exponent = Number(exponentText);
	const sign = mantissa.startsWith('-') ? '-' : '';
	const digits = mantissa.replace('-', '').replace('.', '');
	if (exponent < -4 || exponent >= 16) {
		const fraction = digits.slice(1);
		return `${sign}${digits[0]}${fraction ? `.${fraction}` : ''}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}
	if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
	return `${sign}${digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')}.${digits.slice(exponent + 1) || '0'}`;
}

/** str(value) as Python writes a YAML scalar; undefined for a list or a mapping, which no credential can be. */
export function pythonStr(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
	if (value instanceof PyFloat) return value.toString();
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (value === null) return 'None';
	return undefined;
}

/** A value as a message shows it: text quoted, a scalar as written, a collection by its kind. */
export function shown(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (value === undefined || value === null) return 'nothing';
	if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
	if (typeof value === 'object' && !(value instanceof PyFloat)) return 'a mapping';
	return pythonStr(value) ?? String(value);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyFloat);
}
