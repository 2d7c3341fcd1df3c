/**
 * A flow answered by keys without React: each key goes through the dialog reducer and a submit through the
 * dialog's onAnswer, as components/app.tsx does. What an answer would start is captured, never run.
 */
import {dialogReducer, type Dialog, type DialogKey, type DialogStep} from '../../source/dialog.js';
import type {Operation} from '../../source/operations/operation.js';

export type Driven = {
	/** The operations the keys would have started (captured: nothing runs). */
	readonly started: Operation[];
	/** The dialog left open after the last key, if any. */
	readonly dialog: Dialog | undefined;
	/** What the status line would say: a close's message, or the cancel's. */
	readonly message: string | undefined;
};

const NAMED: Readonly<Record<string, DialogKey>> = {
	enter: {name: 'return', input: '\r'},
	esc: {name: 'escape', input: ''},
	up: {name: 'up', input: ''},
	down: {name: 'down', input: ''},
	tab: {name: 'tab', input: '\t'},
	backspace: {name: 'backspace', input: ''},
};

/** 'enter', 'esc', 'up', 'down', 'tab', 'backspace', or text typed as it is (a name, a value; `y`). */
function keysOf(key: string): DialogKey[] {
	return NAMED[key] ? [NAMED[key]] : [...key].map(char => ({name: char, input: char}));
}

export async function drive(first: DialogStep | Promise<DialogStep>, keys: readonly string[]): Promise<Driven> {
	const started: Operation[] = [];
	let message: string | undefined;
	let dialog: Dialog | undefined;
	const follow = async (next: DialogStep | Promise<DialogStep>) => {
		const step = await next;
		if (step.kind === 'dialog') dialog = step.dialog;
		else {
			dialog = undefined;
			if (step.kind === 'close') message = step.message;
			else started.push(step.operation);
		}
	};
	await follow(first);
	for (const key of keys.flatMap(keysOf)) {
		// A key with no dialog open goes to the global keymap, not to any operation: nothing a flow could start.
		if (!dialog) break;
		const outcome = dialogReducer(dialog, key);
		if (outcome.kind === 'update') dialog = outcome.dialog;
		else if (outcome.kind === 'cancel') {
			dialog = undefined;
			message = outcome.message ?? 'cancelled: nothing was sent';
		} else if (outcome.kind === 'submit') await follow(dialog.onAnswer(outcome.answer, outcome.dialog));
	}
	return {started, dialog, message};
}
