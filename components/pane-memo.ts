/**
 * A pane that React skips while its props are the same as last frame. The monitor's snapshot keeps the identity
 * of whatever did not change (source/model/reuse.ts), so on the once-a-second tick only panes whose data moved
 * are drawn again. A source's health changes every tick (its age), but a pane shows it only as a notice when the
 * source fails or as "waiting" before its first answer: it counts as changed only when that text would.
 */
import {memo, type FunctionComponent} from 'react';
import type {SourceHealth} from '../source/model/snapshot-types.js';
import {emptyText, sourceNotice} from './source-health.js';

type PaneProps = {readonly health?: SourceHealth | undefined};

export function paneMemo<P extends object>(pane: FunctionComponent<P>) {
	return memo(pane, samePaneProps);
}

function samePaneProps(previous: Readonly<PaneProps & Record<string, unknown>>, next: Readonly<PaneProps & Record<string, unknown>>): boolean {
	const keys = Object.keys(next);
	if (keys.length !== Object.keys(previous).length) return false;
	return keys.every(key => (key === 'health' ? sameShownHealth(previous.health, next.health) : Object.is(previous[key], next[key])));
}

function sameShownHealth(previous: SourceHealth | undefined, next: SourceHealth | undefined): boolean {
	if (previous === next) return true;
	if (previous === undefined || next === undefined) return false;
	return sourceNotice(previous)?.text === sourceNotice(next)?.text && emptyText(previous, '').text === emptyText(next, '').text;
}
