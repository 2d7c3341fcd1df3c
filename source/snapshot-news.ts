/** What the monitor asks of two successive snapshots before it draws: is the picture complete, is this news. Pure. */
import {SOURCE_NAMES, type ClusterSnapshot} from './model/snapshot-types.js';

/** The picture is complete when every source spoke and every member with an address has a PostgreSQL answer. */
export function isComplete(snapshot: ClusterSnapshot): boolean {
	const spoke = Object.values(snapshot.sources).every(source => !source.isEnabled || source.updatedAt !== undefined || source.error !== undefined);
	const asked = snapshot.members.filter(member => member.host !== undefined);
	const answered = asked.every(member => member.roles.postgres !== undefined || member.postgresError !== undefined);
	// Found through the DCS's api_url, a member's REST API is asked only on the poll after the DCS named it: until
	// then REST has spoken, but not of it (--json printed such a member with no word from its Patroni).
	const restAnswered = snapshot.members.filter(member => member.apiUrl !== undefined && !member.lost).every(member => member.roles.rest !== undefined || member.restError !== undefined);
	return spoke && (!snapshot.sources.postgres.isEnabled || answered) && (!snapshot.sources.rest.isEnabled || snapshot.sources.rest.error !== undefined || restAnswered);
}

/**
 * News that must not wait for the next tick, beyond what the event log records: a DCS key's value or the
 * leader changed (the watched, millisecond path), or a source started or stopped failing.
 */
export function hasNews(previous: ClusterSnapshot, next: ClusterSnapshot): boolean {
	if (previous.leader !== next.leader || previous.dcsKeys.length !== next.dcsKeys.length) return true;
	if (SOURCE_NAMES.some(name => (previous.sources[name].error === undefined) !== (next.sources[name].error === undefined))) return true;
	// reuseUnchanged keeps the very same array when no key changed: nothing to compare then.
	if (previous.dcsKeys === next.dcsKeys) return false;
	const values = new Map(previous.dcsKeys.map(key => [key.key, key.value]));
	return next.dcsKeys.some(key => values.get(key.key) !== key.value);
}
