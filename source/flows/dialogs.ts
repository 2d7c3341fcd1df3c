/** Small constructors for the dialog steps flows are made of. */
import {YES, type ChoiceOption, type ConfirmAnswer, type Dialog, type DialogStep} from '../dialog.js';
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

/** A confirmation that names its target in the title: "Switchover node2 → node1?". Only `y` confirms ([y/N]). */
export function confirm(title: string, lines: readonly string[], then: () => DialogStep | Promise<DialogStep>): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'confirm', title, lines, answers: YES, onAnswer: () => then()}};
}

/** How a confirmation names the write probe that would run beside the operation. */
export const probeLine = (target: string) => `Also runs the write probe on ${target} (a write every 50 ms).`;

/**
 * For the operations a write probe runs beside: `y` with the probe, `o` without it, anything else No ([y/o/N]).
 * `then` is told whether the probe should run.
 */
export function confirmWithProbe(title: string, lines: readonly string[], probeTarget: string | undefined, then: (withProbe: boolean) => DialogStep | Promise<DialogStep>): DialogStep {
	// No probe to offer (a standby cluster takes no writes): the plain [y/N].
	if (probeTarget === undefined) return confirm(title, lines, () => then(false));
	const answers: readonly ConfirmAnswer[] = [
		{key: 'y', answer: 'with-probe', label: 'yes, with the write probe'},
		{key: 'o', answer: 'without-probe', label: 'yes, without it'},
	];
	return {kind: 'dialog', dialog: {kind: 'confirm', title, lines: [...lines, probeLine(probeTarget)], answers, onAnswer: answer => then(answer === 'with-probe')}};
}

/** For destructive actions: the target's name typed out. */
export function typed(title: string, lines: readonly string[], expected: string, then: (typedName: string) => DialogStep | Promise<DialogStep>): DialogStep {
	return {kind: 'dialog', dialog: {kind: 'typed', title, lines, expected, text: '', onAnswer: then}};
}

/** A typed confirmation beside which the write probe runs unless Tab turns it off. */
export function typedWithProbe(title: string, lines: readonly string[], expected: string, probeTarget: string | undefined, then: (typedName: string, withProbe: boolean) => DialogStep | Promise<DialogStep>): DialogStep {
	if (probeTarget === undefined) return typed(title, lines, expected, name => then(name, false));
	const option = {isOn: true, on: `${probeLine(probeTarget)} Tab: without it.`, off: `Without the write probe on ${probeTarget}. Tab: with it.`};
	return {
		kind: 'dialog',
		dialog: {kind: 'typed', title, lines, expected, text: '', option, onAnswer: (name, submitted) => then(name, submitted.kind !== 'typed' || submitted.option?.isOn !== false)},
	};
}

/** What an input's answer may say instead of a step: the value is wrong, and why; the dialog stays for a correction. */
export type Invalid = {readonly kind: 'invalid'; readonly reason: string};
export const invalid = (reason: string): Invalid => ({kind: 'invalid', reason});

/** A typed value; an answer found `invalid` keeps the dialog open with the value and the reason, to be corrected. */
export function input(title: string, lines: readonly string[], prompt: string, onAnswer: (answer: string) => DialogStep | Invalid | Promise<DialogStep | Invalid>, initial = ''): DialogStep {
	const dialog: Dialog = {
		kind: 'input',
		title,
		lines,
		prompt,
		text: initial,
		async onAnswer(answer) {
			const next = await onAnswer(answer);
			return next.kind === 'invalid' ? {kind: 'dialog', dialog: {...dialog, text: answer, error: `${next.reason} Correct it, or Esc to cancel.`}} : next;
		},
	};
	return {kind: 'dialog', dialog};
}

/** A list's answer is one of its values; anything else (impossible from the keyboard) closes quietly. */
export function optionsOf(values: ReadonlyArray<readonly [value: string, label: string, detail?: string]>): ChoiceOption[] {
	return values.map(([value, label, detail]) => ({value, label, detail, isEnabled: true}));
}
