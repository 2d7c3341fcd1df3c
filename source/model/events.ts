import {formatClock, formatDuration} from './format.js';
import type {AlertSeverity, ClusterSnapshot, MemberRow} from './snapshot-types.js';

export type LogEvent = {readonly at: number; readonly text: string; readonly severity: AlertSeverity};

function byName<T extends {readonly name: string}>(items: readonly T[]): Map<string, T> {
	return new Map(items.map(item => [item.name, item]));
}

/**
 * What changed between two snapshots, as a person would say it: leader changed, member joined or left,
 * timeline changed, backend up or down, container died or started, alert raised or cleared. Pure.
 */
export function diffSnapshots(previous: ClusterSnapshot | undefined, next: ClusterSnapshot): LogEvent[] {
	if (!previous) return [];
	const events: LogEvent[] = [];
	const add = (text: string, severity: AlertSeverity = 'info') => events.push({at: next.at, text, severity});
	if (previous.leader !== next.leader) {
		add(next.leader ? `leader changed: ${previous.leader ?? 'none'} → ${next.leader}` : `leader lost (was ${previous.leader})`, next.leader ? 'warning' : 'critical');
	}
	if (previous.timeline !== undefined && next.timeline !== undefined && previous.timeline !== next.timeline) {
		add(`timeline changed: ${previous.timeline} → ${next.timeline}`, 'warning');
	}
	const before = byName(previous.members);
	const after = byName(next.members);
	for (const [name, member] of after) {
		const old = before.get(name);
		if (!old) {
			add(`member joined: ${name}`);
			continue;
		}
		if (!old.lost && member.lost) add(`member lost: ${name} left the DCS (last seen ${formatClock(member.lost.at)})`, 'warning');
		else if (old.isInDcs && !member.isInDcs) add(`member left the DCS: ${name}`, 'warning');
		// No longer lost and registered (in /cluster when there is no DCS source) is back; no longer lost but still
		// unregistered was dismissed, which the monitor logs itself.
		const isRegistered = member.isInDcs || (!next.sources.dcs.isEnabled && member.roles.rest !== undefined);
		if (old.lost && !member.lost) {
			if (isRegistered) add(`member back: ${name} (lost for ${formatDuration(next.at - old.lost.at)})`);
		} else if (!old.isInDcs && member.isInDcs) add(`member registered in the DCS: ${name}`);
		// While lost, the role is only a default (no source names one): the loss and the return say it all.
		if (old.state !== member.state && member.state && !old.lost) add(`${name} state: ${old.state ?? '?'} → ${member.state}`);
		if (old.role !== member.role && !old.lost && !member.lost) add(`${name} role: ${old.role} → ${member.role}`);
		if (old.container?.state !== member.container?.state && member.container) {
			const died = member.container.state === 'exited' || member.container.state === 'dead';
			add(`container ${member.container.name} ${died ? 'died' : member.container.state}`, died ? 'warning' : 'info');
		}
	}
	// A lost member leaves the table only when dismissed (see lostMemberDismissed).
	for (const [name, member] of before) if (!after.has(name) && !member.lost) add(`member left: ${name}`, 'warning');
	const oldBackends = new Map(previous.backends.map(server => [`${server.proxy}/${server.server}`, server.status]));
	for (const server of next.backends) {
		const was = oldBackends.get(`${server.proxy}/${server.server}`);
		if (was !== undefined && was !== server.status) add(`backend ${server.proxy}/${server.server} ${was} → ${server.status}`);
	}
	const oldInfra = new Map(previous.containers.map(container => [container.id, container.state]));
	for (const container of next.containers.filter(c => c.role !== 'member')) {
		const was = oldInfra.get(container.id);
		if (was !== undefined && was !== container.state) add(`container ${container.name} ${was} → ${container.state}`, container.state === 'running' ? 'info' : 'warning');
	}
	const oldAlerts = new Set(previous.alerts.map(alert => alert.id));
	const newAlerts = new Set(next.alerts.map(alert => alert.id));
	for (const alert of next.alerts) if (!oldAlerts.has(alert.id)) add(`alert raised: ${alert.message}`, alert.severity);
	for (const alert of previous.alerts) if (!newAlerts.has(alert.id)) add(`alert cleared: ${alert.message}`);
	return events;
}

/** The engineer dismissed a lost member (it is no news from the cluster, so no diff sees it). */
export function lostMemberDismissed(member: MemberRow, at: number): LogEvent {
	const seen = member.lost ? ` (last seen ${formatClock(member.lost.at)})` : '';
	return {at, severity: 'info', text: `lost member dismissed: ${member.name}${seen}`};
}

/** Keeps the newest `limit` events: the log pane and memory stay bounded however long the monitor runs. */
export function appendEvents(log: readonly LogEvent[], added: readonly LogEvent[], limit = 500): readonly LogEvent[] {
	if (added.length === 0) return log;
	const merged = [...log, ...added];
	return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}
