/** The scope's keys as an indented tree (`members/` over its members), and a key's value as readable lines. */
import type {DcsKey} from '../source/model/views.js';

export type TreeRow = {readonly text: string; readonly depth: number; readonly keyIndex?: number};

/** Keys sorted by path, as the index the selection counts in. */
export function sortedKeys(keys: readonly DcsKey[]): DcsKey[] {
	return [...keys].sort((a, b) => a.key.localeCompare(b.key));
}

/** One row per key, with a row for each directory the first time it appears. */
export function treeRows(sorted: readonly DcsKey[]): TreeRow[] {
	const rows: TreeRow[] = [];
	let openDirs: string[] = [];
	sorted.forEach((key, keyIndex) => {
		const parts = key.key.split('/').filter(Boolean);
		const dirs = parts.slice(0, -1);
		let common = 0;
		while (common < dirs.length && common < openDirs.length && dirs[common] === openDirs[common]) common++;
		for (let depth = common; depth < dirs.length; depth++) rows.push({text: `${dirs[depth]}/`, depth});
		openDirs = dirs;
		rows.push({text: parts.at(-1) ?? key.key, depth: dirs.length, keyIndex});
	});
	return rows;
}

/** Pretty JSON when the value is JSON, else the raw string, split into lines. */
export function valueLines(key: DcsKey): string[] {
	const text = key.parsed !== undefined && typeof key.parsed === 'object' && key.parsed !== null
		? JSON.stringify(key.parsed, null, 2)
		: key.value;
	// A tab would be drawn at a width Ink does not count: a plain space. Any other control character (a \r, an
	// ESC) is shown escaped where the line is drawn (components/visible-node.ts).
	return text.split('\n').map(line => line.replace(/\t/g, ' '));
}
