/**
 * HAProxy's own view through its admin socket (`show stat` over node:net), read by a parser of the test's own:
 * an outside witness that shares no code with source/ (whose HAProxy client and CSV parser are under test).
 */
import net from 'node:net';

export type StatRow = {readonly proxy: string; readonly server: string; readonly status: string};

/** Sends one command to the admin socket and returns everything HAProxy writes before it closes the connection. */
export function adminCommand(socketPath: string, command: string, timeoutMs = 3000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.createConnection(socketPath);
		let text = '';
		socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer to "${command}" on ${socketPath} within ${timeoutMs} ms`)));
		socket.on('connect', () => socket.write(`${command}\n`));
		socket.on('data', chunk => (text += String(chunk)));
		socket.on('end', () => resolve(text));
		socket.on('error', reject);
	});
}

/** `show stat` is CSV under a "# pxname,svname,…" header; the FRONTEND and BACKEND summary rows are not servers. */
export function parseShowStat(text: string): StatRow[] {
	const lines = text.split('\n').filter(line => line.trim() !== '');
	const header = lines.find(line => line.startsWith('# '));
	if (!header) throw new Error(`no "# pxname,…" header in: ${text.slice(0, 200)}`);
	const columns = header.slice(2).split(',');
	const at = (name: string) => {
		const index = columns.indexOf(name);
		if (index < 0) throw new Error(`show stat has no ${name} column`);
		return index;
	};
	const [proxy, server, status] = [at('pxname'), at('svname'), at('status')];
	return lines
		.filter(line => !line.startsWith('#'))
		.map(line => line.split(','))
		.filter(fields => fields[server] !== 'FRONTEND' && fields[server] !== 'BACKEND')
		.map(fields => ({proxy: fields[proxy]!, server: fields[server]!, status: fields[status]!}));
}

/** Every server row HAProxy reports now. */
export async function haproxyServers(socketPath: string): Promise<StatRow[]> {
	return parseShowStat(await adminCommand(socketPath, 'show stat'));
}

/** The servers of the primary listener that HAProxy routes to (status UP). */
export async function haproxyPrimaries(socketPath: string): Promise<string[]> {
	return (await haproxyServers(socketPath)).filter(row => row.proxy === 'primary' && row.status === 'UP').map(row => row.server);
}
