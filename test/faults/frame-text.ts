/** Reading the dashboard's plain text the way a person reads the screen: the header, a source badge, a member row. */
import stringWidth from 'string-width';

export function lines(frame: string): string[] {
	return frame.split('\n');
}

/** The header's second line: `etcd 0.3s  REST 0.6s  SQL ✗ 4s ...`. */
export function sourcesLine(frame: string): string {
	return lines(frame).find(line => /^(etcd|REST) /.test(line)) ?? '';
}

/** True when the header marks the source failing: `etcd ✗ 3.1s`. */
export function isSourceFailing(frame: string, label: 'etcd' | 'REST' | 'SQL' | 'HAProxy' | 'Docker'): boolean {
	return sourcesLine(frame).includes(`${label} ✗`);
}

/** The member's row in the Members table: `›  node1 127.0.0.1:16233 replica running ...` (without the frame). */
export function memberRow(frame: string, name: string): string | undefined {
	const pattern = new RegExp(`^[║│]([› ])(✗ |! |  )${name} `);
	return lines(frame).find(line => pattern.test(line));
}

/** A member drawn as failing or on its way: the ✗/! mark, or a container that is not running. */
export function isMemberMarked(frame: string, name: string): boolean {
	const row = memberRow(frame, name);
	if (row === undefined) return false;
	return /^[║│][› ][✗!]/.test(row) || /\b(exited|paused|dead|restarting)\b/.test(row);
}

export function leaderOnScreen(frame: string): string | undefined {
	return /│ leader (\S+) │/.exec(lines(frame)[0] ?? '')?.[1];
}

export function stateOnScreen(frame: string): string | undefined {
	return /│ ● ([a-z ]+?) │/.exec(lines(frame)[0] ?? '')?.[1];
}

/** The screen's whole verdict: healthy, every source fresh, and every member drawn without a mark. */
export function isHealthyFrame(frame: string, members: readonly string[]): boolean {
	return stateOnScreen(frame) === 'healthy' && !sourcesLine(frame).includes('✗') && members.every(name => memberRow(frame, name) !== undefined && !isMemberMarked(frame, name));
}

/** Whether every line is at most `columns` wide and the frame at most `rows - 1` tall (STYLE.md, point 8). */
export function fits(frame: string, columns: number, rows: number): {isFitting: boolean; width: number; height: number} {
	const all = lines(frame);
	const width = Math.max(0, ...all.map(line => stringWidth(line)));
	return {isFitting: width <= columns && all.length <= rows - 1, width, height: all.length};
}

/**
 * The frame as a person reads it: the frame itself, then each pane's text with its rows joined by one space, so a
 * sentence the pane wrapped ("… is not a" / "PostgreSQL parameter …") is matched whole.
 */
export function readable(frame: string): string {
	const rows = lines(frame).map(row => Array.from(row));
	const joined: string[] = [];
	rows.forEach((row, top) => {
		const text = row.join('');
		for (const match of text.matchAll(/[╭╔][─═] \d+ [^─═]+[─═]+[╮╗]/g)) {
			const left = Array.from(text.slice(0, match.index)).length;
			const right = left + Array.from(match[0]).length - 1;
			const inner: string[] = [];
			for (let index = top + 1; index < rows.length; index++) {
				const edge = rows[index]![left];
				if (edge === '╰' || edge === '╚' || edge === undefined) break;
				inner.push(rows[index]!.slice(left + 1, right).join(''));
			}
			joined.push(inner.join(' ').replace(/\s+/g, ' ').trim());
		}
	});
	return [frame, ...joined].join('\n');
}
