import net from 'node:net';

/** A listener on 127.0.0.1 that counts connections and closes each: what a refused command must never reach. */
export type CountingListener = {readonly port: number; readonly connections: () => number; readonly close: () => Promise<void>};

export async function startCountingListener(): Promise<CountingListener> {
	let connections = 0;
	const server = net.createServer(socket => {
		connections += 1;
		socket.destroy();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		connections: () => connections,
		close: () => new Promise(resolve => server.close(() => resolve())),
	};
}
