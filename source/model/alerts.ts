import type {Alert, ClusterSnapshot, MemberRow} from './snapshot-types.js';
import {standbyAlerts} from './standby.js';

export type Thresholds = {
	/** A replica further behind than this many bytes (replay) is an alert. */
	readonly lagBytes: number;
	/** ...or than this many seconds. */
	readonly lagSeconds: number;
};

export const DEFAULT_THRESHOLDS: Thresholds = {lagBytes: 1_048_576, lagSeconds: 10};

type AlertInput = Omit<ClusterSnapshot, 'alerts' | 'state'>;

const RUNNING_STATES = new Set(['running', 'streaming']);
const NOT_SERVING = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|timeout|terminated|shutting down|starting up|no answer within/i;

/** Whether the monitor's SQL reached this member (so what PostgreSQL lacks is news, not our blindness). */
const hasSql = (member: MemberRow | undefined) => member?.roles.postgres !== undefined && !member.postgresError;

function uniq(values: ReadonlyArray<string | undefined>): string[] {
	return [...new Set(values.filter((value): value is string => value !== undefined))];
}

function leaderAlerts(input: AlertInput): Alert[] {
	const alerts: Alert[] = [];
	const {dcs, rest, haproxy = [], postgres = []} = input.leaderBy;
	if (!input.leader) alerts.push({id: 'no-leader', severity: 'critical', message: 'No leader: no member holds the leader key'});
	if (postgres.length > 1) {
		alerts.push({id: 'split-brain', severity: 'critical', message: `Split brain: ${postgres.join(', ')} are all out of recovery (writable)`});
	}
	// Without its DCS, Patroni demotes the leader but cannot remove the key, which still names it: PostgreSQL's
	// own answer tells whether anything accepts writes.
	const leader = input.members.find(member => member.name === input.leader);
	if (leader?.role === 'leader' && !input.standby && leader.roles.rest !== 'standby_leader' && leader.roles.postgres === 'replica' && postgres.length === 0) {
		alerts.push({id: 'leader-in-recovery', severity: 'critical', member: leader.name, message: `${leader.name} holds the leader key, but its PostgreSQL is in recovery: no member accepts writes`});
	}
	const views = uniq([dcs, rest, ...haproxy]);
	if (views.length > 1) {
		const parts = [dcs && `DCS ${dcs}`, rest && `REST ${rest}`, haproxy.length > 0 && `HAProxy ${haproxy.join('+')}`].filter(Boolean);
		alerts.push({id: 'leader-disagreement', severity: 'critical', message: `Sources disagree on the leader: ${parts.join(', ')}`});
	}
	if (haproxy.length > 1) {
		alerts.push({id: 'haproxy-two-primaries', severity: 'critical', message: `HAProxy routes writes to ${haproxy.join(' and ')}`});
	}
	return alerts;
}

function memberAlerts(member: MemberRow, input: AlertInput, thresholds: Thresholds): Alert[] {
	const alerts: Alert[] = [];
	const at = (kind: string) => `${kind}:${member.name}`;
	if (member.lost) {
		alerts.push({id: at('lost'), severity: 'warning', member: member.name, message: `${member.name} is lost: its member key left the DCS`});
		return alerts;
	}
	if (!member.isInDcs) {
		alerts.push({id: at('not-in-dcs'), severity: 'warning', member: member.name, message: `${member.name} is seen by Docker or HAProxy but has no member key in the DCS`});
		return alerts;
	}
	// The DCS keeps a member's last word for a TTL after it stops answering: a dead or frozen member must not
	// look healthy meanwhile, so its container and its own REST API speak first.
	if (member.container && member.container.state !== 'running') {
		alerts.push({id: at('container'), severity: 'warning', member: member.name, message: `${member.name}'s container is ${member.container.state}`});
	} else if (member.restError?.includes(' answers for scope ')) {
		alerts.push({id: at('rest'), severity: 'warning', member: member.name, message: `${member.name}'s REST API is another cluster's: ${member.restError}`});
	} else if (member.restError) {
		alerts.push({id: at('rest'), severity: 'warning', member: member.name, message: `${member.name}'s Patroni does not answer: ${member.restError}`});
	}
	if (member.state && !RUNNING_STATES.has(member.state)) {
		alerts.push({id: at('not-running'), severity: 'warning', member: member.name, message: `${member.name} is ${member.state}`});
	}
	const isReplica = member.role === 'replica' || member.role === 'sync_standby';
	if (isReplica && input.leader && member.replicationState !== 'streaming' && member.state !== 'streaming') {
		alerts.push({id: at('not-streaming'), severity: 'warning', member: member.name, message: `${member.name} is not streaming from ${input.leader}`});
	}
	const bytes = member.replayLagBytes ?? 0;
	const seconds = member.replayLagSeconds ?? 0;
	if (isReplica && (bytes > thresholds.lagBytes || seconds > thresholds.lagSeconds)) {
		alerts.push({id: at('lag'), severity: 'warning', member: member.name, message: `${member.name} lags ${bytes} bytes / ${seconds.toFixed(1)} s behind`});
	}
	if (input.timeline !== undefined && member.timeline !== undefined && member.timeline !== input.timeline) {
		alerts.push({id: at('timeline'), severity: 'warning', member: member.name, message: `${member.name} is on timeline ${member.timeline}, the leader on ${input.timeline}`});
	}
	if (member.postgresError) {
		// Refused, cut or silent is a server that is not serving (the leader's: no writes); anything else, such as
		// a missing password, is the monitor's own access, not news about the cluster.
		const isDown = NOT_SERVING.test(member.postgresError);
		const message = isDown ? `${member.name}'s PostgreSQL does not answer: ${member.postgresError}` : `${member.name}: PostgreSQL not asked: ${member.postgresError}`;
		alerts.push({id: at('sql'), severity: isDown ? 'warning' : 'info', member: member.name, message});
	}
	if (member.pendingRestart) {
		const why = member.pendingRestartReason ? ` (${member.pendingRestartReason})` : '';
		alerts.push({id: at('pending-restart'), severity: 'info', member: member.name, message: `${member.name} needs a restart${why}`});
	}
	if (member.scheduledRestart) {
		alerts.push({id: at('scheduled-restart'), severity: 'info', member: member.name, message: `${member.name} restart scheduled at ${member.scheduledRestart}`});
	}
	return alerts;
}

/**
 * Patroni writes every member key as a JSON object; anything else there was written by someone else, and
 * Patroni itself reads it as a member it knows nothing about.
 */
function dcsKeyAlerts(input: AlertInput): Alert[] {
	const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
	return input.dcsKeys
		.filter(key => key.key.startsWith('members/') && !isObject(key.parsed))
		.map(key => ({
			id: `dcs-key:${key.key}`,
			severity: 'warning' as const,
			member: key.key.slice('members/'.length),
			message: `${key.key} in the DCS is not valid JSON: ${JSON.stringify(key.value.slice(0, 40))}`,
		}));
}

function sourceAlerts(input: AlertInput): Alert[] {
	return Object.values(input.sources)
		.filter(source => source.isEnabled && (source.error !== undefined || source.isStale))
		.map(source => ({
			id: `source:${source.name}`,
			severity: 'warning' as const,
			message: source.error ? `${source.name} source failing: ${source.error}` : `${source.name} source stale`,
		}));
}

/** Every condition worth a look, most severe first. Pure: same snapshot, same alerts. */
export function deriveAlerts(input: AlertInput, thresholds: Thresholds = DEFAULT_THRESHOLDS): Alert[] {
	const alerts = [
		...leaderAlerts(input),
		...dcsKeyAlerts(input),
		...input.members.flatMap(member => memberAlerts(member, input, thresholds)),
		...(input.isPaused ? [{id: 'paused', severity: 'info' as const, message: 'Cluster is paused (maintenance mode): no automatic failover'}] : []),
		...(input.scheduledSwitchover
			? [{id: 'scheduled-switchover', severity: 'info' as const, message: `Switchover scheduled at ${input.scheduledSwitchover.at}`}]
			: []),
		...sourceAlerts(input),
		...standbyAlerts(input.standby, input.leader, hasSql(input.members.find(member => member.name === input.leader)), thresholds),
	];
	const order = {critical: 0, warning: 1, info: 2};
	return alerts.sort((a, b) => order[a.severity] - order[b.severity]);
}
