/**
 * The suite's findings, gathered across its test files (node --test runs each in a process of its own) in one
 * JSON file, and written out at the end as docs/reliability.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type FaultRow = {
	/** Orders the table the way the issue lists the faults. */
	readonly order: number;
	readonly fault: string;
	/** ms from the fault to the first frame that shows it; undefined when not applicable. */
	readonly detectedMs?: number;
	/** ms from the repair (or the fault's end) to the first frame that shows the cluster well again. */
	readonly recoveredMs?: number;
	/** The longest time without a new frame while the fault was on (ms). */
	readonly longestGapMs?: number;
	readonly lostWrites?: string;
	readonly outcome: 'pass' | 'FAIL';
	readonly notes?: string;
};

/** Read here rather than from fault-lab.ts, which imports the product: the report must load on its own. */
const IS_TLS_RUN = process.env['PATRONI_TUI_FAULTS_TLS'] === '1';

/** The TLS run keeps a table and a report of its own, so one run never overwrites or mixes into the other's. */
export const RESULTS_FILE = path.join(os.tmpdir(), IS_TLS_RUN ? 'patroni-tui-test-faults-tls-results.json' : 'patroni-tui-test-faults-results.json');
/** docs/reliability.md: the plain run's report, with the foreign and hand-written parts below it. */
export const REPORT_FILE = path.resolve('docs/reliability.md');
/** Where this run's fault report goes: the TLS run writes docs/reliability-tls.md, the plain run docs/reliability.md. */
export const FAULT_REPORT_FILE = IS_TLS_RUN ? path.resolve('docs/reliability-tls.md') : REPORT_FILE;
export const REPRODUCE = IS_TLS_RUN ? 'npm run build && PATRONI_TUI_FAULTS_TLS=1 npm run test:faults' : 'npm run build && npm run test:faults';

type Results = {readonly startedAt: number; readonly rows: readonly FaultRow[]};

export function readResults(): Results {
	return fs.existsSync(RESULTS_FILE) ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Results) : {startedAt: Date.now(), rows: []};
}

/** The first file starts a fresh table; a file run alone adds to (or starts) whatever table is there. */
export function startResults(): void {
	fs.writeFileSync(RESULTS_FILE, JSON.stringify({startedAt: Date.now(), rows: []}));
}

/** Adds or replaces (by fault name) one row; each file records as it goes, so a crash loses only its own rows. */
export function recordRow(row: FaultRow): void {
	const results = readResults();
	const rows = results.rows.filter(existing => existing.fault !== row.fault);
	fs.writeFileSync(RESULTS_FILE, JSON.stringify({...results, rows: [...rows, row]}, null, 2));
	console.log(`[faults] ${row.fault}: ${JSON.stringify(row)}`);
}

export type RowFacts = {-readonly [Key in keyof FaultRow]?: FaultRow[Key]};

/**
 * Runs one scenario and records its row whatever happens: measurements it made before failing are kept, and
 * the failure's first line goes into the notes.
 */
export async function measured(order: number, fault: string, body: (row: RowFacts) => Promise<void>): Promise<void> {
	const row: RowFacts = {};
	try {
		await body(row);
		recordRow({...row, order, fault, outcome: 'pass'});
	} catch (error) {
		const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
		recordRow({...row, order, fault, outcome: 'FAIL', notes: [row.notes, why].filter(Boolean).join('; ')});
		throw error;
	}
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

export function renderTable(rows: readonly FaultRow[]): string {
	const sorted = [...rows].sort((a, b) => a.order - b.order || a.fault.localeCompare(b.fault));
	const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
	return [
		'| fault | detected after | recovered after | longest frame gap | lost writes | outcome | notes |',
		'|---|---:|---:|---:|---:|---|---|',
		...sorted.map(row =>
			`| ${cell(row.fault)} | ${seconds(row.detectedMs)} | ${seconds(row.recoveredMs)} | ${seconds(row.longestGapMs)} | ${row.lostWrites ?? '–'} | ${row.outcome} | ${cell(row.notes ?? '')} |`,
		),
	].join('\n');
}

/** docs/reliability.md from this line on is other suites' (test/foreign/ writes there): the fault report keeps it. */
export const KEPT_BELOW = '<!-- Below: written by test/foreign/99-report.test.ts; the fault suite keeps it when it rewrites the part above. -->';

/**
 * From this line on docs/reliability.md is written by hand (the safety rows, each naming the test that showed it):
 * the foreign report keeps it below its own section, as the fault report keeps both.
 */
export const HAND_WRITTEN = '<!-- Below: written by hand from the tests each row names; both reports keep it. -->';

/** What the report file holds from `marker` on ('' without it), to be written back after a report's own part. */
export function tailFrom(marker: string): string {
	const existing = fs.existsSync(REPORT_FILE) ? fs.readFileSync(REPORT_FILE, 'utf8') : '';
	const at = existing.indexOf(marker);
	return at < 0 ? '' : existing.slice(at);
}

/** What the report file holds from KEPT_BELOW on, to be written back after the fault suite's part (the TLS report has none). */
export function keptTail(): string {
	if (IS_TLS_RUN) return '';
	const tail = tailFrom(KEPT_BELOW);
	return tail === '' ? '' : `\n${tail}`;
}

/** The paragraph's first sentence names the labs the run used; the plain run's words are as they were. */
const LABS_SENTENCE = IS_TLS_RUN
	? [
			'The monitor runs headless (the real App, runner and flows rendered by ink-testing-library) against a TLS lab of',
			'its own (`lab up --tls`: etcd on https with client certificates and its root user, REST on https, PostgreSQL',
			'hostssl only, HAProxy checking over https; scope `faultstls`, ports +1000; synchronous-mode lab `faultsynctls`,',
			'ports +1100), attached with `--lab` alone, while faults are injected from outside; the witnesses (etcdctl, REST,',
			'psql, the write witness) use the lab\'s CA, client certificate and etcd root user. Every frame is captured with',
			'its time (polled every 10 ms). "Detected after" runs from the fault to',
		]
	: [
			'The monitor runs headless (the real App, runner and flows rendered by ink-testing-library) against a lab of its',
			'own (scope `faults`, ports +800; synchronous-mode lab `faultsync`, ports +900) while faults are injected from',
			'outside. Every frame is captured with its time (polled every 10 ms). "Detected after" runs from the fault to',
		];

export function renderReport(rows: readonly FaultRow[], facts: {readonly runtime: string; readonly soakMinutes: number}): string {
	return [
		IS_TLS_RUN ? '# Reliability on a TLS lab: the fault and bad-input suite' : '# Reliability: the fault and bad-input suite',
		'',
		...LABS_SENTENCE,
		'the first frame that shows it; "recovered after" from the repair to the first frame showing the cluster well',
		'again (healthy, every source fresh, every member unmarked); the frame gap is the longest time without a new',
		'frame while the fault was on (the header ages tick every second, so anything near 1 s is a steady screen).',
		'For the operations started with the keys (switchover, rolling restart, failover) "detected" is the new leader',
		'on screen and "recovered" the healthy screen, both from the confirming key; for bad input, "detected" is the',
		'time from the key (or the command) to the message. Lost writes are acknowledged INSERTs through HAProxy (every',
		'20 ms, by the test, beside the product\'s own probe) missing afterwards. Every scenario also checks that no',
		'unhandled rejection happened; each file ends with a clean stop (nothing left open) and a scan of every frame,',
		IS_TLS_RUN
			? 'event log, `--json` output and lab command output for the labs\' passwords, etcd\'s root password and the TLS private keys.'
			: 'event log, `--json` output and lab command output for the labs\' passwords.',
		'',
		'Reproduce (Docker engine and Debian\'s patroni, postgresql, etcd, haproxy installed; see README):',
		'',
		'```sh',
		REPRODUCE,
		`FAULTS_SOAK_MINUTES=30 ${IS_TLS_RUN ? 'PATRONI_TUI_FAULTS_TLS=1 ' : ''}npm run test:faults   # the 30-minute soak (default ${facts.soakMinutes} min)`,
		'```',
		'',
		renderTable(rows),
		'',
		`Generated ${new Date().toISOString()} by test/faults/99-report.test.tsx; the suite took ${facts.runtime}.`,
		'',
	].join('\n');
}
