/** The most severe alerts, one a line; the last line owns up to how many did not fit. */
import {Box} from 'ink';
import {oneLine} from '../source/model/format.js';
import type {Alert} from '../source/model/snapshot-types.js';
import {Line} from './line.js';
import {SEVERITY_ORDER, severityTone} from './palette.js';

export type AlertsLinesProps = {readonly alerts: readonly Alert[]; readonly lines: number};

const MARKS = {critical: '✗', warning: '!', info: '·'} as const;

export function AlertsLines({alerts, lines}: AlertsLinesProps) {
	if (lines <= 0) return null;
	if (alerts.length === 0) return <Line tone="good">✓ no alerts</Line>;
	const sorted = [...alerts].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
	const shown = sorted.slice(0, lines);
	const hidden = sorted.length - shown.length;
	return (
		<Box flexDirection="column">
			{shown.map((alert, index) => (
				<Line key={alert.id} tone={severityTone(alert.severity)}>
					{/* The count goes first on the last line, so truncation cuts the message rather than the count. */}
					{index === shown.length - 1 && hidden > 0 ? `(+${hidden} more) ` : ''}
					{`${MARKS[alert.severity]} ${oneLine(alert.message)}`}
				</Line>
			))}
		</Box>
	);
}
