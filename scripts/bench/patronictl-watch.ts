/**
 * Debian's `patronictl list -W` (or `-w SECONDS`) as a user would leave it running, its output lines stamped as
 * they arrive. Python buffers a pipe by the block, so PYTHONUNBUFFERED gives each table when it is printed, as a
 * terminal would.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {PATRONICTL_CONFIG, stopChild, timestampLines} from './bench-lab.js';

export type MemberLine = {readonly at: number; readonly name: string; readonly role: string; readonly state: string};

export type PatronictlWatch = {
	readonly rows: MemberLine[];
	/** The first member row printed after `since` that satisfies `holds`. */
	next(holds: (row: MemberLine) => boolean, since: number, timeoutMs?: number): Promise<MemberLine>;
	readonly child: ChildProcess;
	stop(): Promise<void>;
};

/** `| node1  | 127.0.0.1:16133 | Leader  | running |  1 |           |` */
function parseRow(line: string, at: number): MemberLine | undefined {
	const cells = line.split('|').map(cell => cell.trim());
	if (cells.length < 6 || cells[1] === 'Member' || !cells[1]) return undefined;
	return {at, name: cells[1], role: cells[3] ?? '', state: cells[4] ?? ''};
}

export function watchPatronictl(options: {scope?: string; watchSeconds?: number; config?: string} = {}): PatronictlWatch {
	const watch = options.watchSeconds === undefined ? ['-W'] : ['-w', String(options.watchSeconds)];
	const args = ['-c', options.config ?? PATRONICTL_CONFIG, 'list', ...(options.scope ? [options.scope] : []), ...watch];
	const child = spawn('patronictl', args, {env: {...process.env, PYTHONUNBUFFERED: '1'}, stdio: ['ignore', 'pipe', 'ignore']});
	const rows: MemberLine[] = [];
	const waiters = new Set<() => void>();
	timestampLines(child, (line, at) => {
		const row = parseRow(line, at);
		if (!row) return;
		rows.push(row);
		for (const waiter of waiters) waiter();
	});
	return {
		rows,
		child,
		next(holds, since, timeoutMs = 30_000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = rows.find(row => row.at >= since && holds(row));
					if (!found) return;
					waiters.delete(check);
					clearTimeout(timer);
					resolve(found);
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error('patronictl never printed it'));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		stop: () => stopChild(child),
	};
}
