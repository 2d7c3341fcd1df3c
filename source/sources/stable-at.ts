import {isDeepStrictEqual} from 'node:util';

type Stamped = {readonly at: number};

/**
 * Keeps an entry's `at` (and the entry itself) when nothing else in it changed, so `at` means "in this state
 * since" and an unchanged poll stays deep-equal to the last one: pollSource then yields only on real change.
 */
export function keepAt<T extends Stamped>(previous: T | undefined, next: T): T {
	if (previous === undefined) return next;
	const {at: _previousAt, ...before} = previous;
	const {at: _nextAt, ...after} = next;
	return isDeepStrictEqual(before, after) ? previous : next;
}
