/**
 * A standby cluster (Patroni's `standby_cluster` section): its leader is a standby leader that replays WAL from
 * another place, the primary cluster. What it follows comes from the DCS config; how far behind, from the standby
 * leader's own WAL receiver (pg_stat_wal_receiver: the end of WAL its sender last reported, minus what it has
 * replayed), so the lag is known without reaching the primary cluster at all. Pure.
 */
import type {Thresholds} from './alerts.js';
import {standbyTarget} from './fleet-scope.js';
import {formatBytes} from './format.js';
import type {Alert} from './snapshot-types.js';
import type {SourceStates} from './source-state.js';
import type {DcsMemberData, DcsView} from './views.js';

export type StandbyInfo = {
	/** host:port the config names (standby_cluster.host/port), when it names one. */
	readonly source?: string;
	/** Where the standby leader's WAL receiver actually connects (sender_host:sender_port), when it runs. */
	readonly sender?: string;
	/** The WAL receiver's status ("streaming", "stopping", …); absent when none runs. */
	readonly receiverStatus?: string;
	/** Bytes the standby leader trails its sender by (never below 0). */
	readonly lagBytes?: number;
	/** Seconds since the last replayed transaction while behind; 0 when caught up. */
	readonly lagSeconds?: number;
	/** Seconds since the sender last reported its end of WAL. */
	readonly contactAgeSeconds?: number;
};

function configOf(dcs: DcsView | undefined): Record<string, unknown> | undefined {
	const parsed = dcs?.keys.find(key => key.key === 'config')?.parsed;
	return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

function leaderRole(states: SourceStates, leader: string | undefined, dcsMembers: ReadonlyMap<string, DcsMemberData>): string | undefined {
	if (!leader) return undefined;
	return states.rest.data?.cluster?.members.find(member => member.name === leader)?.role ?? dcsMembers.get(leader)?.role;
}

/** The standby picture, or undefined for a cluster that is not one. */
export function standbyOf(states: SourceStates, leader: string | undefined, dcsMembers: ReadonlyMap<string, DcsMemberData>): StandbyInfo | undefined {
	const target = standbyTarget(configOf(states.dcs.data));
	if (!target && leaderRole(states, leader, dcsMembers) !== 'standby_leader') return undefined;
	const receiver = leader ? states.postgres.data?.members[leader]?.walReceiver : undefined;
	const lagBytes = receiver?.behindBytes === null || receiver?.behindBytes === undefined ? undefined : Math.max(0, receiver.behindBytes);
	const delay = leader ? states.postgres.data?.members[leader]?.replayDelaySeconds : undefined;
	const lagSeconds = lagBytes === undefined ? undefined : lagBytes === 0 ? 0 : delay ?? undefined;
	const info: StandbyInfo = {
		...(target ? {source: target.text} : {}),
		...(receiver?.senderHost ? {sender: `${receiver.senderHost}:${receiver.senderPort ?? 5432}`} : {}),
		...(receiver ? {receiverStatus: receiver.status} : {}),
		...(lagBytes === undefined ? {} : {lagBytes}),
		...(lagSeconds === undefined || lagSeconds === null ? {} : {lagSeconds}),
		...(receiver?.contactAgeSeconds === null || receiver?.contactAgeSeconds === undefined ? {} : {contactAgeSeconds: receiver.contactAgeSeconds}),
	};
	return info;
}

/** What a standby cluster's own picture should warn of: not following its source, or trailing it too far. */
export function standbyAlerts(standby: StandbyInfo | undefined, leader: string | undefined, hasLeaderSql: boolean, thresholds: Thresholds): Alert[] {
	if (!standby || !leader) return [];
	const from = standby.source ?? standby.sender ?? 'its source';
	if (standby.receiverStatus === undefined) {
		// Without SQL there is no saying; with it, no receiver means WAL comes from an archive, if at all.
		return hasLeaderSql ? [{id: 'standby-no-receiver', severity: 'warning', member: leader, message: `Standby leader ${leader} is not streaming from ${from} (no WAL receiver: from an archive, if at all)`}] : [];
	}
	if (standby.receiverStatus !== 'streaming') {
		return [{id: 'standby-receiver', severity: 'warning', member: leader, message: `Standby leader ${leader}'s WAL receiver is ${standby.receiverStatus}, not streaming from ${from}`}];
	}
	const bytes = standby.lagBytes ?? 0;
	const seconds = standby.lagSeconds ?? 0;
	if (bytes > thresholds.lagBytes || seconds > thresholds.lagSeconds) {
		return [{id: 'standby-lag', severity: 'warning', member: leader, message: `The standby cluster trails ${from} by ${formatBytes(bytes)} / ${seconds.toFixed(1)} s`}];
	}
	return [];
}
