import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {parseStatsCsv, setServerState} from '../../source/clients/haproxy.js';

// Recorded from the test lab's HAProxy 2.6: over HTTP (`curl 'http://127.0.0.1:17100/;csv'`) and over the admin
// socket (`show stat`), a second apart. node1 led at the time.
const overHttp = fs.readFileSync('test/fixtures/haproxy-stats-2.6.csv', 'utf8');
const overSocket = fs.readFileSync('test/fixtures/haproxy-stats-2.6-socket.csv', 'utf8');

describe('HAProxy stats CSV', () => {
	it('keeps the server rows only, leaving FRONTEND and BACKEND out', () => {
		const servers = parseStatsCsv(overHttp);
		assert.deepEqual(
			servers.map(server => `${server.proxy}/${server.server} ${server.status}`),
			['primary/node1 UP', 'primary/node2 DOWN', 'primary/node3 DOWN', 'replicas/node1 DOWN', 'replicas/node2 UP', 'replicas/node3 UP'],
		);
	});

	it('maps checks, sessions and the last change as numbers', () => {
		const now = Date.UTC(2026, 10, 26, 4, 30, 0, 400);
		const [leader, replica] = parseStatsCsv(overHttp, now);
		assert.deepEqual(leader, {
			proxy: 'primary',
			server: 'node1',
			status: 'UP',
			checkStatus: 'L7OK',
			checkCode: '200',
			checkDurationMs: 2,
			currentSessions: 0,
			totalSessions: 4,
			lastChangeAt: Date.UTC(2026, 10, 26, 4, 29, 36),
			address: '',
		});
		assert.equal(replica?.checkStatus, 'L7STS');
		assert.equal(replica?.checkCode, '503');
	});

	it('has the address only from the admin socket', () => {
		const servers = parseStatsCsv(overSocket);
		assert.deepEqual(servers.map(server => server.address), ['127.0.0.1:15533', '127.0.0.1:15534', '127.0.0.1:15535', '127.0.0.1:15533', '127.0.0.1:15534', '127.0.0.1:15535']);
		const names = (text: string) => parseStatsCsv(text).map(server => `${server.proxy}/${server.server} ${server.status}`);
		assert.deepEqual(names(overSocket), names(overHttp));
	});

	it('reads quoted fields and servers that are not checked', () => {
		const text = '# pxname,svname,status,check_status,check_desc,scur,stot,lastchg,check_duration\n' + 'be,s1,no check,,"says ""hi"", twice",3,9,,\n';
		const [server] = parseStatsCsv(text);
		assert.equal(server?.status, 'no check');
		assert.equal(server?.currentSessions, 3);
		assert.equal(server?.totalSessions, 9);
		assert.equal(server?.lastChangeAt, null);
		assert.equal(server?.checkDurationMs, null);
	});

	it('reads the same a second later, so an unchanged server is not news', () => {
		const secondLater = overHttp.replace(/^primary,node1,.*$/m, line => {
			const fields = line.split(',');
			fields[23] = String(Number(fields[23]) + 1);
			return fields.join(',');
		});
		const before = parseStatsCsv(overHttp, Date.UTC(2026, 10, 26, 4, 30, 0, 400))[0];
		const after = parseStatsCsv(secondLater, Date.UTC(2026, 10, 26, 4, 30, 1, 100))[0];
		assert.deepEqual(after, before);
	});

	it('refuses text that is not stats CSV', () => {
		assert.throws(() => parseStatsCsv('<html>Unknown command</html>'), /header/);
	});
});

describe('setServerState', () => {
	it('refuses names that would put a second argument or command on the socket, before connecting', async () => {
		for (const [proxy, server] of [['primary', 'node1 state ready'], ['primary\nshutdown', 'node1'], ['primary;x', 'node1'], ['', 'node1'], ['a/b', 'c']]) {
			await assert.rejects(setServerState('/nonexistent.sock', proxy!, server!, 'drain'), /invalid HAProxy/);
		}
		await assert.rejects(setServerState('/nonexistent.sock', 'primary', 'node1', 'up' as 'ready'), /invalid server state/);
	});
});
