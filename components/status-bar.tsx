/** The bottom line: a message when there is one, then the key hints from the keymap (so they cannot drift). */
import {Fragment} from 'react';
import {activeKeymap} from '../source/keymap.js';
import {oneLine} from '../source/model/format.js';
import {hintKeys} from './key-labels.js';
import {Line, Span} from './line.js';

export type StatusBarProps = {
	readonly isReadOnly: boolean;
	readonly message?: string | undefined;
};

export function StatusBar({isReadOnly, message}: StatusBarProps) {
	const hints = activeKeymap(isReadOnly).filter(binding => binding.isHinted);
	return (
		<Line>
			{message ? <Span tone="info" isBold>{`${oneLine(message)}  │ `}</Span> : null}
			{isReadOnly ? <Span tone="warn">{'read-only  '}</Span> : null}
			{hints.map((binding, index) => (
				<Fragment key={binding.command}>
					{index > 0 ? '  ' : ''}
					<Span isBold>{hintKeys(binding)}</Span>
					<Span tone="muted">{` ${binding.label}`}</Span>
				</Fragment>
			))}
		</Line>
	);
}
