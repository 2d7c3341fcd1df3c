/** Roles that mean "this member is the primary", across Patroni versions (1.6 says master, 4 says primary). */
export const LEADER_ROLES: ReadonlySet<string> = new Set(['leader', 'master', 'primary', 'standby_leader']);

export function isLeaderRole(role: string | undefined): boolean {
	return role !== undefined && LEADER_ROLES.has(role);
}
