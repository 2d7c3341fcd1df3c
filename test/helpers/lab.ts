import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {LabSecrets} from '../../source/lab/secrets.js';

const run = promisify(execFile);

/**
 * The test lab lives apart from a demo lab: its own scope, state directory and ports. Environment variables
 * give a test run a lab of its own (for running suites side by side).
 */
export const TEST_SCOPE = process.env['PATRONI_TUI_TEST_SCOPE'] ?? 'labtest';
export const TEST_PORT_OFFSET = Number(process.env['PATRONI_TUI_TEST_PORT_OFFSET'] ?? 100);
export const TEST_STATE_DIR = process.env['PATRONI_TUI_TEST_LAB_DIR'] ?? path.join(os.tmpdir(), TEST_SCOPE === 'labtest' ? 'patroni-tui-test-lab' : `patroni-tui-test-${TEST_SCOPE}`);
/** The installed command, as `npm run build` bundles it. */
export const CLI = path.resolve('dist/patroni-tui.js');

export type CliResult = {readonly code: number; readonly stdout: string; readonly stderr: string};

/** Runs the built `patroni-tui` binary, as a user would, and never throws on a non-zero exit. */
export async function cli(args: readonly string[], timeoutMs = 240_000): Promise<CliResult> {
	try {
		const {stdout, stderr} = await run(process.execPath, [CLI, ...args], {timeout: timeoutMs, maxBuffer: 16 << 20});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
	}
}

export function labArgs(extra: readonly string[] = []): string[] {
	return ['--scope', TEST_SCOPE, '--state-dir', TEST_STATE_DIR, '--port-offset', String(TEST_PORT_OFFSET), ...extra];
}

/** Brings the test lab up (a no-op when it is up) and returns its endpoints as `lab status --json` prints them. */
export async function ensureTestLab(): Promise<LabStatus> {
	const up = await cli(['lab', 'up', ...labArgs(['--json'])]);
	if (up.code !== 0) throw new Error(`lab up failed (${up.code}):\n${up.stderr}`);
	return JSON.parse(up.stdout) as LabStatus;
}

export function testLabSecrets(): LabSecrets {
	return JSON.parse(fs.readFileSync(path.join(TEST_STATE_DIR, 'secrets.json'), 'utf8')) as LabSecrets;
}

export async function patronictl(args: readonly string[]): Promise<string> {
	const {stdout} = await run('patronictl', ['-c', path.join(TEST_STATE_DIR, 'patronictl.yaml'), ...args], {timeout: 30_000});
	return stdout;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, pollMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		await new Promise(resolve => setTimeout(resolve, pollMs));
	}
	throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
