/**
 * Dialogs: what the status area asks while an action is being set up. The key handling is a pure reducer on
 * the dialog's own fields; what an answer leads to (another dialog, an operation, a refusal) is the flow's
 * `onAnswer`, called by the app on submit. While a dialog is open the global keys are off.
 */
import type {Operation} from './operations/operation.js';

export type ChoiceOption = {
	readonly value: string;
	readonly label: string;
	/** Shown beside the label: why an option is disabled, the current value, a unit. */
	readonly detail?: string;
	readonly isEnabled: boolean;
};

/** What an answer leads to. */
export type DialogStep =
	| {readonly kind: 'dialog'; readonly dialog: Dialog}
	| {readonly kind: 'run'; readonly operation: Operation}
	| {readonly kind: 'close'; readonly message?: string};

type DialogBase = {
	readonly title: string;
	/** Context lines above the question: the target, a diff, the reasons a member is not eligible. */
	readonly lines: readonly string[];
	/** A refusal or hint from the last submit, shown until the next key. */
	readonly error?: string;
	/** Called on submit with the answer and the dialog as it was then (a typed dialog's option, say). */
	readonly onAnswer: (answer: string, submitted: Dialog) => DialogStep | Promise<DialogStep>;
};

/** A key that answers a confirmation yes (in some way): `y`, or `o` for "yes, without the write probe". */
export type ConfirmAnswer = {readonly key: string; readonly answer: string; readonly label: string};

/** A yes/no switch a typed confirmation carries (the write probe beside it), flipped with Tab. */
export type DialogOption = {readonly isOn: boolean; readonly on: string; readonly off: string};

export type Dialog =
	/** Defaults to No: only one of `answers`' keys (y) confirms; Enter, n and Esc cancel. */
	| (DialogBase & {readonly kind: 'confirm'; readonly answers: readonly ConfirmAnswer[]})
	/** Destructive: the target's name must be typed out. */
	| (DialogBase & {readonly kind: 'typed'; readonly expected: string; readonly text: string; readonly option?: DialogOption})
	| (DialogBase & {readonly kind: 'choose'; readonly options: readonly ChoiceOption[]; readonly index: number; readonly query: string; readonly isSearchable: boolean})
	| (DialogBase & {readonly kind: 'input'; readonly prompt: string; readonly text: string});

export type DialogKey = {readonly name: string; readonly input: string};

export type DialogOutcome =
	| {readonly kind: 'update'; readonly dialog: Dialog}
	| {readonly kind: 'submit'; readonly answer: string; readonly dialog: Dialog}
	| {readonly kind: 'cancel'; readonly message?: string}
	| {readonly kind: 'none'};

/** Typed text: one character, or several at once when pasted (or sent by tmux send-keys); never a control key. */
const isPrintable = (key: DialogKey) => key.input.length > 0 && key.name === key.input && !/[\u0000-\u001f\u007f]/.test(key.input);

function edit(text: string, key: DialogKey): string | undefined {
	if (key.name === 'backspace' || key.name === 'delete') return text.slice(0, -1);
	if (isPrintable(key)) return text + key.input;
	return undefined;
}

/** The options a searchable list shows for its query (name contains every word of the query). */
export function visibleOptions(dialog: Extract<Dialog, {kind: 'choose'}>): readonly ChoiceOption[] {
	const words = dialog.query.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return dialog.options;
	const query = words.join(' ');
	// The exact name first, then names that start with the query, then the rest that contain every word.
	const rank = (label: string) => (label === query ? 0 : label.startsWith(query) ? 1 : 2);
	return dialog.options
		.filter(option => words.every(word => option.label.toLowerCase().includes(word)))
		.map((option, index) => ({option, index, rank: rank(option.label.toLowerCase())}))
		.sort((a, b) => a.rank - b.rank || a.index - b.index)
		.map(entry => entry.option);
}

/** The plain yes of a confirmation. */
export const YES: readonly ConfirmAnswer[] = [{key: 'y', answer: 'yes', label: 'yes'}];

/** "[y/N]", "[y/o/N]": the keys that confirm, then the default, No, in capitals as patronictl writes it. */
export function confirmPrompt(answers: readonly ConfirmAnswer[]): string {
	return `[${[...answers.map(answer => answer.key), 'N'].join('/')}]`;
}

/** Pure: a key and the dialog it meets give what happens next. */
export function dialogReducer(dialog: Dialog, key: DialogKey): DialogOutcome {
	if (key.name === 'escape') return {kind: 'cancel'};
	const cleared = dialog.error === undefined ? dialog : {...dialog, error: undefined};
	switch (dialog.kind) {
		case 'confirm': {
			// No is the default: a tired Enter (or one meant for the list before) must never act.
			if (key.name === 'return') return {kind: 'cancel', message: 'cancelled: nothing was sent (Enter is No here; y confirms)'};
			const answer = dialog.answers.find(candidate => candidate.key === key.input.toLowerCase());
			if (answer && key.input.length === 1) return {kind: 'submit', answer: answer.answer, dialog};
			if (key.input.toLowerCase() === 'n') return {kind: 'cancel'};
			return {kind: 'none'};
		}
		case 'typed':
		case 'input': {
			if (key.name === 'return') {
				if (dialog.kind === 'typed' && dialog.text.trim() !== dialog.expected) {
					return {kind: 'update', dialog: {...dialog, error: `Type ${dialog.expected} exactly to confirm, or Esc to cancel.`}};
				}
				return {kind: 'submit', answer: dialog.text, dialog};
			}
			if (dialog.kind === 'typed' && dialog.option && key.name === 'tab') {
				return {kind: 'update', dialog: {...cleared, option: {...dialog.option, isOn: !dialog.option.isOn}} as Dialog};
			}
			const text = edit(dialog.text, key);
			return text === undefined ? {kind: 'none'} : {kind: 'update', dialog: {...cleared, text} as Dialog};
		}
		case 'choose': {
			const options = visibleOptions(dialog);
			const move = (delta: number) => Math.max(0, Math.min(options.length - 1, dialog.index + delta));
			if (key.name === 'up' || (!dialog.isSearchable && key.input === 'k')) return {kind: 'update', dialog: {...dialog, index: move(-1)}};
			if (key.name === 'down' || (!dialog.isSearchable && key.input === 'j')) return {kind: 'update', dialog: {...dialog, index: move(1)}};
			if (key.name === 'return') {
				const option = options[dialog.index];
				if (!option) return {kind: 'none'};
				if (!option.isEnabled) return {kind: 'update', dialog: {...dialog, error: `${option.label} cannot be chosen: ${option.detail ?? 'not available'}`}};
				return {kind: 'submit', answer: option.value, dialog};
			}
			if (!dialog.isSearchable) return {kind: 'none'};
			const query = edit(dialog.query, key);
			return query === undefined ? {kind: 'none'} : {kind: 'update', dialog: {...dialog, error: undefined, query, index: 0}};
		}
	}
}
