/** Each UI file ends the same way: stop as `patroni-tui` does on q, then prove nothing was left behind or leaked. */
import assert from 'node:assert/strict';
import path from 'node:path';
import {leftoverResources, unhandled, type ResourceBaseline} from './guards.js';
import {measured} from './report.js';
import {scanFile, scannedCount, secretFindings} from './secrets-scan.js';

export async function cleanStop(order: number, label: string, stop: () => Promise<void>, baseline: ResourceBaseline, logFiles: readonly string[]): Promise<void> {
	await measured(order, `clean stop, no password: ${label}`, async row => {
		const stoppingAt = performance.now();
		await stop();
		const stoppedMs = performance.now() - stoppingAt;
		const left = await leftoverResources(baseline);
		for (const file of logFiles) scanFile(`event log ${path.basename(file)}`, file);
		row.notes = `stopped in ${stoppedMs.toFixed(0)} ms; left open: ${left.join(', ') || 'nothing'}; unhandled rejections: ${unhandled().length}; ${scannedCount()} frames, logs and outputs scanned, passwords found: ${secretFindings().length}`;
		assert.deepEqual(left, [], 'nothing of ours keeps the process alive');
		assert.deepEqual(unhandled(), [], 'no unhandled rejection or uncaught exception');
		assert.deepEqual(secretFindings(), [], 'no password in any frame, event log or command output');
	});
}
