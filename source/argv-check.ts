/**
 * What the command line asks for, checked before anything else runs: a flag not in the table or an argument no
 * command takes is refused (exit 2) with the nearest known spelling, so a mistyped --read-only is never ignored.
 */
import {nearest} from './nearest.js';

export type FlagTable = Readonly<Record<string, {readonly type: 'boolean' | 'string'; readonly shortFlag?: string}>>;

/** meow's spelling on the command line: readOnly is --read-only (yargs also takes --readOnly). */
export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

const NEGATIVE_NUMBER = /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;
const BUILT_IN = ['help', 'version'];

/** The first flag in `argv` that is not in `table`, as a sentence; undefined when every flag is known. */
export function unknownFlag(argv: readonly string[], table: FlagTable): string | undefined {
	const names = [...Object.keys(table).map(kebab), ...BUILT_IN];
	const known = new Set([...names, ...Object.keys(table)]);
	const booleans = new Set([...BUILT_IN, ...Object.entries(table).filter(([, flag]) => flag.type === 'boolean').flatMap(([name]) => [name, kebab(name)])]);
	const negatable = new Set(Object.entries(table).filter(([, flag]) => flag.type === 'boolean').map(([name]) => `no-${kebab(name)}`));
	const shorts = new Set(Object.values(table).flatMap(flag => (flag.shortFlag ? [flag.shortFlag] : [])));
	for (const token of argv) {
		if (token === '--') return undefined;
		if (!token.startsWith('-') || token === '-' || NEGATIVE_NUMBER.test(token)) continue;
		const [written = token, ...value] = token.split('=');
		if (written.startsWith('--')) {
			const name = written.slice(2);
			// yargs reads --read-only=yes as false: a boolean given a value is refused, never guessed.
			if (value.length > 0 && (booleans.has(name) || negatable.has(name))) return `${written} takes no value, got ${JSON.stringify(value.join('='))}`;
			if (known.has(name) || negatable.has(name)) continue;
			const guess = nearest(name.replace(/_/g, '-'), names);
			return `unknown flag ${written}${guess ? ` (did you mean --${guess}?)` : ' (see --help)'}`;
		}
		// One letter after one dash: -c FILE or -c=FILE. "-cfoo" would be read as -c -f -o.
		if (written.length === 2 && shorts.has(written.slice(1))) continue;
		const guess = written.length > 2 ? nearest(written.slice(1), names) : undefined;
		return `unknown flag ${written}${guess ? ` (did you mean --${guess}?)` : ' (see --help)'}`;
	}
	return undefined;
}

/** Commands and what each takes: the lab its action, nothing else any argument. */
export function commandRefusal(input: readonly string[], labActions: readonly string[]): string | undefined {
	const [command, action, ...rest] = input;
	if (command === undefined) return undefined;
	if (command === 'lab') {
		if (action === undefined) return `lab: say one of ${labActions.join(', ')}`;
		if (!labActions.includes(action)) {
			const guess = nearest(action, labActions);
			return `lab: unknown action "${action}" (${guess ? `did you mean ${guess}?` : `say one of ${labActions.join(', ')}`})`;
		}
		return rest.length > 0 ? `lab ${action} takes no arguments, got "${rest.join(' ')}"` : undefined;
	}
	if (command === 'demo') return action === undefined ? undefined : `demo takes no arguments, got "${[action, ...rest].join(' ')}"`;
	const guess = nearest(command, ['lab', 'demo']);
	return `unknown command "${command}" (${guess ? `did you mean ${guess}?` : 'see --help'})`;
}
