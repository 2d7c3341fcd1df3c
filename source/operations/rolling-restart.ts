import {isLeaderRole} from '../model/roles.js';
import {withPostgres} from '../clients/postgres.js';
import {errorMessage} from '../errors.js';
import {accepted, leaderOf, memberApi, memberPostgres, readCluster, readDcsConfig} from './cluster-access.js';
import {seconds, type OperationContext} from './context.js';
import {waitCaughtUp, waitHealthy, waitUntil, type ClusterHealth} from './cluster-health.js';
import {describeHalfDone, done, mutation, type Operation, type OperationEvent, OperationRefused, type Progress, step} from './operation.js';
import {describeStep, HOT_STANDBY_MINIMUMS, hotStandbyChanges, planRollingRestart, type RestartStep} from './rolling-order.js';

export type RollingRestartInput = {
	/** How the leader is restarted when it may go last: a switchover to a restarted replica, or in place. */
	readonly mode: 'switchover' | 'in-place';
	/** How long one member may take to come back (and the cluster to become healthy) before we stop. */
	readonly memberTimeoutMs?: number;
};

/** Who is left pending a restart; every step that moves it reports it (Progress), for a quit to say what is half-done. */
type Tally = {readonly done: string[]; readonly left: string[]};
type Context = {readonly operations: OperationContext; readonly signal: AbortSignal; readonly timeoutMs: number; readonly tally: Tally};

const progressOf = (tally: Tally, inFlight?: string): Progress => ({
	what: 'rolling restart',
	done: [...tally.done],
	left: [...tally.left],
	leftAs: tally.left.length === 1 ? 'still pending a restart' : 'still pending restarts',
	...(inFlight ? {inFlight} : {}),
});
type Outcome = 'restarted' | 'switched' | 'skipped';

/** Restarts every member pending a restart, one at a time, in the order rolling-order.ts explains. */
export function rollingRestartOperation(operations: OperationContext, input: RollingRestartInput): Operation {
	const title = `rolling restart of members pending a restart (leader ${input.mode === 'switchover' ? 'by switchover' : 'in place'})`;
	return mutation(operations.isReadOnly, title, 'every member pending a restart', async function* (signal) {
		const tally: Tally = {done: [], left: []};
		const context: Context = {operations, signal, timeoutMs: input.memberTimeoutMs ?? 120_000, tally};
		const startedAt = Date.now();
		// Taking a member down while another is already down would be two down: start only from a healthy cluster.
		const health = await waitHealthy(operations, signal, 10_000).catch((error: unknown) => {
			throw new OperationRefused(`The cluster is not healthy, so no member was restarted: ${errorMessage(error)}`);
		});
		const members = health.members.map(member => ({
			name: member.name,
			isLeader: isLeaderRole(member.role),
			// Patroni leaves pending_restart out when false; the member's own word beats the DCS copy.
			pendingRestart: Boolean(health.statuses.has(member.name) ? health.statuses.get(member.name)?.pending_restart : member.pending_restart),
		}));
		if (!members.some(member => member.pendingRestart)) return yield done(true, 'No member is pending a restart.');
		const plan = planRollingRestart(members, input.mode, await leaderChanges(context, health));
		tally.left.push(...members.filter(member => member.pendingRestart).map(member => member.name));
		yield step(`order: ${plan.steps.map(describeStep).join(', then ')}`, 'info', progressOf(tally));
		for (const note of plan.notes) yield step(note, 'info');
		const outcomes: Outcome[] = [];
		for (const planned of plan.steps) {
			if (signal.aborted) return yield done(false, `Cancelled before "${describeStep(planned)}": ${describeHalfDone(progressOf(tally))}.`);
			try {
				outcomes.push(yield* runStep(context, planned));
			} catch (error) {
				if (signal.aborted) return yield done(false, `Cancelled during "${describeStep(planned)}": ${describeHalfDone(progressOf(tally, describeStep(planned)))}.`);
				yield step(`${describeStep(planned)} failed: ${errorMessage(error)}`, 'failed', progressOf(tally));
				const leader = await waitForLeader(context);
				return yield done(false, `Stopped at "${describeStep(planned)}": ${errorMessage(error)}. ${leader ? `${leader} is the leader.` : 'No leader yet: Patroni is electing one.'}`);
			}
		}
		const leader = leaderOf(await readCluster(operations, signal))?.name ?? 'nobody';
		const count = (outcome: Outcome, word: string) => `${outcomes.filter(candidate => candidate === outcome).length} ${word}`;
		yield done(true, `${count('restarted', 'restart(s)')} and ${count('switched', 'switchover(s)')} in ${seconds(Date.now() - startedAt)}; ${leader} is the leader.`);
	});
}

/** The hot-standby settings the pending restart changes: the DCS config against what the leader runs. */
async function leaderChanges(context: Context, health: ClusterHealth) {
	const config = await readDcsConfig(context.operations, context.signal);
	const parameters = ((config['postgresql'] as {parameters?: Record<string, unknown>} | undefined)?.parameters) ?? {};
	const rows = await withPostgres(memberPostgres(context.operations, health.leader!), async client =>
		(await client.query<{name: string; setting: string}>('select name, setting from pg_settings where name = any($1)', [[...HOT_STANDBY_MINIMUMS]])).rows,
	{}, context.signal);
	return hotStandbyChanges(parameters, Object.fromEntries(rows.map(row => [row.name, Number(row.setting)])));
}

async function* runStep(context: Context, planned: RestartStep): AsyncGenerator<OperationEvent, Outcome> {
	const {operations, signal, timeoutMs} = context;
	// Nothing goes down unless everything is up: that is what keeps it to one member down at a time.
	const health = await waitHealthy(operations, signal, timeoutMs);
	if (planned.kind === 'switchover') {
		yield* switchover(context, health, planned.from);
		return 'switched';
	}
	const member = health.members.find(candidate => candidate.name === planned.member);
	if (!member) throw new Error(`${planned.member} is no longer in the cluster`);
	const isLeader = health.leader?.name === member.name;
	if (planned.role === 'leader' && !isLeader) throw new Error(`${member.name} is no longer the leader`);
	if (!health.statuses.get(member.name)?.pending_restart) {
		markDone(context.tally, member.name);
		yield step(`${member.name} is not pending a restart${planned.onlyIfPending ? ': the switchover restarted it with the new settings' : ''}`, 'skipped', progressOf(context.tally));
		return 'skipped';
	}
	// A replica must have replayed the leader's latest WAL (a lowered setting's record among it) before it restarts.
	if (!isLeader) await waitCaughtUp(operations, member.name, 'replica', signal, timeoutMs);
	const role = isLeader ? 'leader' : 'replica';
	yield step(`${member.name} (${role}): POST /restart`, 'running', progressOf(context.tally, `${member.name}: POST /restart`));
	const sentAt = Date.now();
	const answer = accepted(`POST /restart on ${member.name}`, await memberApi(operations, member).restart({restart_pending: true}, signal, 300_000));
	const restartedAt = Date.now();
	markDone(context.tally, member.name);
	yield step(`${member.name} restarted in ${seconds(restartedAt - sentAt)} (Patroni: "${answer.text}")`, 'done', progressOf(context.tally, `${member.name}: catching up`));
	await waitCaughtUp(operations, member.name, role, signal, timeoutMs);
	yield step(`${member.name} ${role === 'leader' ? 'leads again' : 'streams and has caught up'} ${seconds(Date.now() - restartedAt)} later`, 'done', progressOf(context.tally));
	await expectNoPendingRestart(context, member.name);
	return 'restarted';
}

async function* switchover(context: Context, health: ClusterHealth, from: string): AsyncGenerator<OperationEvent> {
	const {operations, signal, timeoutMs} = context;
	if (health.leader?.name !== from) throw new Error(`${from} is no longer the leader`);
	const candidate = pickCandidate(health);
	await waitCaughtUp(operations, candidate, 'replica', signal, timeoutMs);
	yield step(`switchover ${from} → ${candidate}: POST /switchover`, 'running', progressOf(context.tally, `switchover ${from} → ${candidate}`));
	const sentAt = Date.now();
	const answer = accepted(`POST /switchover on ${from}`, await memberApi(operations, health.leader).request('POST', '/switchover', {body: {leader: from, candidate}, timeoutMs: 90_000, signal}));
	yield step(`switched over to ${candidate} in ${seconds(Date.now() - sentAt)} (Patroni: "${answer.text}")`, 'done', progressOf(context.tally, `${from}: back as a replica`));
	await waitCaughtUp(operations, candidate, 'leader', signal, timeoutMs);
	await waitCaughtUp(operations, from, 'replica', signal, timeoutMs);
	yield step(`${from} is back as a replica, streaming and caught up, ${seconds(Date.now() - sentAt)} after the request`, 'done', progressOf(context.tally));
}

/**
 * A replica that runs the new settings already (not pending) and may be failed over to; in synchronous mode
 * Patroni accepts only the sync standby, so it comes first; then the one that has replayed the most.
 */
function pickCandidate(health: ClusterHealth): string {
	const replayed = (name: string) => health.replication.get(name)?.replayLsn ?? 0n;
	const isSync = (role: string) => (role === 'sync_standby' ? 0 : 1);
	const candidates = health.members
		.filter(member => member.name !== health.leader?.name && member.tags?.['nofailover'] !== true)
		.filter(member => !health.statuses.get(member.name)?.pending_restart)
		.sort((a, b) => isSync(a.role) - isSync(b.role) || Number(replayed(b.name) - replayed(a.name)) || a.name.localeCompare(b.name));
	if (!candidates[0]) throw new Error('no replica that runs the new settings can take over: switchover not sent');
	return candidates[0].name;
}

/** /cluster lags a loop behind, so ask the member itself; still pending means the restart did not apply the change. */
async function expectNoPendingRestart(context: Context, name: string): Promise<void> {
	const cluster = await readCluster(context.operations, context.signal);
	const member = cluster.members.find(candidate => candidate.name === name);
	if (!member) return;
	const status = await memberApi(context.operations, member).status(context.signal);
	if (status.pending_restart) throw new Error(`${name} still reports a pending restart after restarting (a replica can't run below its primary's value)`);
}

/** After a failed step, who leads (Patroni may be electing); a cancel does not wait for that. */
async function waitForLeader(context: Context): Promise<string | undefined> {
	const {signal} = context;
	return waitUntil('a leader', async () => {
		const leader = leaderOf(await readCluster(context.operations, signal));
		return leader ? {value: leader.name} : {why: 'no leader'};
	}, signal, 60_000, 500).catch(() => undefined);
}

function markDone(tally: Tally, name: string): void {
	const index = tally.left.indexOf(name);
	if (index >= 0) tally.left.splice(index, 1);
	if (!tally.done.includes(name)) tally.done.push(name);
}
