/** iproute2's ss, run as a separate program: which TCP ports are listening and which process holds each (shares no code with source/). */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

export type ListeningSocket = {port: number; pid: number};

/** Every listening TCP socket on the host with its owner's pid (`ss -ltnpH`; one row per owning process). */
export async function listeningPorts(): Promise<ListeningSocket[]> {
	const {stdout} = await run('ss', ['-ltnpH'], {timeout: 10_000});
	const sockets: ListeningSocket[] = [];
	for (const line of stdout.split('\n')) {
		// LISTEN 0 4096 127.0.0.1:12479 0.0.0.0:* users:(("etcd",pid=123,fd=7),...)
		const port = /^\S+\s+\d+\s+\d+\s+\S*:(\d+)\s/.exec(line)?.[1];
		if (port === undefined) continue;
		for (const [, pid] of line.matchAll(/pid=(\d+)/g)) sockets.push({port: Number(port), pid: Number(pid)});
	}
	return sockets;
}
