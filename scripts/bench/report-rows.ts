/** The table's rows: each figure beside patronictl's, its target and whether this run met it. */
import type {LeakCheck} from './leak-check.js';
import type {IdleRun} from './phase-idle.js';
import type {ChangeRun} from './phase-change.js';
import type {LeaderChangeSample, Trigger} from './phase-switchover.js';
import type {SoakRun} from './phase-soak.js';
import type {StartupRun} from './phase-startup.js';
import type {Results} from './report.js';
import {medianP95, ms, summarize} from './stats.js';

export type Row = readonly [figure: string, monitor: string, patronictl: string, target: string, verdict: string];

const verdict = (isMet: boolean | undefined) => (isMet === undefined ? '' : isMet ? 'met' : 'MISSED');
const summaryOf = (values: readonly number[]) => summarize(values);
const percent = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(2)} %`);

function changeRows(label: string, run: ChangeRun | undefined): Row[] {
	if (!run) return [];
	const monitor = summaryOf(run.samples.map(sample => sample.frameAt - sample.writtenAt));
	const printed = run.samples.filter(sample => sample.patronictlAt !== undefined);
	const patronictl = summaryOf(printed.map(sample => sample.patronictlAt! - sample.writtenAt));
	const missed = run.patronictlMissed > 0 ? `, missed ${run.patronictlMissed}` : '';
	return [[`1 ${label} → screen, median / p95 (n=${monitor.count})`, medianP95(monitor), `${medianP95(patronictl)} (-W${missed})`, 'p95 ≤ 50 ms', verdict(monitor.p95 <= 50)]];
}

function group(perSecond: Record<string, number>, prefix: string): number {
	return Object.entries(perSecond)
		.filter(([name]) => name.startsWith(prefix) && !name.includes('(stream)'))
		.reduce((sum, [, rate]) => sum + rate, 0);
}

function idleRows(idle: IdleRun | undefined): Row[] {
	if (!idle) return [];
	const load = idle.monitor.perSecond;
	const size = `${idle.size.columns}x${idle.size.rows}`;
	return [
		[
			`2 idle CPU, 3 members, default refresh (calm: polls every 3 s), ${Math.round(idle.seconds)} s, ${size} (% of one core)`,
			percent(idle.monitor.cpuPercent),
			`${percent(idle.patronictl.cpuPercent)} (-W)`,
			'≤ 2 %',
			verdict(idle.monitor.cpuPercent <= 2),
		],
		...(idle.neverCalm
			? [
					[
						'2 the same, polling every 1 s throughout (--calm-interval 1): % of one core; REST / SQL / HAProxy per s',
						`${percent(idle.neverCalm.cpuPercent)}; ${group(idle.neverCalm.perSecond, 'rest').toFixed(1)} / ${group(idle.neverCalm.perSecond, 'sql').toFixed(1)} / ${group(idle.neverCalm.perSecond, 'haproxy').toFixed(1)}`,
						'',
						'',
						'',
					] as Row,
				]
			: []),
		...(idle.withoutUi
			? [
					[
						'2 of which asking the cluster: the same monitor without a UI (% of one core; notifications/s)',
						`${percent(idle.withoutUi.cpuPercent)}; ${idle.withoutUi.notificationsPerSecond.toFixed(2)}/s`,
						'',
						'',
						'',
					] as Row,
				]
			: []),
		[
			'3 load on the cluster per second: REST / SQL / etcd RPCs / HAProxy / Docker',
			`${group(load, 'rest').toFixed(1)} / ${group(load, 'sql').toFixed(1)} / ${group(load, 'etcd').toFixed(2)} / ${(group(load, 'haproxy')).toFixed(1)} / ${group(load, 'docker').toFixed(2)}`,
			`– / – / ${group(idle.patronictl.perSecond, 'etcd').toFixed(2)} / – / – (-W)`,
			'',
			'',
		],
	];
}

function startupRows(startup: StartupRun | undefined): Row[] {
	if (!startup) return [];
	return [
		['4 start-up: process start → first complete frame, median / p95', medianP95(startup.firstCompleteFrame), `${medianP95(startup.patronictlPretty)} (list, wall)`, 'faster than patronictl', verdict(startup.firstCompleteFrame.median < startup.patronictlPretty.median)],
		['4 one-shot: --json vs list -f json, wall time, median / p95', medianP95(startup.json), medianP95(startup.patronictlJson), 'faster than patronictl', verdict(startup.json.median < startup.patronictlJson.median)],
	];
}

function frameRows(frames: Results['frames'], scale: Results['scale']): Row[] {
	const rows: Row[] = [];
	for (const cost of frames?.lab ?? []) rows.push([`5 ms per frame, 3 members, ${cost.columns}x${cost.rows}, median / p95`, medianP95(cost.total), '', '', '']);
	for (const cost of frames?.large ?? []) {
		rows.push([`5 ms per frame, 100 members / 1,000 keys, ${cost.columns}x${cost.rows}, median / p95`, medianP95(cost.total), '', 'median ≤ 16 ms', verdict(cost.total.median <= 16)]);
	}
	if (scale) rows.push([`5 key j → frame with the moved cursor, 100 members, busy, median / p95 (n=${scale.keyToFrame.count})`, medianP95(scale.keyToFrame), '', 'responsive', '']);
	return rows;
}

function soakRows(soak: SoakRun | undefined, leak: LeakCheck | undefined): Row[] {
	const rows: Row[] = leak
		? [[`6 heap kept after GC per frame whose text changed (${leak.frames} frames replayed)`, `${leak.kbPerFrame.toFixed(1)} KB (${leak.heapStartMb.toFixed(1)} → ${leak.heapEndMb.toFixed(1)} MB)`, '', '', '']]
		: [];
	if (!soak) return rows;
	return [
		...rows,
		[
			`6 RSS after start → after ${soak.minutes} min at --interval ${soak.intervalSeconds}`,
			`${soak.rssAfterStartMb.toFixed(1)} → ${soak.rssAtEndMb.toFixed(1)} MB (${signed(soak.growthMb)} MB; ${signed(soak.growthAfterFirstMinuteMb)} after min 1)`,
			'',
			'growth ≤ 5 MB',
			verdict(soak.growthMb <= 5),
		],
		[
			`6 the same soak: RSS from min 2 to the end (warm); screen moved on at samples`,
			`${signed(soak.growthAfterMinuteTwoMb)} MB; ${soak.screenChanges ?? '–'} of ${soak.samples.length - 1}`,
			'',
			'',
			'',
		],
	];
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;

function leaderChangeRows(samples: readonly LeaderChangeSample[] | undefined): Row[] {
	if (!samples?.length) return [];
	const rows: Row[] = [];
	const switchoverLike = samples.filter(sample => sample.kind !== 'kill');
	const shown = summaryOf(switchoverLike.map(sample => sample.frameAt - sample.writtenAt));
	const printed = switchoverLike.filter(sample => sample.patronictlAt !== undefined);
	rows.push([
		`1 real switchover/failover: leader key write → screen, median / p95 (n=${shown.count})`,
		medianP95(shown),
		`${medianP95(summaryOf(printed.map(sample => sample.patronictlAt! - sample.writtenAt)))} (-W)`,
		'p95 ≤ 50 ms',
		verdict(shown.p95 <= 50),
	]);
	const kinds = [...new Set(samples.map(sample => `${sample.kind}|${sample.via}`))];
	for (const kind of kinds) {
		const [name, via] = kind.split('|');
		const group = samples.filter(sample => `${sample.kind}|${sample.via}` === kind);
		const outage = summaryOf(group.flatMap(sample => (sample.outage ? [sample.outage.ms] : [])));
		const lost = group.reduce((sum, sample) => sum + sample.lostWrites, 0);
		const failed = group.reduce((sum, sample) => sum + sample.failedWrites, 0);
		const ok = group.filter(sample => sample.isOk).length;
		rows.push([`7 ${name} via ${via} (n=${group.length}, ${ok} reported success): write outage median / max, failed, lost`, `${ms(outage.median)} / ${ms(outage.max)}, ${failed} failed, ${lost} lost`, '', '', '']);
	}
	const lead = summaryOf(switchoverLike.flatMap(sample => (sample.outage ? [sample.outage.firstAckAfter - sample.frameAt] : [])));
	rows.push(['7 writes resume after the new leader is on screen, median / min (negative: before)', `${ms(lead.median)} / ${ms(lead.min)}`, '', '', '']);
	const done = (via: Trigger) => summaryOf(switchoverLike.filter(sample => sample.via === via).map(sample => sample.doneAt - sample.writtenAt));
	rows.push([
		'7 switchover/failover reported done, after the leader key write, median / p95',
		`${medianP95(done('monitor'))} (operation, waits for HAProxy)`,
		medianP95(done('patronictl')),
		'',
		'',
	]);
	return rows;
}

export function rows(results: Results): Row[] {
	return [
		...changeRows('member key write', results.memberKey),
		...changeRows('leader key write (synthetic scope)', results.leaderKey),
		...leaderChangeRows(results.leaderChanges),
		...idleRows(results.idle),
		...startupRows(results.startup),
		...frameRows(results.frames, results.scale),
		...soakRows(results.soak, results.leak),
	];
}
