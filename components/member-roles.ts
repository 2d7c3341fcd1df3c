/** Reading a member's role as each source reports it: when they disagree, that is the news. */
import {isLeaderRole} from '../source/model/roles.js';
import type {MemberRow, RoleViews} from '../source/model/snapshot-types.js';

type Opinion = 'primary' | 'replica';

/** Each source's view reduced to primary/replica. HAProxy's `down` says nothing about the role, so it is left out. */
export function roleOpinions(roles: RoleViews): Opinion[] {
	const opinions: Opinion[] = [];
	for (const role of [roles.dcs, roles.rest]) {
		// A standby leader runs in recovery, so PostgreSQL calls it a replica: that is agreement, not conflict.
		if (role !== undefined && role !== 'unknown') opinions.push(isLeaderRole(role) && role !== 'standby_leader' ? 'primary' : 'replica');
	}
	if (roles.postgres) opinions.push(roles.postgres);
	if (roles.haproxy === 'primary' || roles.haproxy === 'replica') opinions.push(roles.haproxy);
	return opinions;
}

export function hasRoleDisagreement(roles: RoleViews): boolean {
	return new Set(roleOpinions(roles)).size > 1;
}

/** Who says what, grouped so it fits a line: `etcd, REST: replica · SQL: primary · HAProxy: down`. */
export function describeRoles(roles: RoleViews): string {
	const says = new Map<string, string[]>();
	const views: Array<[string, string | undefined]> = [['etcd', roles.dcs], ['REST', roles.rest], ['SQL', roles.postgres], ['HAProxy', roles.haproxy]];
	for (const [source, role] of views) if (role !== undefined) says.set(role, [...(says.get(role) ?? []), source]);
	return [...says].map(([role, sources]) => `${sources.join(', ')}: ${role}`).join(' · ');
}

const SHORT_ROLES: Readonly<Record<MemberRow['role'], string>> = {
	leader: 'leader',
	replica: 'replica',
	sync_standby: 'sync',
	standby_leader: 'stby-ldr',
	unknown: '?',
};

export function shortRole(role: MemberRow['role']): string {
	return SHORT_ROLES[role];
}

const BAD_STATES = new Set(['stopped', 'crashed', 'start failed', 'stopping failed', 'restart failed']);
const BUSY_STATES = new Set(['starting', 'stopping', 'restarting', 'creating replica', 'initializing new cluster', 'running custom bootstrap script']);

/** How worried the row should look: errors and dead members red, members on their way somewhere yellow. */
export function memberTone(member: MemberRow): 'bad' | 'warn' | undefined {
	if (member.lost) return 'bad';
	if (member.restError || member.postgresError) return 'bad';
	if (member.state && BAD_STATES.has(member.state)) return 'bad';
	if (member.container && member.container.state !== 'running') return 'bad';
	if (member.state && BUSY_STATES.has(member.state)) return 'warn';
	if (!member.isInDcs) return 'warn';
	return undefined;
}
