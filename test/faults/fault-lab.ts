/**
 * The fault suite's own labs, apart from the demo lab and the lab tests: faults are injected here (containers
 * stopped, paused, killed), so no other suite may be looking at them. The second lab runs synchronous_mode.
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import type {MonitorConfig} from '../../source/config.js';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';
import {restCluster, restGet} from '../helpers/rest-witness.js';
import {labTlsFiles as labTlsFilesIn, trustLab, type WitnessTlsFiles} from '../helpers/witness-tls.js';
import {resolveMonitorConfig, type MonitorFlags} from '../../source/resolve-config.js';
import {cli, CLI, type CliResult} from '../helpers/lab.js';
import {scanForSecrets} from './secrets-scan.js';

const run = promisify(execFile);

export type FaultLab = {readonly scope: string; readonly portOffset: number; readonly stateDir: string; readonly upFlags: readonly string[]};

/**
 * PATRONI_TUI_FAULTS_TLS=1 runs the same suite on labs made with `lab up --tls` (every channel on TLS, etcd's root
 * user on), apart from the plain labs by scope, directory and ports, so both runs can be torn down by name.
 */
export const IS_TLS_RUN = process.env['PATRONI_TUI_FAULTS_TLS'] === '1';

const makeLab = (scope: string, portOffset: number, upFlags: readonly string[]): FaultLab => ({scope, portOffset, stateDir: path.join(os.tmpdir(), `patroni-tui-test-${scope}`), upFlags});

export const FAULT_LAB: FaultLab = IS_TLS_RUN ? makeLab('faultstls', 1000, ['--tls']) : makeLab('faults', 800, []);
export const SYNC_LAB: FaultLab = IS_TLS_RUN ? makeLab('faultsynctls', 1100, ['--synchronous-mode', '--tls']) : makeLab('faultsync', 900, ['--synchronous-mode']);

/** The lab's CA and the client certificate `lab up --tls` made for every client (etcdctl, curl, the witnesses). */
export const labTlsFiles = (lab: FaultLab): WitnessTlsFiles => labTlsFilesIn(lab.stateDir);

export function labArgs(lab: FaultLab, extra: readonly string[] = []): string[] {
	return ['--scope', lab.scope, '--state-dir', lab.stateDir, '--port-offset', String(lab.portOffset), ...extra];
}

let isBuildChecked = false;

/** The built CLI runs every lab command, as a person would; a stale build would test yesterday's code. */
function requireBuild(): void {
	if (isBuildChecked) return;
	if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first.`);
	const builtAt = fs.statSync(CLI).mtimeMs;
	const newer = fs.readdirSync('source', {recursive: true, encoding: 'utf8'}).filter(file => /\.tsx?$/.test(file) && fs.statSync(path.join('source', file)).mtimeMs > builtAt);
	if (newer.length > 0) console.log(`[faults] warning: dist/ is older than ${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ', …' : ''}: run "npm run build" first`);
	isBuildChecked = true;
}

/** Runs `patroni-tui` and checks its output for the labs' passwords before anyone reads it. */
export async function labCli(args: readonly string[], timeoutMs?: number): Promise<CliResult> {
	requireBuild();
	const result = await cli(args, timeoutMs);
	scanForSecrets(`patroni-tui ${args.slice(0, 2).join(' ')}`, result.stdout + result.stderr);
	return result;
}

/** `lab up` (a no-op when the lab is up and healthy): also how a fault's damage is repaired. */
export async function ensureLab(lab: FaultLab = FAULT_LAB): Promise<LabStatus> {
	const up = await labCli(['lab', 'up', ...labArgs(lab, [...lab.upFlags, '--json'])]);
	if (up.code !== 0) throw new Error(`lab up ${lab.scope} failed (${up.code}):\n${up.stderr}`);
	const status = JSON.parse(up.stdout) as LabStatus;
	trustLab(status, lab.stateDir);
	return status;
}

export async function destroyLab(lab: FaultLab): Promise<CliResult> {
	return labCli(['lab', 'destroy', ...labArgs(lab)]);
}

export function labSecrets(lab: FaultLab): LabSecrets | undefined {
	const file = path.join(lab.stateDir, 'secrets.json');
	return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as LabSecrets) : undefined;
}

/** What `patroni-tui --lab` would attach to, with a log file of the test's own and any flag overridden. */
export function monitorConfig(lab: FaultLab, flags: MonitorFlags = {}): MonitorConfig {
	return resolveMonitorConfig({lab: true, scope: lab.scope, stateDir: lab.stateDir, portOffset: lab.portOffset, ...flags});
}

/**
 * On a TLS lab etcdctl shows the lab's CA and client certificate and logs in as root, the password in its
 * environment (never its arguments, which `ps` shows and errors repeat).
 */
function etcdctlTls(status: LabStatus): {readonly flags: string[]; readonly env: Record<string, string>} {
	if (!status.tls.enabled) return {flags: [], env: {}};
	const lab = [FAULT_LAB, SYNC_LAB].find(known => known.stateDir === status.stateDir) ?? {...FAULT_LAB, stateDir: status.stateDir};
	const files = labTlsFiles(lab);
	const password = labSecrets(lab)?.etcdRootPassword;
	if (password === undefined) throw new Error(`${lab.stateDir}/secrets.json has no etcdRootPassword for a TLS lab`);
	return {flags: ['--cacert', files.ca, '--cert', files.cert, '--key', files.key], env: {ETCDCTL_USER: 'root', ETCDCTL_PASSWORD: password}};
}

/** etcdctl (v3) against the lab's etcd; `input` goes to stdin (a 1 MB value does not fit in an argument). */
export async function etcdctl(status: LabStatus, args: readonly string[], input?: string): Promise<string> {
	const tls = etcdctlTls(status);
	const child = run('etcdctl', ['--endpoints', status.etcd.endpoints[0]!, ...tls.flags, ...args], {env: {...process.env, ETCDCTL_API: '3', ...tls.env}, timeout: 15_000, maxBuffer: 8 << 20});
	if (input !== undefined) {
		child.child.stdin!.end(input);
	}
	return (await child).stdout;
}

export async function docker(args: readonly string[]): Promise<string> {
	return (await run('docker', args, {timeout: 60_000})).stdout.trim();
}

/**
 * The cluster as Patroni itself reports it, reduced to what an operation could change: who leads, each
 * member's role, state and timeline, pause and schedules (lag and xlog positions move on their own).
 */
export async function clusterFacts(config: MonitorConfig): Promise<unknown> {
	const cluster = await restCluster(config.restSeeds);
	const members = cluster.members
		.map(member => ({name: member.name, role: member.role, state: member.state, timeline: member.timeline, api: member.api_url, tags: member.tags}))
		.sort((a, b) => a.name.localeCompare(b.name));
	return {members, pause: cluster.pause ?? false, scheduled: cluster.scheduled_switchover ?? null, config: await restGet(config.restSeeds, '/config')};
}

export {CLI};
