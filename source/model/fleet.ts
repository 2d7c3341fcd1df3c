/**
 * Every Patroni cluster one DCS namespace holds, one row each, from the keys of the namespace-wide source
 * (etcd3Source/etcd2Source without a scope). Pure: the same keys give the same rows.
 */
import {fleetRow, type FleetRow, type FleetSeverity, type FleetThresholds} from './fleet-row.js';
import {keysByScope, memberAddresses, scopeFacts, standbyTarget, type ScopeFacts} from './fleet-scope.js';
import type {DcsKey} from './views.js';

export type {ClusterKind, FleetRow, FleetSeverity, FleetThresholds} from './fleet-row.js';

const RANK: Readonly<Record<FleetSeverity, number>> = {critical: 0, warning: 1, ok: 2};
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every scope that has any key, sorted. */
export function fleetScopes(keys: readonly DcsKey[]): string[] {
	return [...keysByScope(keys).keys()].sort(byText);
}

/**
 * The cluster a standby follows. First the other scope with a member at the standby_cluster's host:port, compared
 * as written (no DNS: "localhost" is not 127.0.0.1 here; the first by name when several are). A standby pointed
 * at a proxy (HAProxy's primary listener) names no member: then the one primary cluster with the same system
 * identifier in its `initialize` key, which a standby made by a base backup of it shares (none when two share it).
 */
function findPrimaryScope(facts: ScopeFacts, all: readonly ScopeFacts[]): string | undefined {
	const target = standbyTarget(facts.config);
	if (!target) return undefined;
	const wanted = new Set(target.addresses);
	const byAddress = all.find(other => other.scope !== facts.scope && memberAddresses(other).some(address => wanted.has(address)))?.scope;
	if (byAddress !== undefined || facts.systemId === undefined) return byAddress;
	const sameSystem = all.filter(other => other.scope !== facts.scope && other.systemId === facts.systemId && standbyTarget(other.config) === undefined);
	return sameSystem.length === 1 ? sameSystem[0]!.scope : undefined;
}

/** Each row's parent: its primary's scope, unless following parents from there leads back to it (a cycle). */
function parentsOf(rows: readonly FleetRow[]): Map<string, string> {
	const inFleet = new Set(rows.map(row => row.scope));
	const parents = new Map<string, string>();
	for (const row of rows) {
		const parent = row.primaryScope;
		if (parent === undefined || !inFleet.has(parent)) continue;
		let ancestor: string | undefined = parent;
		while (ancestor !== undefined && ancestor !== row.scope) ancestor = parents.get(ancestor);
		if (ancestor === undefined) parents.set(row.scope, parent);
	}
	return parents;
}

/**
 * Worst first, with each standby cluster directly under its primary (and a standby of that standby under it):
 * a primary and its standbys are one group, ranked by the worst severity in the group, then by the primary's
 * scope. So a critical standby lifts its healthy primary with it to the top, rather than leaving the group; within
 * a group the primary comes first, then its standbys, worst first, then by scope.
 */
function ordered(rows: readonly FleetRow[]): FleetRow[] {
	const parents = parentsOf(rows);
	const children = new Map<string, FleetRow[]>();
	for (const row of rows) {
		const parent = parents.get(row.scope);
		if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), row]);
	}
	const worst = new Map<string, number>();
	const worstOf = (row: FleetRow): number => {
		const known = worst.get(row.scope);
		if (known !== undefined) return known;
		const rank = Math.min(RANK[row.severity], ...(children.get(row.scope) ?? []).map(worstOf));
		worst.set(row.scope, rank);
		return rank;
	};
	const compare = (a: FleetRow, b: FleetRow) => worstOf(a) - worstOf(b) || byText(a.scope, b.scope);
	const walk = (row: FleetRow): FleetRow[] => [row, ...[...(children.get(row.scope) ?? [])].sort(compare).flatMap(walk)];
	return rows.filter(row => !parents.has(row.scope)).sort(compare).flatMap(walk);
}

/** The fleet from keys relative to the namespace prefix ("billing/leader"), sorted worst first. */
export function fleetFromKeys(keys: readonly DcsKey[], thresholds: FleetThresholds): FleetRow[] {
	const all = [...keysByScope(keys)].map(([scope, own]) => scopeFacts(scope, own)).sort((a, b) => byText(a.scope, b.scope));
	return ordered(all.map(facts => fleetRow(facts, findPrimaryScope(facts, all), thresholds)));
}

/** The rows whose scope or leader contains what was typed, ignoring case; all of them when nothing was. */
export function filterFleet(rows: readonly FleetRow[], typed: string): FleetRow[] {
	const wanted = typed.trim().toLowerCase();
	if (wanted === '') return [...rows];
	return rows.filter(row => row.scope.toLowerCase().includes(wanted) || (row.leader?.toLowerCase().includes(wanted) ?? false));
}

/** Whether any cluster has no leader: --json's exit code says so. */
export function fleetHasLeaderless(rows: readonly FleetRow[]): boolean {
	return rows.some(row => row.leader === undefined);
}
