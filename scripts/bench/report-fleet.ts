/**
 * The fleet phase's figures: rows of their own, and their own section of docs/benchmark.md ("The fleet at 100
 * clusters"), between two markers, so that a run of the fleet phase alone (--only fleet) can rewrite that
 * section and leave the figures of the last full run above it as they were.
 */
import fs from 'node:fs';
import type {FleetLoadStep, FleetRun} from './phase-fleet.js';
import type {Row} from './report-rows.js';
import {medianP95, ms, summarize} from './stats.js';

const verdict = (isMet: boolean) => (isMet ? 'met' : 'MISSED');
const percent = (value: number) => `${value.toFixed(2)} %`;

/** Requests per second of one kind (count-requests.js's names), watch streams aside: they are opened, not polled. */
function group(step: FleetLoadStep, prefix: string): number {
	return Object.entries(step.perSecond)
		.filter(([name]) => name.startsWith(prefix) && !name.includes('(stream)'))
		.reduce((sum, [, rate]) => sum + rate, 0);
}

const rate = (value: number) => value.toFixed(2);

/** Flat: nothing asked of REST or PostgreSQL at any size, and etcd not asked more at 100 clusters than at 1. */
export function isFlat(steps: readonly FleetLoadStep[]): boolean {
	const etcd = steps.map(step => group(step, 'etcd'));
	const first = etcd[0] ?? 0;
	return steps.every(step => group(step, 'rest') === 0 && group(step, 'sql') === 0) && etcd.every(value => value <= first + 0.05);
}

function latencies(run: FleetRun, isFiltered?: boolean) {
	const samples = run.changes.filter(sample => isFiltered === undefined || sample.isFiltered === isFiltered);
	return summarize(samples.map(sample => sample.shownAt - sample.writtenAt));
}

export function fleetRows(run: FleetRun | undefined): Row[] {
	if (!run) return [];
	const size = `${run.size.columns}x${run.size.rows}`;
	const shown = latencies(run);
	const last = run.steps.at(-1);
	const counts = run.steps.map(step => step.syntheticClusters).join(' → ');
	const lab = run.otherScopes.length > 0 ? ` (+${run.otherScopes.length} of the lab)` : '';
	const {patronictl} = run;
	const rows: Row[] = [
		[`8 fleet frame, ${run.frameCost.clusters} clusters, ${size}, median / p95 (${run.frameCost.total.count} frames)`, medianP95(run.frameCost.total), '', 'median ≤ 16 ms', verdict(run.frameCost.total.median <= 16)],
		[`8 keys → rows (fleetFromKeys, on every etcd event), ${run.rowsCost.keys} keys, median / p95`, medianP95(run.rowsCost), '', '', ''],
		[`8 leader key write in 1 of ${run.clusters} → that row on screen (tmux), median / p95 (n=${shown.count})`, medianP95(shown), '', 'p95 ≤ 50 ms', verdict(shown.p95 <= 50)],
		['8 the same: rows on the first screen / rows brought up by the filter, median / p95', `${medianP95(latencies(run, false))}; ${medianP95(latencies(run, true))}`, '', '', ''],
		...(last ? [[`8 idle CPU, ${last.syntheticClusters}${lab} clusters, ${Math.round(last.seconds)} s, ${size} (% of one core)`, percent(last.cpuPercent), '', '≤ 2 %', verdict(last.cpuPercent <= 2)] as Row] : []),
		[`8 CPU as synthetic clusters go ${counts} (% of one core); bytes written to the terminal per second`, run.steps.map(step => `${percent(step.cpuPercent)}; ${Math.round(step.terminalBytesPerSecond)} B/s`).join(' → '), '', '', ''],
		[
			`8 per second as clusters go ${counts}: etcd RPCs / REST / SQL`,
			run.steps.map(step => `${rate(group(step, 'etcd'))} / ${rate(group(step, 'rest'))} / ${rate(group(step, 'sql'))}`).join(' → '),
			'',
			'flat, REST and SQL 0',
			verdict(isFlat(run.steps)),
		],
		[
			`8 what each of those Range RPCs reads (the whole namespace, every 5 s) as clusters go ${counts}: keys, KB`,
			run.steps.map(step => `${step.namespace.keys}, ${(step.namespace.bytes / 1024).toFixed(0)} KB`).join(' → '),
			'',
			'',
			'',
		],
		...(last ? [[`8 RSS at ${last.syntheticClusters}${lab} clusters`, `${last.rssMb.toFixed(1)} MB`, '', '', ''] as Row] : []),
		[
			`8 \`patronictl list SCOPE\` for each of ${patronictl.scopes} scopes, one after another: total; per scope median / p95`,
			'',
			`${ms(patronictl.totalMs)}; ${medianP95(patronictl.perScope)}${patronictl.wrong > 0 ? `; ${patronictl.wrong} wrong or failed` : ''}`,
			'',
			'',
		],
		[`8 etcd requests for that round of lists (patronictl, through the counting relay)`, '', String(patronictl.etcdRequests), '', ''],
	];
	return rows;
}

export const FLEET_SECTION_START = '<!-- The fleet at 100 clusters: written by a run with the fleet phase (npm run bench, or --only fleet). -->';
export const FLEET_SECTION_END = '<!-- End of the fleet section. -->';

export function fleetSection(run: FleetRun, context: {readonly startedAt: string; readonly options: Record<string, unknown>}): string {
	const rows = fleetRows(run);
	const missed = rows.filter(row => row[4] === 'MISSED').map(row => `${row[0].replace(/^8 /, '')}: ${row[1]} against ${row[3]}`);
	const table = [['Figure', 'patroni-tui --all', 'patronictl', 'Target', ''] as const, ['---', '---', '---', '---', '---'] as const, ...rows].map(row => `| ${row.join(' | ')} |`);
	const only = typeof context.options['only'] === 'string' ? ` (--only ${context.options['only']})` : '';
	return [
		FLEET_SECTION_START,
		'## The fleet at 100 clusters',
		'',
		`Run of ${context.startedAt}${only}: ${run.clusters} synthetic clusters of 3 members written as Patroni 3.0.2 writes them, ` +
			`beside ${run.otherScopes.length === 0 ? 'nothing else' : run.otherScopes.map(scope => `\`${scope}\``).join(', ')}; ` +
			`\`patroni-tui --etcd <bench etcd> --all\` in tmux at ${run.size.columns}x${run.size.rows}. ` +
			`Load average ${JSON.stringify(run.loadAverage.atStart)} when the phase started, ${JSON.stringify(run.loadAverage.atEnd)} when it ended.`,
		'',
		...table,
		'',
		missed.length === 0 ? 'Every target of the fleet was met in this run.' : `Missed in this run: ${missed.join('; ')}.`,
		...(run.changes.length < 30 ? ['', `Only ${run.changes.length} leader changes (--changes): a quick run; the target's p95 is over 30 or more.`] : []),
		'',
		'How they are taken: scripts/bench/phase-fleet.ts (and fleet-clusters.ts, fleet-frame-cost.tsx, fleet-patronictl.ts).',
		FLEET_SECTION_END,
	].join('\n');
}

/** `document` with its fleet section replaced by `section`, or `section` put before `before` (else at the end). */
export function withFleetSection(document: string, section: string, before: string): string {
	const start = document.indexOf(FLEET_SECTION_START);
	const end = document.indexOf(FLEET_SECTION_END);
	if (start >= 0 && end > start) return document.slice(0, start) + section + document.slice(end + FLEET_SECTION_END.length);
	const at = document.indexOf(before);
	return at < 0 ? `${document}\n${section}\n` : `${document.slice(0, at)}${section}\n\n${document.slice(at)}`;
}

/** A run of the fleet phase without the others: only the fleet section of the docs is rewritten. */
export function writeFleetSection(docsFile: string, section: string, before: string): void {
	const previous = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : '';
	fs.writeFileSync(docsFile, withFleetSection(previous, section, before));
}
