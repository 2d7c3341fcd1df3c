// /proc as it was recorded while the test lab and a host-network container ("evidence-hostnet": a shell running
// two python listeners, on 127.0.0.1:28413 and [::1]:28415) ran: /proc/net/tcp and tcp6, and for the container's
// process tree (and, outside it, its containerd-shim parent) each process's stat line and fd links.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {listeningAddresses, parseProcNetTcp, processTree} from '../../source/clients/proc-sockets.js';

type Recording = {
	readonly pid: number;
	readonly processes: ReadonlyArray<{readonly pid: number; readonly stat: string; readonly fd: Readonly<Record<string, string>>}>;
	readonly net: {readonly tcp: string; readonly tcp6: string};
};

const recording = JSON.parse(fs.readFileSync('test/fixtures/proc/evidence-hostnet.json', 'utf8')) as Recording;

/** The recording laid out as /proc is: <pid>/stat, <pid>/fd/<n> → its link text, <pid>/net/tcp{,6}. */
function fakeProc(): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proc-'));
	for (const process of recording.processes) {
		const dir = path.join(root, String(process.pid));
		fs.mkdirSync(path.join(dir, 'fd'), {recursive: true});
		fs.mkdirSync(path.join(dir, 'net'));
		fs.writeFileSync(path.join(dir, 'stat'), process.stat);
		for (const [fd, link] of Object.entries(process.fd)) fs.symlinkSync(link, path.join(dir, 'fd', fd));
		fs.writeFileSync(path.join(dir, 'net', 'tcp'), recording.net.tcp);
		fs.writeFileSync(path.join(dir, 'net', 'tcp6'), recording.net.tcp6);
	}
	fs.writeFileSync(path.join(root, 'uptime'), '1.0 1.0\n');
	return root;
}

const proc = fakeProc();
after(() => fs.rmSync(proc, {recursive: true, force: true}));

describe('/proc/net/tcp', () => {
	it("reads the LISTEN entries of IPv4, with the lab's etcd, REST and PostgreSQL ports", () => {
		const listening = parseProcNetTcp(recording.net.tcp);
		const ports = new Set(listening.map(socket => socket.port));
		for (const port of [12_479, 15_533, 18_108, 17_100, 28_413]) assert.ok(ports.has(port), `${port} listens`);
		assert.ok(listening.every(socket => /^\d+\.\d+\.\d+\.\d+$/.test(socket.address) && /^\d+$/.test(socket.inode)));
		assert.deepEqual(
			listening.filter(socket => socket.port === 28_413).map(socket => socket.address),
			['127.0.0.1'],
		);
		assert.ok(recording.net.tcp.split('\n').some(line => / 01 /.test(line)), 'the recording has established connections too');
		assert.ok(!listening.some(socket => socket.port === 0), 'and none of them is read as a listener');
	});

	it('reads IPv6 addresses, compressed as written', () => {
		const listening = parseProcNetTcp(recording.net.tcp6);
		assert.deepEqual(listening.filter(socket => socket.port === 28_415).map(socket => socket.address), ['::1']);
		const line = '   0: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0';
		assert.deepEqual(parseProcNetTcp(`header\n${line}\n`), [{address: '::ffff:127.0.0.1', port: 8080, inode: '4242'}]);
	});
});

describe('listening addresses of a process tree', () => {
	it('walks the tree from the container’s PID, and not its parent', async () => {
		const tree = await processTree(recording.pid, proc);
		assert.equal(tree[0], recording.pid);
		assert.ok(tree.length >= 3, `the shell and its two pythons: ${tree.join(' ')}`);
		const parent = recording.processes.find(process => !tree.includes(process.pid));
		assert.ok(parent, 'the recording holds the parent too');
	});

	it("matches the tree's sockets to the LISTEN entries", async () => {
		assert.deepEqual(await listeningAddresses(recording.pid, proc), [
			{address: '127.0.0.1', port: 28_413},
			{address: '::1', port: 28_415},
		]);
	});

	it('finds nothing, without failing, for a process it cannot read', async () => {
		assert.deepEqual(await listeningAddresses(999_999, proc), []);
		assert.deepEqual(await listeningAddresses(0, proc), []);
		assert.deepEqual(await listeningAddresses(recording.pid, path.join(proc, 'missing')), []);
	});
});
