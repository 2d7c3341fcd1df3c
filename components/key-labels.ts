/** Key names as a person reads them, for the status bar hints and the help. */
import type {KeyBinding} from '../source/keymap.js';

const NAMED: Readonly<Record<string, string>> = {
	up: '↑',
	down: '↓',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	tab: 'Tab',
	'shift-tab': 'S-Tab',
	escape: 'Esc',
	return: 'Enter',
};

export function keyLabel(key: string): string {
	if (NAMED[key]) return NAMED[key];
	if (key.startsWith('ctrl-')) return `^${key.slice(5).toUpperCase()}`;
	return key;
}

/** A run of digit keys reads as a range (`1-7`); otherwise the first key stands for the binding. */
export function hintKeys(binding: KeyBinding): string {
	const range = digitRange(binding.keys);
	return range ?? keyLabel(binding.keys[0] ?? '');
}

/** Every key of a binding, for the help. */
export function allKeys(binding: KeyBinding): string {
	return digitRange(binding.keys) ?? binding.keys.map(keyLabel).join(' ');
}

function digitRange(keys: readonly string[]): string | undefined {
	if (keys.length < 3 || !keys.every(key => /^\d$/.test(key))) return undefined;
	return `${keys[0]}-${keys[keys.length - 1]}`;
}
