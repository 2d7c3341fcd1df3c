/**
 * The write probe (startWriteProbe, as the app runs it) with the time of every acknowledgement, so the outage
 * around one switchover can be placed next to the etcd write and the frame. It runs in a child process
 * (probe-child.ts): its INSERTs every 50 ms and its 5 ms clock would otherwise share one thread with the monitor
 * whose frames are being timed, which a user's monitor does not.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {WriteProbeOptions, WriteProbeResult} from '../../source/operations/write-probe.js';
import {stopChild, timestampLines} from './bench-lab.js';

export type Outage = {readonly lastAckBefore: number; readonly firstAckAfter: number; readonly ms: number};

export type ProbeRun = {
	/**
	 * Stops the probe and reads its rows back: lost writes are acknowledged rows the cluster no longer has. The
	 * outage is the longest pause between acknowledgements that ended after `since` (the request was sent).
	 */
	finish(since: number): Promise<{result: WriteProbeResult; outage: Outage | undefined; acks: readonly number[]}>;
	/** Resolves once writes are acknowledged again `afterMs` after `since` (the client's view of "it's over"). */
	recovered(since: number, afterMs?: number, timeoutMs?: number): Promise<void>;
};

export function startProbeRun(options: WriteProbeOptions): ProbeRun {
	const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe-child.js');
	const child = spawn(process.execPath, [script], {env: {...process.env, BENCH_PROBE_OPTIONS: JSON.stringify(options)}, stdio: ['pipe', 'pipe', 'inherit']});
	const acks: number[] = [];
	let resolveResult: (result: WriteProbeResult) => void;
	const result = new Promise<WriteProbeResult>((resolve, reject) => {
		resolveResult = resolve;
		child.once('exit', code => reject(new Error(`the write probe exited (${code}) before its result`)));
	});
	// Awaited in finish(); until then an early exit must not be an unhandled rejection.
	result.catch(() => undefined);
	timestampLines(child, line => {
		if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
		else if (line.startsWith('result ')) resolveResult(JSON.parse(line.slice(7)) as WriteProbeResult);
	});
	return {
		async recovered(since, afterMs = 1000, timeoutMs = 90_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const gapEnd = largestGap(acks, since);
				if (gapEnd && (acks.at(-1) ?? 0) - gapEnd.firstAckAfter >= afterMs) return;
				if (Date.now() > deadline) throw new Error('writes were not acknowledged again');
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
		async finish(since) {
			child.stdin.write('finish\n');
			try {
				return {result: await result, outage: largestGap(acks, since + 50), acks};
			} finally {
				await stopChild(child);
			}
		},
	};
}

/** The longest pause between two acknowledged writes at or after `since`. */
export function largestGap(acks: readonly number[], since: number): Outage | undefined {
	let best: Outage | undefined;
	for (let index = 1; index < acks.length; index++) {
		if (acks[index]! < since) continue;
		const ms = acks[index]! - acks[index - 1]!;
		if (!best || ms > best.ms) best = {lastAckBefore: acks[index - 1]!, firstAckAfter: acks[index]!, ms};
	}
	return best;
}
