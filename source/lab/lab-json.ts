/**
 * The lab's own JSON files (lab.json, secrets.json), read and checked field by field. A broken one is one sentence
 * naming the file and what is wrong, and never shows what is in it: secrets.json holds the passwords.
 */
import fs from 'node:fs';
import {ConfigError} from '../config-error.js';

type FieldType = 'text' | 'boolean' | 'integer';

/** T's fields that every file has, and those (added later) that a file made before them lacks. */
type RequiredKeys<T> = {[K in keyof T]-?: object extends Pick<T, K> ? never : K}[keyof T] & string;
type OptionalKeys<T> = Exclude<keyof T & string, RequiredKeys<T>>;

const EXPECTED: Record<FieldType, string> = {text: 'a non-empty string', boolean: 'true or false', integer: 'a whole number'};

function kind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
	if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
	return typeof value === 'boolean' ? 'true or false' : typeof value;
}

function fits(value: unknown, type: FieldType): boolean {
	if (type === 'text') return typeof value === 'string' && value !== '';
	if (type === 'boolean') return typeof value === 'boolean';
	return Number.isSafeInteger(value);
}

/**
 * `file`'s object with every field of `shape` of its type, and each field of `optional` that is there of its type
 * (a field added later, absent from a lab made before it); a problem (unreadable, not JSON, a field) refused.
 */
export function readLabJson<T>(
	file: string,
	shape: Readonly<Record<RequiredKeys<T>, FieldType>>,
	how: string,
	optional?: Readonly<Partial<Record<OptionalKeys<T>, FieldType>>>,
): T {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	const broken = (what: string) => new ConfigError(`${file} ${what}; ${how}`);
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		// JSON.parse's message quotes the text around the fault: for secrets.json, a password.
		throw broken('is not valid JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw broken(`holds ${kind(parsed)}, not an object`);
	const record = parsed as Record<string, unknown>;
	for (const [field, type] of Object.entries(shape) as Array<[string, FieldType]>) {
		if (!(field in record)) throw broken(`has no "${field}"`);
		if (!fits(record[field], type)) throw broken(`has "${field}" as ${kind(record[field])}, expected ${EXPECTED[type]}`);
	}
	for (const [field, type] of Object.entries(optional ?? {}) as Array<[string, FieldType]>) {
		if (field in record && !fits(record[field], type)) throw broken(`has "${field}" as ${kind(record[field])}, expected ${EXPECTED[type]}`);
	}
	return parsed as T;
}
