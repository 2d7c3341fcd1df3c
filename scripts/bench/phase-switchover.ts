/**
 * Figures 1 (real switchovers) and 7: switchovers and failovers sent by patronictl and by the monitor's own
 * operations, alternately, each under a write probe through HAProxy. For each: when Patroni wrote the leader
 * key, when the monitor and patronictl -W showed the new leader, and what a client saw (outage, lost writes).
 */
import {failoverOperation} from '../../source/operations/failover.js';
import {operationContext} from '../../source/operations/context.js';
import {switchoverOperation} from '../../source/operations/switchover.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {createDockerClient, dockerSocketPath} from '../../source/clients/docker.js';
import {epochNow, labSecrets, labUp, patronictl} from './bench-lab.js';
import {labMonitorFlags, shownLeader, startLiveMonitor, type LiveMonitor, type Size} from './live-monitor.js';
import {watchPatronictl, type PatronictlWatch} from './patronictl-watch.js';
import {modelTime} from './phase-change.js';
import {startProbeRun, type Outage} from './probe-timeline.js';
import {sleep} from './stats.js';
import {key} from './synthetic.js';
import {watchWrites, type WriteWatcher} from './writes.js';

export type LeaderChangeKind = 'switchover' | 'failover' | 'kill';
export type Trigger = 'patronictl' | 'monitor' | 'docker kill';

export type LeaderChangeSample = {
	readonly kind: LeaderChangeKind;
	readonly via: Trigger;
	readonly from: string;
	readonly to: string;
	readonly sentAt: number;
	/** Patroni's write of the new leader key, as an etcd watcher outside the monitor saw it. */
	readonly writtenAt: number;
	/** When the monitor's own picture first named the new leader. */
	readonly modelAt?: number;
	readonly frameAt: number;
	readonly patronictlAt?: number;
	/** patronictl returned, or the monitor's operation reported done. */
	readonly doneAt: number;
	readonly isOk: boolean;
	readonly outage?: Outage;
	readonly failedWrites: number;
	readonly lostWrites: number;
	readonly acknowledged: number;
};

function isSettled(snapshot: ClusterSnapshot): boolean {
	const replicas = snapshot.members.filter(member => member.name !== snapshot.leader);
	return (
		snapshot.state === 'healthy' &&
		snapshot.leader !== undefined &&
		snapshot.leaderBy.haproxy?.length === 1 &&
		snapshot.leaderBy.haproxy[0] === snapshot.leader &&
		replicas.length >= 2 &&
		replicas.every(member => member.replicationState === 'streaming')
	);
}

async function settled(live: LiveMonitor, timeoutMs = 120_000): Promise<ClusterSnapshot> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const {snapshot} = live.monitor.getView();
		if (isSettled(snapshot)) return snapshot;
		await sleep(100);
	}
	throw new Error(`the cluster did not settle: ${live.monitor.getView().snapshot.state}`);
}

async function trigger(live: LiveMonitor, kind: LeaderChangeKind, via: Trigger, from: string, to: string): Promise<boolean> {
	if (via === 'docker kill') {
		const container = live.monitor.getView().snapshot.members.find(member => member.name === from)?.container;
		if (!container) throw new Error(`no container for ${from}`);
		await createDockerClient(dockerSocketPath(undefined)).getContainer(container.id).kill();
		return true;
	}
	if (via === 'patronictl') {
		const args = kind === 'switchover' ? ['switchover', '--leader', from, '--candidate', to, '--force'] : ['failover', '--candidate', to, '--force'];
		return patronictl(args).then(
			out => /Successfully/.test(out),
			() => false,
		);
	}
	const context = operationContext(live.config, () => live.monitor.getView().snapshot);
	const operation = kind === 'switchover' ? switchoverOperation(context, {candidate: to}) : failoverOperation(context, {candidate: to, confirmedName: to});
	await live.runner.start(operation);
	const record = live.runner.getView().operations.find(candidate => candidate.title === operation.title && candidate.state !== 'running');
	return record?.state === 'succeeded';
}

export type Plan = {readonly kind: LeaderChangeKind; readonly via: Trigger};

export function plan(switchovers: number, failovers: number, kills: number): Plan[] {
	const alternate = (kind: LeaderChangeKind, count: number) =>
		Array.from({length: count}, (_, index): Plan => ({kind, via: index % 2 === 0 ? 'patronictl' : 'monitor'}));
	return [...alternate('switchover', switchovers), ...alternate('failover', failovers), ...Array.from({length: kills}, (): Plan => ({kind: 'kill', via: 'docker kill'}))];
}

async function one(live: LiveMonitor, watchers: {etcd: WriteWatcher; patronictl: PatronictlWatch}, step: Plan): Promise<LeaderChangeSample> {
	const before = await settled(live);
	const from = before.leader!;
	const replicas = before.members.filter(member => member.name !== from).map(member => member.name);
	const to = replicas[Math.floor(Math.random() * replicas.length)]!;
	const secrets = labSecrets();
	const probe = startProbeRun({
		primary: live.config.haproxy.primary!,
		postgres: {user: 'postgres', password: secrets.superuserPassword},
	});
	await sleep(1500);
	const sentAt = epochNow();
	const leaderKey = key('bench', 'leader');
	// After a kill nobody is told who is next: the first leader write by another member counts (the header's
	// "✗ none", once the old key expires, is not a leader).
	const isNewLeader = (name: string | undefined) => (step.via === 'docker kill' ? name !== undefined && name !== from && !name.startsWith('✗') : name === to);
	const inModel = modelTime(live, snapshot => isNewLeader(snapshot.leader));
	const [isOk, write, frame, printed] = await Promise.all([
		trigger(live, step.kind, step.via, from, to),
		watchers.etcd.next(w => w.key === leaderKey && isNewLeader(w.value), sentAt, 90_000),
		live.ui.waitForFrame(text => isNewLeader(shownLeader(text)), {since: sentAt, timeoutMs: 90_000}),
		watchers.patronictl.next(row => isNewLeader(row.name) && row.role === 'Leader', sentAt, 90_000).catch(() => undefined),
	]);
	const doneAt = epochNow();
	const modelAt = inModel.stop();
	await probe.recovered(sentAt);
	const {result, outage} = await probe.finish(sentAt);
	const newLeader = write.value!;
	return {
		kind: step.kind,
		via: step.via,
		from,
		to: newLeader,
		sentAt,
		writtenAt: write.at,
		...(modelAt ? {modelAt} : {}),
		frameAt: frame.at,
		...(printed ? {patronictlAt: printed.at} : {}),
		doneAt,
		isOk,
		...(outage ? {outage} : {}),
		failedWrites: result.failed,
		lostWrites: result.missing,
		acknowledged: result.acknowledged,
	};
}

export async function leaderChanges(endpoint: string, steps: readonly Plan[], size: Size, log: (line: string) => void): Promise<LeaderChangeSample[]> {
	const live = startLiveMonitor(labMonitorFlags(), size);
	const etcd = await watchWrites(endpoint, [key('bench', '')]);
	const patronictlWatch = watchPatronictl();
	const samples: LeaderChangeSample[] = [];
	try {
		for (const [index, step] of steps.entries()) {
			const sample = await one(live, {etcd, patronictl: patronictlWatch}, step);
			samples.push(sample);
			log(
				`${step.kind} via ${step.via} ${sample.from} → ${sample.to}: frame +${(sample.frameAt - sample.writtenAt).toFixed(1)} ms after the etcd write, ` +
					`outage ${sample.outage ? Math.round(sample.outage.ms) : '?'} ms, lost ${sample.lostWrites} (${index + 1}/${steps.length})`,
			);
			// The killed node comes back as a replica: lab up starts its container again.
			if (step.via === 'docker kill') await labUp();
		}
	} finally {
		await patronictlWatch.stop();
		await etcd.stop();
		await live.stop();
	}
	return samples;
}
