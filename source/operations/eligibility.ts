/**
 * Who may take over, decided from the snapshot alone (pure): the UI lists candidates with it, and the operations
 * refuse with the same reasons before anything is sent.
 */
import {formatBytes} from '../model/format.js';
import type {ClusterSnapshot, MemberRow} from '../model/snapshot-types.js';

/** Patroni's own default for maximum_lag_on_failover. */
export const DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1_048_576;

export type Ineligible = {readonly member: string; readonly reason: string};
export type Candidates = {readonly eligible: readonly string[]; readonly ineligible: readonly Ineligible[]};

function dcsConfig(snapshot: ClusterSnapshot): Record<string, unknown> {
	const parsed = snapshot.dcsKeys.find(key => key.key === 'config')?.parsed;
	return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

export function maximumLagOnFailover(snapshot: ClusterSnapshot): number {
	const value = dcsConfig(snapshot)['maximum_lag_on_failover'];
	return typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_MAXIMUM_LAG_ON_FAILOVER;
}

export function isSynchronousMode(snapshot: ClusterSnapshot): boolean {
	const value = dcsConfig(snapshot)['synchronous_mode'];
	return value === true || value === 'on' || value === 'quorum';
}

/** Tags arrive as booleans from YAML, but Patroni also accepts "true"/"yes"/"on" strings. */
function isTagOn(value: unknown): boolean {
	return value === true || (typeof value === 'string' && /^(true|yes|on|1)$/i.test(value));
}

const isRunning = (member: MemberRow) => member.state === 'running' || member.state === 'streaming';
/** pg_stat_replication as the leader sees it; Patroni 3.0.4+ also says "streaming" in the member's own state. */
const isStreaming = (member: MemberRow) => member.replicationState === 'streaming' || member.state === 'streaming';

/** The leader when it is there to hand over: named in the DCS, running, and its REST API answering. */
export function healthyLeader(snapshot: ClusterSnapshot): MemberRow | undefined {
	const leader = snapshot.members.find(member => member.name === snapshot.leader);
	// Docker says so first: a killed or paused container stops answering well before its REST error shows up.
	const isContainerUp = leader?.container === undefined || leader.container.state === 'running';
	return leader && isRunning(leader) && !leader.restError && isContainerUp ? leader : undefined;
}

/** Why a member cannot take a failover, or undefined: Patroni's own limits (reachable, running, no nofailover). */
function failoverReason(member: MemberRow, snapshot: ClusterSnapshot): string | undefined {
	if (member.name === snapshot.leader) return healthyLeader(snapshot) ? 'is the leader' : 'is the leader that failed';
	if (!member.isInDcs) return 'is not registered in the DCS';
	if (isTagOn(member.tags['nofailover'])) return 'is tagged nofailover';
	if (member.restError) return `its Patroni REST API does not answer (${member.restError})`;
	if (!isRunning(member)) return `is ${member.state ?? 'in an unknown state'}`;
	// Patroni drops a failover to anyone else while the leader runs, and without a leader it would promote a
	// replica that may lack acknowledged commits: only the synchronous standby is known to have them all.
	if (isSynchronousMode(snapshot) && member.role !== 'sync_standby') return 'is not the synchronous standby (synchronous_mode is on)';
	return undefined;
}

function switchoverReason(member: MemberRow, snapshot: ClusterSnapshot, maximumLag: number): string | undefined {
	const basic = failoverReason(member, snapshot);
	if (basic) return basic;
	if (!isStreaming(member)) return `is not streaming from the leader (${member.replicationState ?? 'no replication connection seen'})`;
	if (member.replayLagBytes === undefined) return 'has an unknown replay lag';
	if (member.replayLagBytes > maximumLag) {
		return `replays ${formatBytes(member.replayLagBytes)} behind, more than maximum_lag_on_failover (${formatBytes(maximumLag)})`;
	}
	return undefined;
}

function sortOut(snapshot: ClusterSnapshot, reasonOf: (member: MemberRow) => string | undefined): Candidates {
	const eligible: string[] = [];
	const ineligible: Ineligible[] = [];
	for (const member of snapshot.members) {
		const reason = reasonOf(member);
		if (reason === undefined) eligible.push(member.name);
		else ineligible.push({member: member.name, reason});
	}
	return {eligible, ineligible};
}

/** Running replicas that stream, replay within maximum_lag_on_failover and carry no nofailover tag. */
export function switchoverCandidates(snapshot: ClusterSnapshot): Candidates {
	const maximumLag = maximumLagOnFailover(snapshot);
	return sortOut(snapshot, member => switchoverReason(member, snapshot, maximumLag));
}

/** A failover may go to a replica that no longer streams (its leader is gone), but not to one Patroni would refuse. */
export function failoverCandidates(snapshot: ClusterSnapshot): Candidates {
	return sortOut(snapshot, member => failoverReason(member, snapshot));
}

/** The reason a named member cannot be chosen, including "no such member"; undefined when it can. */
export function whyNot(candidates: Candidates, snapshot: ClusterSnapshot, name: string): string | undefined {
	if (!snapshot.members.some(member => member.name === name)) {
		return `${name} is not a member of ${snapshot.scope} (members: ${snapshot.members.map(member => member.name).join(', ') || 'none seen'})`;
	}
	const found = candidates.ineligible.find(entry => entry.member === name);
	return found && `${name} ${found.reason}`;
}
