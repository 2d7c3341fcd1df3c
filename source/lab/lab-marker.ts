/**
 * Which state directories this program made. `lab up` writes a marker into a directory it creates (or finds
 * empty) before anything else, and `lab down` / `lab destroy` act only on a directory holding it: a mistyped
 * `--state-dir ~` is refused, naming what is there, instead of removed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {extraEntries} from './lab-clusters.js';
import {memberNames, type LabConfig} from './lab-config.js';
import {TLS_DIR_NAME} from './tls-certs.js';

export const MARKER_FILE = '.patroni-tui-lab';
const PROGRAM = 'patroni-tui';

/** What the marker says: which program, for which scope, and when (the id tells one lab from a later one there). */
export type LabMarker = {readonly program: typeof PROGRAM; readonly scope: string; readonly id: string; readonly createdAt: string};

export type StateDirFinding =
	| {readonly kind: 'missing'}
	| {readonly kind: 'empty'}
	| {readonly kind: 'ours'; readonly marker: LabMarker | undefined}
	| {readonly kind: 'foreign'; readonly entries: readonly string[]; readonly why: string};

/** A lab action refused before it touched anything: the CLI exits 2 with the message. */
export class LabRefusal extends Error {
	override name = 'LabRefusal';
}

function readJson(file: string): unknown {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
	} catch {
		return undefined;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMarker(dir: string): LabMarker | undefined {
	const marker = readJson(path.join(dir, MARKER_FILE));
	if (!isRecord(marker) || marker['program'] !== PROGRAM || typeof marker['scope'] !== 'string' || typeof marker['id'] !== 'string') return undefined;
	return marker as LabMarker;
}

/**
 * A lab made before the marker existed: it holds our lab.json and secrets.json, in our format (the fields `lab up`
 * writes, of their types). Nothing else writes that pair, so such a directory is taken as ours; `lab up` adds the
 * marker to it.
 */
function isLabBeforeMarker(dir: string): boolean {
	const settings = readJson(path.join(dir, 'lab.json'));
	const secrets = readJson(path.join(dir, 'secrets.json'));
	const texts = ['superuserPassword', 'replicationPassword', 'rewindPassword', 'restApiUsername', 'restApiPassword'];
	return (
		isRecord(settings) &&
		typeof settings['scope'] === 'string' &&
		typeof settings['dcs'] === 'string' &&
		typeof settings['portOffset'] === 'number' &&
		isRecord(secrets) &&
		texts.every(field => typeof secrets[field] === 'string')
	);
}

export function inspectStateDir(dir: string): StateDirFinding {
	let entries: string[];
	try {
		entries = fs.readdirSync(dir).sort();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'missing'};
		if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return {kind: 'foreign', entries: [], why: 'is a file, not a directory'};
		throw error;
	}
	if (entries.length === 0) return {kind: 'empty'};
	const marker = readMarker(dir);
	if (marker) return {kind: 'ours', marker};
	if (isLabBeforeMarker(dir)) return {kind: 'ours', marker: undefined};
	const why = entries.includes(MARKER_FILE) ? `a ${MARKER_FILE} that is not a patroni-tui lab marker` : 'no patroni-tui lab marker';
	return {kind: 'foreign', entries, why};
}

function describeEntries(dir: string, entries: readonly string[]): string {
	const names = entries.map(name => (fs.statSync(path.join(dir, name), {throwIfNoEntry: false})?.isDirectory() ? `${name}/` : name));
	const folders = names.filter(name => name.endsWith('/')).length;
	const files = names.length - folders;
	const counts = [files > 0 && `${files} ${files === 1 ? 'file' : 'files'}`, folders > 0 && `${folders} ${folders === 1 ? 'folder' : 'folders'}`];
	const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
	return `${counts.filter(Boolean).join(' and ')} (${shown})`;
}

/** "/x holds 1 file (notes.txt) and no patroni-tui lab marker: refusing to delete it" */
export function refusal(dir: string, finding: Extract<StateDirFinding, {kind: 'foreign'}>, refusing: string): LabRefusal {
	const what = finding.entries.length === 0 ? finding.why : `holds ${describeEntries(dir, finding.entries)} and ${finding.why}`;
	return new LabRefusal(`${dir} ${what}: refusing to ${refusing}. Give --state-dir a lab's own directory.`);
}

/**
 * For `lab up`, before it writes anything: a missing or empty directory becomes ours (marker written), ours stays
 * ours (a lab from before the marker gets one), anything else is refused.
 */
export function claimStateDir(config: LabConfig): LabMarker {
	const finding = inspectStateDir(config.stateDir);
	if (finding.kind === 'foreign') throw refusal(config.stateDir, finding, 'make a lab in it');
	if (finding.kind === 'ours' && finding.marker) return finding.marker;
	const marker: LabMarker = {program: PROGRAM, scope: config.scope, id: crypto.randomUUID(), createdAt: new Date().toISOString()};
	fs.mkdirSync(config.stateDir, {recursive: true, mode: 0o700});
	fs.writeFileSync(path.join(config.stateDir, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n', {mode: 0o600});
	return marker;
}

/** Every name `lab up` makes in the state directory: `lab destroy` removes these and nothing else. */
export function labEntries(config: LabConfig): string[] {
	const tls = config.tls ? [TLS_DIR_NAME] : [];
	return [MARKER_FILE, 'lab.json', 'secrets.json', 'patronictl.yaml', 'etcd', 'haproxy', ...memberNames(config), ...extraEntries(config), ...tls];
}
