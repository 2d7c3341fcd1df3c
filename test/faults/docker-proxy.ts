/**
 * A unix socket of our own that relays to the Docker engine's: the monitor's Docker source is pointed here, so
 * "the engine's socket is unreachable" is this relay closing (and its file going), never dockerd being stopped.
 */
import fs from 'node:fs';
import net from 'node:net';
import {DEFAULT_DOCKER_SOCKET, dockerSocketPath} from '../../source/clients/docker.js';

export type DockerRelay = {
	readonly path: string;
	/** Closes the socket and cuts every relayed connection (the event stream too), as a dead engine would. */
	cut(): Promise<void>;
	/** Listens again at the same path. */
	restore(): Promise<void>;
	close(): Promise<void>;
};

export async function startDockerRelay(socketPath: string, engine = dockerSocketPath() || DEFAULT_DOCKER_SOCKET): Promise<DockerRelay> {
	const open = new Set<net.Socket>();
	let server: net.Server | undefined;

	const listen = async () => {
		fs.rmSync(socketPath, {force: true});
		const created = net.createServer(client => {
			const upstream = net.connect(engine);
			for (const socket of [client, upstream]) {
				open.add(socket);
				socket.on('close', () => open.delete(socket));
				socket.on('error', () => undefined);
			}
			client.pipe(upstream).pipe(client);
			client.on('close', () => upstream.destroy());
			upstream.on('close', () => client.destroy());
		});
		await new Promise<void>((resolve, reject) => created.once('error', reject).listen(socketPath, resolve));
		server = created;
	};

	const cut = async () => {
		const closing = server;
		server = undefined;
		// close() stops accepting at once but calls back only when the last connection is gone: cut them first.
		const closed = closing ? new Promise(resolve => closing.close(resolve)) : undefined;
		for (const socket of open) socket.destroy();
		await closed;
		fs.rmSync(socketPath, {force: true});
	};

	await listen();
	return {path: socketPath, cut, restore: listen, close: cut};
}
