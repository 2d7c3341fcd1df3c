/**
 * Figure 1 (synthetic half): an etcd write → the first frame that shows it, and the first `patronictl list -W`
 * table that shows it. A member key of the live scope, and the leader key of a synthetic scope.
 */
import type {Etcd3} from 'etcd3';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {Monitor} from '../../source/monitor.js';
import {epochNow} from './bench-lab.js';
import {eventLog, labMonitorFlags, lineWith, shownLeader, startLiveMonitor, type Size} from './live-monitor.js';
import {watchPatronictl} from './patronictl-watch.js';
import {jitter} from './stats.js';
import {etcdClient, key, LEADER_SCOPE, memberValue, SYNTHETIC_MEMBER, writeScope, deleteScope} from './synthetic.js';
import {watchWrites} from './writes.js';

/** One change: when it was sent, when etcd's watchers got it, when the monitor and patronictl showed it. */
export type ChangeSample = {
	readonly putAt: number;
	readonly writtenAt: number;
	/** When the monitor's own picture (the snapshot) first had it: the frame's time minus this is drawing. */
	readonly modelAt?: number;
	readonly frameAt: number;
	readonly patronictlAt?: number;
};

export type ChangeRun = {readonly samples: readonly ChangeSample[]; readonly patronictlMissed: number};

type Target = {
	readonly label: string;
	readonly write: (client: Etcd3, index: number) => Promise<void>;
	readonly isWrite: (key: string, value: string | undefined, index: number) => boolean;
	readonly isShown: (frame: string, index: number) => boolean;
	readonly isInModel: (snapshot: ClusterSnapshot, index: number) => boolean;
	readonly isPrinted: (row: {name: string; role: string; state: string}, index: number) => boolean;
};

async function measure(target: Target, options: {endpoint: string; count: number; monitor: ReturnType<typeof startLiveMonitor>; scope?: string; log: (line: string) => void}): Promise<ChangeRun> {
	const {endpoint, count, monitor} = options;
	const client = etcdClient(endpoint);
	const watcher = await watchWrites(endpoint, [key(options.scope ?? 'bench', '')]);
	const patronictl = watchPatronictl(options.scope ? {scope: options.scope} : {});
	const samples: ChangeSample[] = [];
	let missed = 0;
	try {
		await target.write(client, 0);
		await monitor.ui.waitForFrame(frame => target.isShown(frame, 0), {timeoutMs: 30_000});
		await patronictl.next(row => target.isPrinted(row, 0), 0, 30_000);
		for (let index = 1; index <= count; index++) {
			const putAt = epochNow();
			const inModel = modelTime(monitor, snapshot => target.isInModel(snapshot, index));
			await target.write(client, index);
			const [write, frame, printed] = await Promise.all([
				watcher.next(w => target.isWrite(w.key, w.value, index), putAt),
				monitor.ui.waitForFrame(text => target.isShown(text, index), {since: putAt, timeoutMs: 15_000}),
				// patronictl refreshes every 2 s: a change it has not printed within 5 s was missed.
				patronictl.next(row => target.isPrinted(row, index), putAt, 5000).catch(() => undefined),
			]);
			if (!printed) missed++;
			const modelAt = inModel.stop();
			samples.push({putAt, writtenAt: write.at, ...(modelAt ? {modelAt} : {}), frameAt: frame.at, ...(printed ? {patronictlAt: printed.at} : {})});
			if (index % 10 === 0) options.log(`${target.label}: ${index}/${count}`);
			// A random pause, so changes fall anywhere in patronictl's 2 s cycle and the monitor's 1 s polls.
			await jitter(200, 1200);
		}
	} finally {
		await patronictl.stop();
		await watcher.stop();
		client.close();
	}
	return {samples, patronictlMissed: missed};
}

/** The first moment the monitor's view satisfies `holds` (checked on every notification and every 5 ms). */
export function modelTime(live: {monitor: Monitor}, holds: (snapshot: ClusterSnapshot) => boolean) {
	let at: number | undefined;
	const check = () => {
		if (at === undefined && holds(live.monitor.getView().snapshot)) at = epochNow();
	};
	const unsubscribe = live.monitor.subscribe(check);
	const timer = setInterval(check, 5);
	return {
		stop() {
			clearInterval(timer);
			unsubscribe();
			return at;
		},
	};
}

const marker = (index: number) => `b${String(index).padStart(3, '0')}`;

/** A synthetic member of the live cluster whose `state` is changed each time (patronictl's State column shows it). */
export async function memberKeyChanges(endpoint: string, count: number, size: Size, log: (line: string) => void): Promise<ChangeRun> {
	const monitor = startLiveMonitor(labMonitorFlags(), size);
	const memberKey = key('bench', `members/${SYNTHETIC_MEMBER}`);
	try {
		return await measure(
			{
				label: 'member key',
				write: async (client, index) => {
					await client.put(memberKey).value(memberValue(SYNTHETIC_MEMBER, marker(index)));
				},
				isWrite: (written, value, index) => written === memberKey && (value ?? '').includes(`"${marker(index)}"`),
				isShown: (frame, index) => lineWith(frame, SYNTHETIC_MEMBER, ` ${marker(index)} `) !== undefined,
				isInModel: (snapshot, index) => snapshot.members.some(member => member.name === SYNTHETIC_MEMBER && member.state === marker(index)),
				isPrinted: (row, index) => row.name === SYNTHETIC_MEMBER && row.state === marker(index),
			},
			{endpoint, count, monitor, log},
		);
	} finally {
		await monitor.stop();
		const client = etcdClient(endpoint);
		await client.delete().key(memberKey);
		client.close();
	}
}

const SYNTHETIC_NODES = ['node1', 'node2', 'node3'];

/** The leader key of a scope no Patroni runs, moved from member to member; the monitor watches that scope. */
export async function leaderKeyChanges(endpoint: string, count: number, size: Size, log: (line: string) => void): Promise<ChangeRun> {
	const client = etcdClient(endpoint);
	await writeScope(client, LEADER_SCOPE, SYNTHETIC_NODES);
	const monitor = startLiveMonitor({etcd: endpoint.replace(/^http:\/\//, ''), scope: LEADER_SCOPE, logFile: eventLog(LEADER_SCOPE)}, size);
	const leaderAt = (index: number) => SYNTHETIC_NODES[index % SYNTHETIC_NODES.length]!;
	try {
		return await measure(
			{
				label: 'leader key',
				write: async (writer, index) => {
					await writer.put(key(LEADER_SCOPE, 'leader')).value(leaderAt(index));
				},
				isWrite: (written, value, index) => written === key(LEADER_SCOPE, 'leader') && value === leaderAt(index),
				isShown: (frame, index) => shownLeader(frame) === leaderAt(index),
				isInModel: (snapshot, index) => snapshot.leader === leaderAt(index),
				isPrinted: (row, index) => row.name === leaderAt(index) && row.role === 'Leader',
			},
			{endpoint, count, monitor, scope: LEADER_SCOPE, log},
		);
	} finally {
		await monitor.stop();
		await deleteScope(client, LEADER_SCOPE);
		client.close();
	}
}
