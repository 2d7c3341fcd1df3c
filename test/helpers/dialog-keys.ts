/**
 * Answering the monitor's dialogs by keys, reading them off the screen as a person would: the dialog is the
 * double-lined box at the bottom, its options the rows that start with the cursor `›` or two spaces.
 */
import type {Pane} from './tmux-pane.js';

type Dialog = {readonly title: string; readonly lines: readonly string[]; readonly options: readonly {readonly label: string; readonly isSelected: boolean}[]};

/** The open dialog on the screen, or undefined. */
export function dialogOn(screen: string): Dialog | undefined {
	const rows = screen.split('\n');
	// A dialog's top edge is a bare double line; a focused pane's double edge carries its title (╔═ 1 Members ═…).
	const top = rows.findLastIndex(row => /^╔═+╗\s*$/.test(row));
	if (top < 0) return undefined;
	const bottom = rows.findIndex((row, index) => index > top && row.startsWith('╚'));
	const inner = rows.slice(top + 1, bottom < 0 ? undefined : bottom).map(row => row.replace(/^║/, '').replace(/\s*║$/, ''));
	const options = inner
		.filter(row => /^(›| ) \S/.test(row))
		.map(row => ({label: row.slice(2).split('  ')[0]!.trim(), isSelected: row.startsWith('›')}));
	return {title: inner[0] ?? '', lines: inner, options};
}

/** Waits for a dialog whose title contains `title`. */
export async function waitForDialog(pane: Pane, title: string, timeoutMs = 10_000): Promise<Dialog> {
	const screen = await pane.waitForScreen(`a dialog "${title}"`, text => dialogOn(text)?.title.includes(title) ?? false, timeoutMs);
	return dialogOn(screen)!;
}

/** In the open choice dialog titled `title`, moves the cursor to the option `label` (or the one label starts) and selects it. */
export async function choose(pane: Pane, title: string, label: string): Promise<void> {
	const dialog = await waitForDialog(pane, title);
	const exact = dialog.options.findIndex(option => option.label === label);
	const target = exact >= 0 ? exact : dialog.options.findIndex(option => option.label.startsWith(label));
	const current = dialog.options.findIndex(option => option.isSelected);
	if (target < 0) throw new Error(`"${title}" offers no "${label}": ${dialog.options.map(option => option.label).join(', ')}`);
	const step = target > current ? 'Down' : 'Up';
	for (let moved = 0; moved < Math.abs(target - current); moved++) await pane.keys(step);
	const chosen = dialog.options[target]!.label;
	await pane.waitForScreen(`"${chosen}" under the cursor`, text => dialogOn(text)?.options.find(option => option.isSelected)?.label === chosen, 5000);
	await pane.keys('Enter');
	// A disabled option keeps the dialog open with its reason: say so rather than time out on the next question.
	const after = dialogOn(await pane.screen());
	if (after?.title.includes(title) && after.lines.some(line => line.includes('cannot be chosen'))) throw new Error(`"${title}": ${after.lines.join(' / ')}`);
}

/** Whether the dialog is a confirmation: its prompt "Go ahead? [y/N]" (or [y/o/N]) is on screen. */
const isConfirmation = (dialog: Dialog) => dialog.lines.some(line => /\[y(\/\w)*\/N\]/.test(line));

/**
 * Confirms the confirmation titled `title` with `y` (Enter would be No). It waits for the [y/N] prompt, so the
 * list before it, whose title may contain the same words, is never answered by mistake. Where the write probe is
 * offered ([y/o/N]), `y` runs it beside the operation.
 */
export async function confirm(pane: Pane, title: string): Promise<void> {
	await pane.waitForScreen(`a confirmation "${title}" [y/N]`, text => {
		const dialog = dialogOn(text);
		return dialog !== undefined && dialog.title.includes(title) && isConfirmation(dialog);
	}, 10_000);
	await pane.keys('y');
}

/** Types `text` into the dialog titled `title` (an input or a typed confirmation) and submits it. */
export async function answer(pane: Pane, title: string, text: string): Promise<void> {
	await waitForDialog(pane, title);
	await pane.type(text);
	await pane.keys('Enter');
}

/**
 * `e`, then the parameter searched and chosen and its new value typed; the last question is answered by `choice`
 * (a reload parameter's confirmation, or a restart parameter's choice: 'apply only' or 'apply, then rolling restart',
 * then that choice's own confirmation with `y`).
 */
export async function editParameter(pane: Pane, name: string, value: string, choice?: string): Promise<void> {
	await pane.keys('e');
	// pg_settings is read from the leader before the dialog opens.
	await waitForDialog(pane, 'Edit a PostgreSQL parameter', 20_000);
	await pane.type(name);
	await choose(pane, 'Edit a PostgreSQL parameter', name);
	await answer(pane, `New value for ${name}`, value);
	if (choice === undefined) return confirm(pane, `Apply ${name} = ${value}?`);
	await choose(pane, `Apply ${name} = ${value}?`, choice);
	await confirm(pane, choice === 'apply only' ? `Apply ${name} = ${value} only?` : `Apply ${name} = ${value} with a rolling restart?`);
}

/** `R` with the leader going `how` ('leader in place' or 'leader by switchover'), confirmed. */
export async function rollingRestart(pane: Pane, how: string): Promise<void> {
	// The monitor polls REST every second: until it has seen the pending restarts, R says there are none.
	for (const deadline = Date.now() + 20_000; ; ) {
		await pane.keys('R');
		if (await waitForDialog(pane, 'Rolling restart of', 2000).then(() => true, () => false)) break;
		if (Date.now() > deadline) throw new Error('R did not offer a rolling restart within 20 s');
	}
	await choose(pane, 'Rolling restart of', how);
	// [y/o/N]: y runs the write probe beside it, as before.
	await confirm(pane, 'Rolling restart of');
}
