/**
 * Colour by state, in one place. Chalk does not look at NO_COLOR, so we do: with it set every tone is
 * colourless, and the text itself (✗, ≠, ↻, words) must still say what the colour said.
 */
import type {AlertSeverity, ClusterState} from '../source/model/snapshot-types.js';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'muted' | 'focus';

const COLORS: Readonly<Record<Tone, string | undefined>> = {
	good: 'green',
	warn: 'yellow',
	bad: 'red',
	info: 'cyan',
	// Muted text is dimmed rather than coloured, which survives NO_COLOR.
	muted: undefined,
	focus: 'cyan',
};

export function toneColor(tone: Tone | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
	if (tone === undefined || isNoColor(env)) return undefined;
	return COLORS[tone];
}

/** https://no-color.org: present and not empty. */
export function isNoColor(env: NodeJS.ProcessEnv = process.env): boolean {
	return Boolean(env['NO_COLOR']);
}

export function severityTone(severity: AlertSeverity | undefined): Tone | undefined {
	if (severity === 'critical') return 'bad';
	if (severity === 'warning') return 'warn';
	if (severity === 'info') return 'info';
	return undefined;
}

export function clusterStateTone(state: ClusterState): Tone {
	if (state === 'healthy') return 'good';
	if (state === 'no leader') return 'bad';
	if (state === 'unknown') return 'muted';
	return 'warn';
}

/** Severity first, so the line that gets cut is the least important one. */
export const SEVERITY_ORDER: Readonly<Record<AlertSeverity, number>> = {critical: 0, warning: 1, info: 2};
