/**
 * The write probe (startWriteProbe, as the app runs it) with the time of every acknowledgement, so the outage
 * around one switchover can be placed next to the etcd write and the frame.
 */
import {startWriteProbe, type WriteProbe, type WriteProbeResult} from '../../source/operations/write-probe.js';
import {epochNow} from './bench-lab.js';

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

export function startProbeRun(options: Parameters<typeof startWriteProbe>[0]): ProbeRun {
	const probe: WriteProbe = startWriteProbe(options);
	const acks: number[] = [];
	let seen = 0;
	// The probe counts its acknowledgements; reading the count every 5 ms gives each one a time to ±5 ms.
	const timer = setInterval(() => {
		const {acknowledged} = probe.stats;
		for (; seen < acknowledged; seen++) acks.push(epochNow());
	}, 5);
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
			const result = await probe.finish();
			clearInterval(timer);
			return {result, outage: largestGap(acks, since + 50), acks};
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
