// HAProxy's stats page on https, from a real HAProxy 2.6 (Debian's /usr/sbin/haproxy, foreground, a config of the
// test's own, bound to 127.0.0.1) with openssl-made certificates: read through the monitor's config and client with
// --haproxy-cacert, refused in words without it.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {fetchStatsCsv, parseStatsCsv} from '../../source/clients/haproxy.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {isOpensslAvailable, makeTestCerts, type TestCerts} from '../helpers/test-certs.js';

const PORT = 27802;
const URL = `https://127.0.0.1:${PORT}/;csv`;
const isHaproxyAvailable = fs.existsSync('/usr/sbin/haproxy');

async function listening(port: number, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const isUp = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
			socket.on('error', () => resolve(false));
		});
		if (isUp) return;
		await new Promise(resolve => setTimeout(resolve, 50));
	}
	throw new Error(`haproxy did not listen on ${port} within ${timeoutMs} ms`);
}

describe("HAProxy's stats on https (a real HAProxy)", {skip: !isHaproxyAvailable || !isOpensslAvailable ? 'haproxy or openssl missing' : false}, () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-haproxy-https-'));
	let certs: TestCerts;
	let haproxy: ChildProcess;
	const config = (flags: {haproxyCacert?: string}) =>
		resolveMonitorConfig({scope: 's', etcd: '127.0.0.1:2379', haproxyStats: URL, ...flags}, {}, () => false);

	before(async () => {
		certs = await makeTestCerts(path.join(dir, 'certs'));
		// HAProxy's `crt` is one file: the certificate, then its key.
		const pem = path.join(dir, 'server.pem');
		fs.writeFileSync(pem, fs.readFileSync(certs.server.cert, 'utf8') + fs.readFileSync(certs.server.key, 'utf8'), {mode: 0o600});
		const cfg = path.join(dir, 'haproxy.cfg');
		fs.writeFileSync(cfg, [
			'global', '  maxconn 50',
			'defaults', '  mode http', '  timeout connect 2s', '  timeout client 5s', '  timeout server 5s',
			'listen stats', `  bind 127.0.0.1:${PORT} ssl crt ${pem}`, '  stats enable', '  stats uri /',
			'backend postgres', '  server member1 127.0.0.1:1 disabled', '',
		].join('\n'));
		haproxy = spawn('/usr/sbin/haproxy', ['-db', '-f', cfg], {stdio: 'ignore'});
		await listening(PORT, 5000);
	});

	after(() => {
		haproxy?.kill('SIGTERM');
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('is read with --haproxy-cacert: the CSV parses to the backend it serves', async () => {
		const {haproxy: settings} = config({haproxyCacert: certs.ca.cert});
		const csv = await fetchStatsCsv(URL, {timeoutMs: 2000, tls: settings.tls});
		const servers = parseStatsCsv(csv);
		assert.ok(servers.some(server => server.proxy === 'postgres' && server.server === 'member1'), JSON.stringify(servers));
	});

	it("without it, Node's store does not know the CA: refused, and the error says the certificate", async () => {
		const {haproxy: settings} = config({});
		await assert.rejects(fetchStatsCsv(URL, {timeoutMs: 2000, tls: settings.tls}), /certificate|issuer|CA/i);
	});

	it('a CA that did not sign it is refused', async () => {
		const {haproxy: settings} = config({haproxyCacert: certs.otherCa.cert});
		await assert.rejects(fetchStatsCsv(URL, {timeoutMs: 2000, tls: settings.tls}), /certificate|issuer|CA/i);
	});
});
