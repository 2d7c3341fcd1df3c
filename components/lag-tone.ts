/**
 * How lag is coloured, in the Members table and the Lag pane alike. It follows the thresholds the alerts use
 * (`--lag-bytes`, `--lag-seconds`, source/model/alerts.ts), so a yellow figure and a lag alert mean the same.
 */
import type {Thresholds} from '../source/model/alerts.js';
import type {Tone} from './palette.js';

/**
 * Far past the alert threshold a replica is rebuilding or lost, not just behind: red. With the default 1 MiB
 * threshold this is 64 MiB, where the fixed colours used to turn red.
 */
const BAD_TIMES_THRESHOLD = 64;

/** Yellow past either threshold, as the alert is raised; red past 64 times the byte threshold; else no colour. */
export function lagTone(bytes: number | undefined, seconds: number | undefined, thresholds: Thresholds): Tone | undefined {
	if (bytes !== undefined && bytes > thresholds.lagBytes * BAD_TIMES_THRESHOLD) return 'bad';
	if (bytes !== undefined && bytes > thresholds.lagBytes) return 'warn';
	if (seconds !== undefined && seconds > thresholds.lagSeconds) return 'warn';
	return undefined;
}
