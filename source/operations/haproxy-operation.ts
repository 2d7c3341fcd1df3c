import {parseStatsCsv, setServerState, socketCommand, type ServerState} from '../clients/haproxy.js';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {isServerUp, listenerKind} from '../model/members.js';
import {followMs, pollMs, requireTypedName, type OperationContext} from './context.js';
import {requireLeaderStill} from './leader-check.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';

export type HaproxyServerInput = {
	/** HAProxy's admin socket (level admin): `set server` is not available over the stats page. */
	readonly socketPath: string | undefined;
	readonly proxy: string;
	readonly server: string;
	readonly state: ServerState;
	/** The server's name typed out: needed to drain or maint the server HAProxy routes writes to. */
	readonly confirmedName?: string;
	/** The leader the confirmation named (the server is its): refused, from a fresh read, if another leads now. */
	readonly expectedLeader?: string;
};

/** Whether HAProxy routes writes to this server: in a primary listener, the leader's server or one that is up. */
export function routesWrites(snapshot: ClusterSnapshot, proxy: string, server: string): boolean {
	if (listenerKind(proxy) !== 'primary') return false;
	const row = snapshot.backends.find(backend => backend.proxy === proxy && backend.server === server);
	return server === snapshot.leader || (row !== undefined && isServerUp(row));
}

const NAME = /^[^\s/;#]+$/;

/** The same name checks setServerState makes, as refusals; and the server must be one the cluster's HAProxy has. */
export function validateHaproxyServer(snapshot: ClusterSnapshot, input: HaproxyServerInput): string {
	if (!input.socketPath) throw new OperationRefused("HAProxy's admin socket is not configured (--haproxy-socket): servers cannot be drained.");
	if (!['ready', 'drain', 'maint'].includes(input.state)) throw new OperationRefused(`"${input.state}" is not a server state (ready, drain, maint).`);
	for (const name of [input.proxy, input.server]) {
		if (!NAME.test(name)) throw new OperationRefused(`${JSON.stringify(name)} is not a HAProxy name (no spaces, "/", ";" or "#").`);
	}
	const known = snapshot.backends.some(backend => backend.proxy === input.proxy && backend.server === input.server);
	if (snapshot.backends.length > 0 && !known) throw new OperationRefused(`HAProxy has no server ${input.proxy}/${input.server}.`);
	if (input.state !== 'ready' && routesWrites(snapshot, input.proxy, input.server)) {
		requireTypedName(input.confirmedName, input.server, `HAProxy routes writes to ${input.proxy}/${input.server}: ${input.state} cuts them off`);
	}
	return input.socketPath;
}

/** What `show stat` says once the state took: DRAIN, MAINT, or (ready) whatever the health check decides. */
function hasTaken(status: string, state: ServerState): boolean {
	if (state === 'drain') return status === 'DRAIN';
	if (state === 'maint') return status.startsWith('MAINT');
	return status !== 'DRAIN' && !status.startsWith('MAINT');
}

/** `set server <proxy>/<server> state <state>` on the admin socket, then read back until HAProxy shows it. */
export function haproxyServerOperation(context: OperationContext, input: HaproxyServerInput): Operation {
	const title = `HAProxy ${input.proxy}/${input.server} → ${input.state}`;
	return mutation(context.isReadOnly, title, `${input.proxy}/${input.server}`, async function* (signal) {
		const socketPath = validateHaproxyServer(context.observe(), input);
		if (input.expectedLeader !== undefined) await requireLeaderStill(context, input.expectedLeader, signal);
		yield step(`set server ${input.proxy}/${input.server} state ${input.state}`, 'running');
		const answer = await setServerState(socketPath, input.proxy, input.server, input.state, {timeoutMs: 2000, signal});
		// HAProxy answers nothing when it did it, and says why not otherwise ("No such server.").
		if (answer) return yield done(false, `HAProxy: ${answer}`);
		const deadline = Date.now() + Math.min(followMs(context), 10_000);
		let status = '?';
		while (!signal.aborted && Date.now() < deadline) {
			try {
				const stats = parseStatsCsv(await socketCommand(socketPath, 'show stat', {timeoutMs: 2000, signal}));
				status = stats.find(row => row.proxy === input.proxy && row.server === input.server)?.status ?? 'missing';
				if (hasTaken(status, input.state)) return yield done(true, `${input.proxy}/${input.server} is ${status}`);
			} catch (error) {
				status = errorMessage(error);
			}
			await sleep(pollMs(context), signal);
		}
		yield done(false, `HAProxy took the command, but ${input.proxy}/${input.server} still shows ${status}`);
	});
}
