/**
 * Preloaded into the CLI under test for the start-up figure: notes when the process began, when Ink wrote its
 * first frame, and when it wrote the first frame after the monitor's picture became complete (every source
 * spoke, every member's PostgreSQL answered), then writes those times to $BENCH_STARTUP_FILE.
 */
import fs from 'node:fs';
import {pathToFileURL} from 'node:url';

type MonitorLike = {isComplete(): boolean; subscribe(listener: () => void): () => void};

const file = process.env['BENCH_STARTUP_FILE']!;
const now = () => performance.timeOrigin + performance.now();
const times: {startedAt: number; firstFrameAt?: number; completeAt?: number; completeFrameAt?: number} = {startedAt: performance.timeOrigin};

// The very module the CLI will load (same URL, so the same class): its start() tells us the monitor exists.
const {Monitor} = (await import(pathToFileURL(process.env['BENCH_MONITOR_MODULE']!).href)) as {Monitor: {prototype: {start(): void}}};
const start = Monitor.prototype.start;
Monitor.prototype.start = function (this: MonitorLike) {
	const stop = this.subscribe(() => {
		if (times.completeAt === undefined && this.isComplete()) {
			times.completeAt = now();
			stop();
		}
	});
	return start.call(this);
};

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
