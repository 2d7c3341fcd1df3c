/** The results as one table (terminal and docs/benchmark.md) and as JSON, every sample included. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {FrameCost} from './frame-cost.js';
import type {LeakCheck} from './leak-check.js';
import type {ChangeRun} from './phase-change.js';
import type {FleetRun} from './phase-fleet.js';
import type {IdleRun} from './phase-idle.js';
import type {ScaleRun} from './phase-scale.js';
import type {SoakRun} from './phase-soak.js';
import type {StartupRun} from './phase-startup.js';
import type {LeaderChangeSample} from './phase-switchover.js';
import {fleetRows, fleetSection, writeFleetSection} from './report-fleet.js';
import {rows, type Row} from './report-rows.js';

export type Results = {
	readonly startedAt: string;
	readonly finishedAt?: string;
	readonly environment: Record<string, unknown>;
	readonly options: Record<string, unknown>;
	memberKey?: ChangeRun;
	leaderKey?: ChangeRun;
	idle?: IdleRun;
	startup?: StartupRun;
	frames?: {readonly lab: readonly FrameCost[]; readonly large: readonly FrameCost[]};
	scale?: Omit<ScaleRun, 'views'>;
	soak?: SoakRun;
	leak?: LeakCheck;
	leaderChanges?: readonly LeaderChangeSample[];
	fleet?: FleetRun;
	notes: string[];
};

export function markdownTable(results: Results): string {
	const header: Row = ['Figure', 'patroni-tui', 'patronictl', 'Target', ''];
	const lines = [header, ['---', '---', '---', '---', '---'] as unknown as Row, ...rows(results)].map(row => `| ${row.join(' | ')} |`);
	return lines.join('\n');
}

export function plainTable(results: Results): string {
	const all: Row[] = [['Figure', 'patroni-tui', 'patronictl', 'Target', ''], ...rows(results), ...fleetRows(results.fleet)];
	const widths = [0, 1, 2, 3, 4].map(column => Math.max(...all.map(row => [...row[column]!].length)));
	return all.map(row => row.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join('  ').trimEnd()).join('\n');
}

export function environment(): Record<string, unknown> {
	return {
		node: process.version,
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		loadAverageAtStart: os.loadavg().map(value => Number(value.toFixed(2))),
		nodeEnv: process.env['NODE_ENV'],
	};
}

/**
 * The line after which docs/benchmark.md is written by hand (what changed, how to read a figure): a run rewrites
 * what is above it and keeps what is below, so the reasoning behind the figures survives the next run.
 */
export const HAND_WRITTEN_MARKER = '<!-- Written by hand from here on: npm run bench keeps it. -->';

/** The generated Markdown, followed by the hand-written part of the file it replaces (from the marker on), if any. */
export function keepHandWritten(generated: string, previous: string | undefined): string {
	if (previous === undefined) return generated;
	const at = previous.indexOf(HAND_WRITTEN_MARKER);
	return at < 0 ? generated : `${generated}\n${previous.slice(at)}`;
}

/** A partial run with the fleet phase: its section of `docsFile` only, the rest as the last full run wrote it. */
export function writeFleetOnly(results: Results, docsFile: string): string | undefined {
	if (!results.fleet) return undefined;
	writeFleetSection(docsFile, fleetSection(results.fleet, results), HAND_WRITTEN_MARKER);
	return docsFile;
}

/** The JSON always; the Markdown for the README only when `docsFile` is given (a full run). */
export function write(results: Results, directory: string, docsFile: string | undefined): {json: string; markdown?: string} {
	fs.mkdirSync(directory, {recursive: true});
	const stamp = results.startedAt.replace(/[:.]/g, '-');
	const json = path.join(directory, `bench-${stamp}.json`);
	fs.writeFileSync(json, JSON.stringify(results, null, 2) + '\n');
	const env = results.environment;
	const markdown = [
		'# Benchmark',
		'',
		'`npm run bench` (scripts/bench.sh) measures the monitor against its own lab (scope `bench`, ports +700) and',
		"puts each figure next to the same figure for Debian's `patronictl` in the same run. Latest run:",
		'',
		`${results.startedAt} → ${results.finishedAt ?? '?'} · Node ${String(env['node'])} · ${String(env['cpus'])} CPUs (${String(env['cpuModel'])}) · ` +
			`load average ${JSON.stringify(env['loadAverageAtStart'])} at start, ${JSON.stringify(env['loadAverageAtEnd'])} at the end`,
		'',
		markdownTable(results),
		'',
		...(results.notes.length > 0 ? ['Notes:', '', ...results.notes.map(note => `- ${note}`), ''] : []),
		'How each figure is taken: see the comments at the top of each file in `scripts/bench/`. Every sample is in the',
		'JSON file the run writes to `bench-results/`.',
		'',
		...(results.fleet ? [fleetSection(results.fleet, results), ''] : []),
	].join('\n');
	if (!docsFile) return {json};
	fs.mkdirSync(path.dirname(docsFile), {recursive: true});
	const previous = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : undefined;
	fs.writeFileSync(docsFile, keepHandWritten(markdown, previous));
	return {json, markdown: docsFile};
}
