/** The known word a mistyped one most likely meant: for "did you mean …?" in the CLI's refusals. */

/** Edits from `a` to `b`: insert, delete, substitute, or swap two neighbours ("onyl" for "only" is one slip). */
export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			rows[i]![j] = best;
		}
	}
	return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `word`, when it is near enough to be a slip (one edit in three letters, at least one)
 * or the only one `word` begins; undefined when nothing is close, so no wild guess is offered.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
	const typed = word.toLowerCase();
	const prefixed = candidates.filter(candidate => typed.length >= 3 && candidate.startsWith(typed));
	if (prefixed.length === 1) return prefixed[0];
	let best: string | undefined;
	let bestDistance = Math.max(1, Math.floor(typed.length / 3)) + 1;
	for (const candidate of candidates) {
		const distance = editDistance(typed, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best;
}
