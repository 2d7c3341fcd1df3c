/**
 * A TCP relay in front of etcd that counts the HTTP requests going through it: patronictl talks to etcd's v3
 * JSON gateway over HTTP/1.1, so its request lines can be counted without touching it.
 */
import fs from 'node:fs';
import net from 'node:net';
import YAML from 'yaml';

export type CountingProxy = {readonly port: number; readonly counts: Record<string, number>; close(): Promise<void>};

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r?$/gm;

export async function countingProxy(target: {host: string; port: number}): Promise<CountingProxy> {
	const counts: Record<string, number> = {};
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const upstream = net.connect(target.port, target.host);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => undefined);
		}
		client.on('data', chunk => {
			for (const match of chunk.toString('latin1').matchAll(REQUEST_LINE)) counts[match[2]!] = (counts[match[2]!] ?? 0) + 1;
			upstream.write(chunk);
		});
		upstream.pipe(client);
		client.on('end', () => upstream.end());
		upstream.on('end', () => client.end());
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {
		port,
		counts,
		close: () =>
			new Promise(resolve => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** A copy of patronictl.yaml that reaches etcd through `port` only (use_proxies: no discovery of etcd's own URLs). */
export function proxiedPatronictlConfig(source: string, target: string, port: number): void {
	const document = YAML.parse(fs.readFileSync(source, 'utf8')) as Record<string, Record<string, unknown>>;
	const section = document['etcd3'] ? 'etcd3' : 'etcd';
	document[section] = {...document[section], hosts: [`127.0.0.1:${port}`], use_proxies: true};
	fs.writeFileSync(target, YAML.stringify(document), {mode: 0o600});
}
