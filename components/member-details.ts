/** What the Members table cannot fit in a row, said about the selected member in the lines under it. */
import {formatBytes, formatSeconds, oneLine} from '../source/model/format.js';
import type {MemberRow} from '../source/model/snapshot-types.js';
import type {PostgresSslUse} from '../source/model/views.js';
import {formatTags} from './member-columns.js';
import {memoryDetails} from './member-memory-text.js';
import {describeRoles, hasRoleDisagreement} from './member-roles.js';
import type {ToneText} from './source-health.js';

/** Most urgent first: errors, then what differs from a healthy member, then plain facts. */
export function memberDetails(member: MemberRow): ToneText[] {
	// Lost is the news for a lost member, before the errors of the sources that still try it.
	const items: ToneText[] = member.lost ? memoryDetails(member) : [];
	if (member.restError) items.push({text: `✗ REST: ${oneLine(member.restError)}`, tone: 'bad'});
	if (member.postgresError) items.push({text: `✗ SQL: ${oneLine(member.postgresError)}`, tone: 'bad'});
	if (!member.lost) items.push(...memoryDetails(member));
	if (hasRoleDisagreement(member.roles)) items.push({text: `≠ roles: ${describeRoles(member.roles)}`, tone: 'bad'});
	if (!member.isInDcs && !member.lost) items.push({text: 'not registered in etcd', tone: 'warn'});
	if (member.pendingRestart) {
		const reason = member.pendingRestartReason ? `: ${oneLine(member.pendingRestartReason)}` : '';
		items.push({text: `↻ pending restart${reason}`, tone: 'warn'});
	}
	if (member.scheduledRestart) items.push({text: `restart scheduled ${member.scheduledRestart}`, tone: 'info'});
	if (member.container) {
		const {name, state, restartCount, proof} = member.container;
		const restarts = restartCount ? ` · ${restartCount} restarts` : '';
		items.push({text: `container ${name} ${state}${restarts} · proved by ${proof.text}`, tone: state === 'running' ? undefined : 'bad'});
	}
	if (member.role !== 'leader' && (member.receiveLagBytes !== undefined || member.replayLagBytes !== undefined)) {
		const replayTime = member.replayLagSeconds === undefined ? '' : ` ${formatSeconds(member.replayLagSeconds)}`;
		const state = member.replicationState ? ` · ${member.replicationState}` : '';
		items.push({text: `lag receive ${formatBytes(member.receiveLagBytes)} · replay ${formatBytes(member.replayLagBytes)}${replayTime}${state}`});
	}
	const tags = formatTags(member.tags);
	if (tags) items.push({text: `tags ${oneLine(tags)}`});
	const facts = [member.apiUrl, member.version && `Patroni ${member.version}`, member.postgresSsl && sqlSslText(member.postgresSsl)].filter(Boolean);
	if (facts.length > 0) items.push({text: facts.join(' · '), tone: 'muted'});
	return items;
}

const VERIFIED: Readonly<Record<PostgresSslUse['verified'], string>> = {
	none: 'server not verified',
	chain: 'CA verified',
	full: 'CA and host name verified',
};

/** The monitor's own SQL connection: "SQL TLSv1.3, CA verified", or "SQL no SSL". */
export function sqlSslText(ssl: PostgresSslUse): string {
	return ssl.protocol === null ? 'SQL no SSL' : `SQL ${ssl.protocol}, ${VERIFIED[ssl.verified]}`;
}

/** Folds the items into `count` lines: one each while they last, the rest joined on the final line. */
export function foldLines(items: readonly ToneText[], count: number): ToneText[] {
	if (count <= 0 || items.length === 0) return [];
	if (items.length <= count) return [...items];
	const rest = items.slice(count - 1);
	return [...items.slice(0, count - 1), {text: rest.map(item => item.text).join(' · '), tone: rest[0]!.tone}];
}
