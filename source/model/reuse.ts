/**
 * `next`, with every part that equals the same part of `previous` replaced by that part of `previous` itself.
 * The monitor rebuilds its snapshot from scratch on every refresh; passed through here, what did not change keeps
 * its identity, so a pane whose data is the same object as last frame is skipped by React (see
 * components/pane-memo.ts) instead of drawn again once a second. Plain data only (what buildSnapshot makes).
 */
export function reuseUnchanged<T>(previous: T, next: T): T {
	if (Object.is(previous, next) || !isContainer(previous) || !isContainer(next)) return next;
	if (Array.isArray(previous) !== Array.isArray(next)) return next;
	if (Array.isArray(next)) {
		const before = previous as unknown[];
		let isSame = before.length === next.length;
		const merged = next.map((item: unknown, index) => {
			const kept = reuseUnchanged(before[index], item);
			if (kept !== before[index]) isSame = false;
			return kept;
		});
		return (isSame ? previous : merged) as T;
	}
	const before = previous as Record<string, unknown>;
	const after = next as Record<string, unknown>;
	const keys = Object.keys(after);
	let isSame = keys.length === Object.keys(before).length;
	const merged: Record<string, unknown> = {};
	for (const key of keys) {
		const kept = reuseUnchanged(before[key], after[key]);
		if (kept !== before[key] || !Object.hasOwn(before, key)) isSame = false;
		merged[key] = kept;
	}
	return (isSame ? previous : merged) as T;
}

function isContainer(value: unknown): value is object {
	return typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);
}
