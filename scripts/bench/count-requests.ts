/**
 * Preloaded into the CLI under test (`node --import .../count-requests.js dist/patroni-tui.js ...`): counts every
 * request the monitor makes — HTTP (Patroni's REST API, HAProxy's stats page, the Docker engine), SQL statements,
 * etcd RPCs and watch streams, HAProxy admin-socket commands — without a line of the product changed.
 * SIGUSR2 writes the counts so far to $BENCH_COUNT_FILE.
 */
import dc from 'node:diagnostics_channel';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import net from 'node:net';

type Counts = Record<string, number>;
const counts: Counts = {};
const add = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
const require = createRequire(import.meta.url);

dc.subscribe('http.client.request.start', message => {
	const {request} = message as {request: {path: string; socketPath?: string}};
	const path = request.path.split('?')[0]!;
	if (request.socketPath) add('docker');
	else if (path.includes(';csv')) add('haproxy http');
	else add(`rest ${path}`);
});

const pg = require('pg') as {Client: {prototype: {query: (...args: unknown[]) => unknown; connectionParameters?: {application_name?: string}}}};
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: {connectionParameters?: {application_name?: string}}, ...args: unknown[]) {
	add(`sql ${this.connectionParameters?.application_name ?? '?'}`);
	return query.apply(this, args);
};

type Pool = {prototype: {exec: (service: string, method: string, ...rest: unknown[]) => unknown}};
const {ConnectionPool} = require('etcd3/lib/connection-pool.js') as {ConnectionPool: Pool};
const exec = ConnectionPool.prototype.exec;
ConnectionPool.prototype.exec = function (this: unknown, service: string, method: string, ...rest: unknown[]) {
	add(`etcd ${service}.${method}`);
	return exec.call(this, service, method, ...rest);
};
const {WatchClient} = require('etcd3') as {WatchClient: {prototype: {watch: (...args: unknown[]) => unknown}}};
const watch = WatchClient.prototype.watch;
WatchClient.prototype.watch = function (this: unknown, ...args: unknown[]) {
	add('etcd Watch.watch (stream)');
	return watch.apply(this, args);
};

const createConnection = net.createConnection;
(net as {createConnection: unknown}).createConnection = function (...args: unknown[]) {
	if (typeof args[0] === 'string') add('haproxy socket');
	return (createConnection as (...a: unknown[]) => net.Socket)(...args);
};

const file = process.env['BENCH_COUNT_FILE'];
if (file) process.on('SIGUSR2', () => fs.writeFileSync(file, JSON.stringify({at: performance.timeOrigin + performance.now(), counts})));
