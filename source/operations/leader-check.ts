/**
 * The last look before a request that was confirmed against a named leader: is that member still the leader?
 * A dialog can stay open for minutes while Patroni fails over; what the engineer agreed to was "from node2".
 */
import {errorMessage} from '../errors.js';
import {isLeaderRole} from '../model/roles.js';
import {adminFor, type OperationContext} from './context.js';
import {OperationRefused} from './operation.js';

export type LeaderRead = {readonly leader: string | undefined} | {readonly error: string};

/**
 * Who leads now, read fresh: GET /cluster (Patroni reads the DCS for it) from the members the picture knows an
 * API for, all at once, the first answer winning. Not the picture itself, which can be a poll old.
 */
export async function freshLeader(context: OperationContext, signal?: AbortSignal): Promise<LeaderRead> {
	const members = context.observe().members.filter(member => member.apiUrl);
	if (members.length === 0) return {error: 'no member has a known REST API address'};
	try {
		return await Promise.any(
			members.map(async member => {
				const cluster = await adminFor(context, member).cluster(signal);
				if (!Array.isArray(cluster?.members)) throw new Error(`${member.name}'s GET /cluster carried no member list`);
				return {leader: cluster.members.find(row => isLeaderRole(row.role))?.name};
			}),
		);
	} catch (error) {
		const reasons = error instanceof AggregateError ? error.errors.map(errorMessage) : [errorMessage(error)];
		return {error: reasons.join('; ')};
	}
}

/** The refusal when `expected` no longer leads: "node2 is no longer the leader (node3 is now); nothing was sent." */
export function noLongerLeader(expected: string, now: string | undefined): string {
	return `${expected} is no longer the leader (${now ? `${now} is now` : 'no member holds the leader key now'}); nothing was sent.`;
}

/** Refuses unless `expected` leads both in the current picture and in a fresh read of the cluster. */
export async function requireLeaderStill(context: OperationContext, expected: string, signal?: AbortSignal): Promise<void> {
	const seen = context.observe().leader;
	if (seen !== expected) throw new OperationRefused(noLongerLeader(expected, seen));
	const read = await freshLeader(context, signal);
	if ('error' in read) throw new OperationRefused(`Could not check that ${expected} is still the leader (${read.error}); nothing was sent.`);
	if (read.leader !== expected) throw new OperationRefused(noLongerLeader(expected, read.leader));
}

/** Refuses if `member`, confirmed as a replica, has become the leader since (restarting it would stop writes). */
export async function requireNotLeader(context: OperationContext, member: string, signal?: AbortSignal): Promise<void> {
	const seen = context.observe().leader;
	const read = seen === member ? {leader: seen} : await freshLeader(context, signal);
	if ('error' in read) throw new OperationRefused(`Could not check that ${member} is still a replica (${read.error}); nothing was sent.`);
	if (read.leader === member) throw new OperationRefused(`${member} has become the leader since it was confirmed as a replica; nothing was sent.`);
}
