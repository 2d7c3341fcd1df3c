/** One line naming the panes that got no frame, with their keys, and a ✗ where their data is failing. */
import {Fragment} from 'react';
import {paneOf, type PaneName} from '../source/panes.js';
import {Line, Span} from './line.js';

export type PaneTabsProps = {
	readonly panes: readonly PaneName[];
	readonly failingPanes: readonly PaneName[];
};

export function PaneTabs({panes, failingPanes}: PaneTabsProps) {
	return (
		<Line>
			<Span tone="muted">{'also: '}</Span>
			{panes.map((pane, index) => (
				<Fragment key={pane}>
					{index > 0 ? <Span tone="muted">{' · '}</Span> : null}
					<Span isBold>{paneOf(pane).key}</Span>
					{` ${paneOf(pane).title}`}
					{failingPanes.includes(pane) ? <Span tone="bad">{' ✗'}</Span> : null}
				</Fragment>
			))}
		</Line>
	);
}
