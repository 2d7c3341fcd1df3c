import {isDeepStrictEqual} from 'node:util';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {followMs, pollMs, seconds, type OperationContext} from './context.js';
import {done, step, type OperationEvent} from './operation.js';
import {isSuccess, patroniSays, type PatroniAnswer} from '../clients/patroni.js';

/** Looks at the cluster until `holds` is true; the milliseconds it took, or undefined at the deadline or abort. */
export async function waitForSnapshot(
	context: OperationContext,
	signal: AbortSignal,
	holds: (snapshot: ClusterSnapshot) => boolean,
	timeoutMs = followMs(context),
): Promise<number | undefined> {
	const startedAt = Date.now();
	while (!signal.aborted && Date.now() - startedAt <= timeoutMs) {
		if (holds(context.observe())) return Date.now() - startedAt;
		await sleep(pollMs(context), signal);
	}
	return undefined;
}

export type LeaderChange = {
	readonly action: 'switchover' | 'failover';
	readonly from: string | undefined;
	readonly to: string;
	readonly request: Promise<PatroniAnswer>;
	readonly sentAt: number;
};

type Settled = {readonly answer?: PatroniAnswer; readonly error?: unknown};

/**
 * Follows a switchover or failover until the new leader holds the DCS leader key AND is the only server UP on
 * HAProxy's primary listener. Patroni's answer is reported when it comes, but only a refusal ends the wait:
 * "status unknown" (503) means Patroni stopped polling, not that the change failed, so we keep looking.
 */
export async function* followLeaderChange(context: OperationContext, change: LeaderChange, signal: AbortSignal): AsyncGenerator<OperationEvent> {
	let settled: Settled | undefined;
	change.request.then(answer => (settled = {answer}), (error: unknown) => (settled = {error}));
	let isAnswerReported = false;
	let dcsAfter: number | undefined;
	let haproxyAfter: number | undefined;
	const title = `${change.action} to ${change.to}`;
	while (true) {
		const elapsed = Date.now() - change.sentAt;
		const snapshot = context.observe();
		const dcs = snapshot.leaderBy.dcs;
		if (dcsAfter === undefined && dcs === change.to) {
			dcsAfter = elapsed;
			yield step(`the DCS leader key names ${change.to} (${seconds(elapsed)} after the request)`);
		}
		const haproxy = snapshot.leaderBy.haproxy;
		if (haproxyAfter === undefined && (haproxy === undefined || isDeepStrictEqual(haproxy, [change.to]))) {
			haproxyAfter = elapsed;
			yield haproxy === undefined
				? step('HAProxy is not watched: its routing is not checked', 'skipped')
				: step(`HAProxy's primary listener routes to ${change.to} only (${seconds(elapsed)} after the request)`);
		}
		if (settled && !isAnswerReported) {
			isAnswerReported = true;
			const {answer, error} = settled;
			if (!answer) {
				yield step(`no answer from Patroni (${errorMessage(error)}): following the cluster`, 'info');
			} else if (isSuccess(answer)) {
				yield step(`Patroni: ${answer.text}`);
			} else if (answer.status === 503 && /status unknown/i.test(answer.text)) {
				yield step(`${patroniSays(answer)} — following the cluster`, 'info');
			} else {
				yield done(false, patroniSays(answer));
				return;
			}
		}
		if (dcsAfter !== undefined && haproxyAfter !== undefined) {
			yield done(true, `${change.to} is the leader: in the DCS after ${seconds(dcsAfter)}, at HAProxy after ${seconds(haproxyAfter)}`);
			return;
		}
		// Patroni may pick someone else (its "instead of" answer): once it has spoken, a third name ends the wait.
		if (isAnswerReported && dcs !== undefined && dcs !== change.from && dcs !== change.to) {
			yield done(false, `${title}: the DCS names ${dcs} as the leader instead`);
			return;
		}
		if (signal.aborted) {
			yield done(false, `${title}: stopped following after ${seconds(elapsed)} (the request may still take effect)`);
			return;
		}
		if (elapsed > followMs(context)) {
			const seen = `the DCS names ${dcs ?? 'no leader'}, HAProxy routes to ${haproxy?.join(', ') || 'nobody'}`;
			yield done(false, `${title}: not complete after ${seconds(elapsed)}: ${seen}`);
			return;
		}
		await sleep(pollMs(context), signal);
	}
}
