/** Every binding in the keymap, grouped; the same table drives the keys, so the help cannot lie. */
import {Box} from 'ink';
import {KEYMAP, type KeyBinding} from '../source/keymap.js';
import {innerSize} from '../source/layout.js';
import {fit} from '../source/model/format.js';
import {SOURCE_LABELS, SOURCE_NAMES, type SourceHealth, type SourceName} from '../source/model/snapshot-types.js';
import {PANES} from '../source/panes.js';
import {allKeys} from './key-labels.js';
import {Line} from './line.js';
import {PaneFrame} from './pane-frame.js';

export type HelpOverlayProps = {
	readonly isReadOnly: boolean;
	/** The sources as the snapshot has them: the ones that are off are listed with why. */
	readonly sources?: Readonly<Record<SourceName, SourceHealth>>;
	readonly width: number;
	readonly height: number;
};

type HelpLine = {readonly text: string; readonly isHeading?: boolean; readonly isOff?: boolean};

const GROUPS = ['General', 'Panes', 'Move', 'Actions'] as const;

export function helpGroup(binding: KeyBinding): (typeof GROUPS)[number] {
	if (binding.isMutating) return 'Actions';
	if (binding.command.startsWith('focus-')) return 'Panes';
	if (binding.command.startsWith('move-') || binding.command.startsWith('page-')) return 'Move';
	return 'General';
}

/** "Docker off: no engine socket at …": a source the config leaves out, and why (the header only says "off"). */
function offSourceLines(sources: Readonly<Record<SourceName, SourceHealth>> | undefined): HelpLine[] {
	const off = SOURCE_NAMES.map(name => sources?.[name]).filter((health): health is SourceHealth => health !== undefined && !health.isEnabled);
	if (off.length === 0) return [];
	const lines = off.map(health => ({text: `  ${SOURCE_LABELS[health.name]} off${health.offReason ? `: ${health.offReason}` : ''}`, isOff: true}));
	return [{text: 'Sources', isHeading: true}, ...lines];
}

/** How a confirmation is answered: No is the default, as in patronictl's [y/N]. */
const DIALOG_LINES: readonly HelpLine[] = [
	{text: 'Confirmations', isHeading: true},
	{text: '  y  yes; N, Enter or Esc: no, nothing is sent'},
	{text: '  o  yes, without the write probe (where offered)'},
	{text: '  the name typed out: leader, etcd, HAProxy'},
];

export function helpLines(isReadOnly: boolean, sources?: Readonly<Record<SourceName, SourceHealth>>): HelpLine[] {
	const keyWidth = Math.max(...KEYMAP.map(binding => allKeys(binding).length));
	const lines: HelpLine[] = [];
	for (const group of GROUPS) {
		const bindings = KEYMAP.filter(binding => helpGroup(binding) === group);
		if (bindings.length === 0) continue;
		lines.push({text: group, isHeading: true});
		for (const binding of bindings) {
			const isOff = isReadOnly && binding.isMutating;
			lines.push({text: `  ${fit(allKeys(binding), keyWidth)}  ${binding.label}${isOff ? ' (off: read-only)' : ''}`, isOff});
		}
		if (group === 'Panes') lines.push({text: `  in order: ${PANES.map(pane => pane.title).join(', ')}`});
	}
	return [...lines, ...(isReadOnly ? [] : DIALOG_LINES), ...offSourceLines(sources)];
}

export function HelpOverlay({isReadOnly, sources, width, height}: HelpOverlayProps) {
	const inner = innerSize(width, height);
	const lines = helpLines(isReadOnly, sources);
	// Spill into side-by-side columns rather than cut bindings off, while the columns stay readable.
	const wanted = Math.ceil(lines.length / Math.max(1, inner.height));
	const columnCount = Math.max(1, Math.min(wanted, Math.floor(inner.width / 24)));
	const perColumn = Math.ceil(lines.length / columnCount);
	const columns = Array.from({length: columnCount}, (_, index) => lines.slice(index * perColumn, (index + 1) * perColumn));
	return (
		<PaneFrame title="? Help" width={width} height={height} isFocused>
			<Box flexDirection="row" height={inner.height}>
				{columns.map((column, index) => (
					<Box key={index} flexDirection="column" width={Math.floor(inner.width / columnCount)} overflow="hidden">
						{column.slice(0, inner.height).map((line, lineIndex) => (
							<Line key={lineIndex} isBold={line.isHeading ?? false} tone={line.isOff ? 'muted' : line.isHeading ? 'info' : undefined}>
								{line.text}
							</Line>
						))}
					</Box>
				))}
			</Box>
		</PaneFrame>
	);
}
