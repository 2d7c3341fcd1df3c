/** One cluster of a fleet as a row: its leader, members, timeline, lag, and what is wrong with it, in words. */
import {formatBytes} from './format.js';
import {finiteNumber, hasStandbyConfig, standbyTarget, type FleetMember, type ScopeFacts} from './fleet-scope.js';

export type ClusterKind = 'primary' | 'standby';
export type FleetSeverity = 'critical' | 'warning' | 'ok';
export type FleetThresholds = {readonly lagBytes: number};

export type FleetRow = {
	readonly scope: string;
	/** standby: the leader member's role is standby_leader, or the config has a standby_cluster section. */
	readonly kind: ClusterKind;
	/** What the standby replicates from: the primary cluster's scope when found in the same DCS, else host:port. */
	readonly standbySource?: string;
	/** The scope whose member sits at the standby_cluster's host:port. */
	readonly primaryScope?: string;
	/** The leader key's value. */
	readonly leader?: string;
	/** Member keys whose state is running (or streaming, as Patroni 4 details a healthy replica). */
	readonly membersUp: number;
	readonly membersTotal: number;
	/** The leader member's timeline, else the last one history lists + 1. */
	readonly timeline?: number;
	/** The furthest a member's xlog_location is behind the leader's; undefined when unknown. */
	readonly worstLagBytes?: number;
	/** config.pause */
	readonly isPaused: boolean;
	/** Sentences, worst first: "no leader", "node2 is stopped", "node3 lags 12 MiB", "paused", "no member keys". */
	readonly alerts: readonly string[];
	/** critical: no leader, or no member running; warning: a member not running, lag over threshold, paused. */
	readonly severity: FleetSeverity;
};

const UP_STATES = new Set(['running', 'streaming']);

const isUp = (member: FleetMember) => member.data?.state !== undefined && UP_STATES.has(member.data.state);

type Alert = {readonly severity: 'critical' | 'warning'; readonly text: string};

/** Bytes each member (the leader aside) is behind the leader's position, when both are known. */
function lagByMember(facts: ScopeFacts, leader: FleetMember | undefined): Map<string, number> {
	const lags = new Map<string, number>();
	const position = finiteNumber(leader?.data?.xlog_location) ?? facts.optime;
	if (position === undefined) return lags;
	for (const member of facts.members) {
		const at = finiteNumber(member.data?.xlog_location);
		if (member !== leader && at !== undefined) lags.set(member.name, Math.max(0, position - at));
	}
	return lags;
}

function memberAlerts(member: FleetMember, lag: number | undefined, thresholds: FleetThresholds): Alert[] {
	if (member.data === undefined) return [{severity: 'warning', text: `${member.name}'s member key is not JSON`}];
	const alerts: Alert[] = [];
	const {state} = member.data;
	if (!isUp(member)) alerts.push({severity: 'warning', text: typeof state === 'string' && state !== '' ? `${member.name} is ${state}` : `${member.name} says no state`});
	if (lag !== undefined && lag > thresholds.lagBytes) alerts.push({severity: 'warning', text: `${member.name} lags ${formatBytes(lag)}`});
	return alerts;
}

function rowAlerts(facts: ScopeFacts, leader: FleetMember | undefined, lags: ReadonlyMap<string, number>, isPaused: boolean, thresholds: FleetThresholds): Alert[] {
	const alerts: Alert[] = [];
	if (facts.leader === undefined) alerts.push({severity: 'critical', text: 'no leader'});
	if (facts.members.length === 0) alerts.push({severity: 'critical', text: 'no member keys'});
	else if (!facts.members.some(isUp)) alerts.push({severity: 'critical', text: 'no member is running'});
	// Patroni deletes the leader key with its own member key's lease: a leader without one is someone else's write.
	if (facts.leader !== undefined && leader === undefined) alerts.push({severity: 'warning', text: `the leader ${facts.leader} has no member key`});
	for (const member of facts.members) alerts.push(...memberAlerts(member, lags.get(member.name), thresholds));
	if (isPaused) alerts.push({severity: 'warning', text: 'paused'});
	return alerts;
}

/** The row of one scope; `primaryScope` is the cluster it follows, found by address or system identifier (fleet.ts). */
export function fleetRow(facts: ScopeFacts, primaryScope: string | undefined, thresholds: FleetThresholds): FleetRow {
	const leader = facts.leader === undefined ? undefined : facts.members.find(member => member.name === facts.leader);
	const isStandby = leader?.data?.role === 'standby_leader' || hasStandbyConfig(facts.config);
	const standbySource = primaryScope ?? standbyTarget(facts.config)?.text;
	const lags = lagByMember(facts, leader);
	const isPaused = facts.config?.['pause'] === true;
	const alerts = rowAlerts(facts, leader, lags, isPaused, thresholds);
	const leaderTimeline = finiteNumber(leader?.data?.timeline);
	const timeline = leaderTimeline ?? (facts.lastHistoryTimeline === undefined ? undefined : facts.lastHistoryTimeline + 1);
	const worstLagBytes = lags.size === 0 ? undefined : Math.max(...lags.values());
	const severity: FleetSeverity = alerts.some(alert => alert.severity === 'critical') ? 'critical' : alerts.length > 0 ? 'warning' : 'ok';
	const order = {critical: 0, warning: 1};
	return {
		scope: facts.scope,
		kind: isStandby ? 'standby' : 'primary',
		...(isStandby && standbySource !== undefined ? {standbySource} : {}),
		...(isStandby && primaryScope !== undefined ? {primaryScope} : {}),
		...(facts.leader === undefined ? {} : {leader: facts.leader}),
		membersUp: facts.members.filter(isUp).length,
		membersTotal: facts.members.length,
		...(timeline === undefined ? {} : {timeline}),
		...(worstLagBytes === undefined ? {} : {worstLagBytes}),
		isPaused,
		// A stable sort: within one severity, the order rowAlerts found them in (cluster first, then by member).
		alerts: [...alerts].sort((a, b) => order[a.severity] - order[b.severity]).map(alert => alert.text),
		severity,
	};
}
