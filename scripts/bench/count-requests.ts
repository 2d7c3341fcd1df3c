/**
 * Preloaded into the CLI under test (`node --import .../count-requests.js dist/patroni-tui.js ...`): counts every
 * request the monitor makes — HTTP (Patroni's REST API, HAProxy's stats page, the Docker engine), SQL statements,
 * etcd RPCs and watch streams, HAProxy admin-socket commands — without a line of the product changed.
 * The CLI is one bundle with its clients inside (pg, etcd3), so nothing is counted by patching their modules:
 * each is counted where it meets Node's own modules, which the bundle shares with this preload.
 * SIGUSR2 writes the counts so far to $BENCH_COUNT_FILE.
 */
import dc from 'node:diagnostics_channel';
import fs from 'node:fs';
import http2 from 'node:http2';
import {syncBuiltinESMExports} from 'node:module';
import net from 'node:net';

type Counts = Record<string, number>;
const counts: Counts = {};
const add = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);

dc.subscribe('http.client.request.start', message => {
	const {request} = message as {request: {path: string; socketPath?: string}};
	const path = request.path.split('?')[0]!;
	if (request.socketPath) add('docker');
	else if (path.includes(';csv')) add('haproxy http');
	else add(`rest ${path}`);
});

// SQL: a PostgreSQL connection starts with a StartupMessage (protocol 3.0: 196608 after the length); after it,
// every statement pg sends begins with a Query ('Q') or Parse ('P') message.
const PROTOCOL_3 = 196_608;
const postgresSockets = new WeakSet<net.Socket>();
const firstWriteSeen = new WeakSet<net.Socket>();
const socketWrite = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
	if (chunk instanceof Uint8Array) {
		if (!firstWriteSeen.has(this)) {
			firstWriteSeen.add(this);
			if (chunk.length >= 8 && Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).readInt32BE(4) === PROTOCOL_3) postgresSockets.add(this);
		} else if (postgresSockets.has(this) && (chunk[0] === 0x51 || chunk[0] === 0x50)) {
			add('sql');
		}
	}
	return (socketWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof socketWrite;

// etcd: gRPC calls are HTTP/2 requests on sessions grpc-js opens with http2.connect; the path names the RPC.
const connect = http2.connect;
(http2 as {connect: unknown}).connect = function (...args: unknown[]) {
	const session = (connect as (...a: unknown[]) => http2.ClientHttp2Session)(...args);
	const request = session.request.bind(session);
	session.request = ((headers: http2.OutgoingHttpHeaders, ...rest: unknown[]) => {
		const path = String(headers[':path'] ?? '?').replace(/^\/etcdserverpb\./, '');
		add(path === 'Watch/Watch' ? 'etcd Watch.watch (stream)' : `etcd ${path.replace('/', '.')}`);
		return (request as (...a: unknown[]) => http2.ClientHttp2Stream)(headers, ...rest);
	}) as typeof session.request;
	return session;
};

const createConnection = net.createConnection;
(net as {createConnection: unknown}).createConnection = function (...args: unknown[]) {
	if (typeof args[0] === 'string') add('haproxy socket');
	return (createConnection as (...a: unknown[]) => net.Socket)(...args);
};

// The bundle also imports Node's modules as ES modules: their named exports follow the patched functions only now.
syncBuiltinESMExports();

const file = process.env['BENCH_COUNT_FILE'];
if (file) process.on('SIGUSR2', () => fs.writeFileSync(file, JSON.stringify({at: performance.timeOrigin + performance.now(), counts})));
