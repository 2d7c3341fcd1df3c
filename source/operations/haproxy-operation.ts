import {parseStatsCsv, setServerState, socketCommand, type ServerState} from '../clients/haproxy.js';
import type {ClusterSnapshot} from '../model/snapshot-types.js';
import {errorMessage} from '../errors.js';
import {sleep} from '../async.js';
import {followMs, pollMs, type OperationContext} from './context.js';
import {done, mutation, type Operation, OperationRefused, step} from './operation.js';

export type HaproxyServerInput = {
	/** HAProxy's admin socket (level admin): `set server` is not available over the stats page. */
	readonly socketPath: string | undefined;
	readonly proxy: string;
	readonly server: string;
	readonly state: ServerState;
};

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
