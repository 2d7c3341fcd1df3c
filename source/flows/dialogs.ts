/** Small constructors for the dialog steps flows are made of. */
import type {ChoiceOption, Dialog, DialogStep} from '../dialog.js';
import type {Operation} from '../operations/operation.js';

type Answer = (answer: string) => DialogStep | Promise<DialogStep>;

export const close = (message?: string): DialogStep => ({kind: 'close', message});
export const run = (operation: Operation): DialogStep => ({kind: 'run', operation});

export function choose(title: string, lines: readonly string[], options: readonly ChoiceOption[], onAnswer: Answer, preferred?: string): DialogStep {
	const index = Math.max(0, options.findIndex(option => option.value === preferred && option.isEnabled));
	const firstEnabled = Math.max(0, options.findIndex(option => option.isEnabled));
	const dialog: Dialog = {kind: 'choose', title, lines, options, index: preferred ? index : firstEnabled, query: '', isSearchable: false, onAnswer};
	return {kind: 'dialog', dialog};
}

export function search(title: string, lines: readonly string[], options: readonly ChoiceOption[], onAnswer: Answer): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'choose', title, lines, options, index: 0, query: '', isSearchable: true, onAnswer}};
}

/** A confirmation that names its target in the title: "Switchover node2 → node1?". */
export function confirm(title: string, lines: readonly string[], then: () => DialogStep | Promise<DialogStep>): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'confirm', title, lines, onAnswer: () => then()}};
}

/** For destructive actions: the target's name typed out. */
export function typed(title: string, lines: readonly string[], expected: string, then: (typedName: string) => DialogStep | Promise<DialogStep>): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'typed', title, lines, expected, text: '', onAnswer: then}};
}

export function input(title: string, lines: readonly string[], prompt: string, onAnswer: Answer, initial = ''): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'input', title, lines, prompt, text: initial, onAnswer}};
}

/** A list's answer is one of its values; anything else (impossible from the keyboard) closes quietly. */
export function optionsOf(values: ReadonlyArray<readonly [value: string, label: string, detail?: string]>): ChoiceOption[] {
	return values.map(([value, label, detail]) => ({value, label, detail, isEnabled: true}));
}
