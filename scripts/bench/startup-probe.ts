/**
 * Preloaded into the CLI under test for the start-up figure: notes when the process began, when Ink wrote its
 * first frame, and when it wrote the first frame after the monitor's picture became complete (every source
 * spoke, every member's PostgreSQL answered), then writes those times to $BENCH_STARTUP_FILE.
 */
import fs from 'node:fs';
import dc from 'node:diagnostics_channel';
import {MONITOR_CHANNEL, type MonitorMilestone} from '../../source/diagnostics.js';

const file = process.env['BENCH_STARTUP_FILE']!;
const now = () => performance.timeOrigin + performance.now();
const times: {startedAt: number; firstFrameAt?: number; completeAt?: number; completeFrameAt?: number} = {startedAt: performance.timeOrigin};

// The monitor says when its picture is first complete (source/diagnostics.ts), bundled or not.
dc.subscribe(MONITOR_CHANNEL, message => {
	times.completeAt ??= (message as MonitorMilestone).at;
});

const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
	const at = now();
	// Escape sequences alone (cursor hiding) are not a frame.
	const isFrame = String(chunk).replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '').trim() !== '';
	if (isFrame) {
		times.firstFrameAt ??= at;
		if (times.completeAt !== undefined && times.completeFrameAt === undefined) {
			times.completeFrameAt = at;
			fs.writeFileSync(file, JSON.stringify(times));
		}
	}
	return write(chunk, ...rest);
}) as typeof process.stdout.write;
