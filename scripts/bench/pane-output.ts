/**
 * What a tmux pane's program writes, chunk by chunk, each stamped when it reached us through tmux (pipe-pane):
 * the moment a terminal had the text, without polling capture-pane. Text is searched with escapes taken out.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {epochNow} from './bench-lab.js';
import {plainText} from './headless.js';
import {pipePane} from './tmux.js';

type Chunk = {readonly n: number; readonly at: number; readonly data: string};

export type PaneOutput = {
	/** The first moment after `since` that the text written since then matches `pattern`. */
	next(pattern: RegExp, since: number, timeoutMs?: number): Promise<number>;
	/** Bytes the pane's program has written so far (since the pipe was opened). */
	bytes(): number;
	close(): Promise<void>;
};

/** Kept for this long: a wait looks back no further than its own start. */
const KEEP_MS = 60_000;

export async function paneOutput(paneName: string): Promise<PaneOutput> {
	const socketPath = path.join(os.tmpdir(), `patroni-tui-bench-pane-${process.pid}-${paneName}.sock`);
	fs.rmSync(socketPath, {force: true});
	const chunks: Chunk[] = [];
	let written = 0;
	let bytes = 0;
	const waiters = new Set<() => void>();
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.setEncoding('utf8');
		socket.on('data', (data: string) => {
			const at = epochNow();
			chunks.push({n: written++, at, data});
			bytes += Buffer.byteLength(data);
			while (chunks.length > 0 && chunks[0]!.at < at - KEEP_MS) chunks.shift();
			for (const waiter of waiters) waiter();
		});
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	const relay = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pane-relay.js');
	await pipePane(paneName, [process.execPath, relay, socketPath]);
	return {
		next(pattern, since, timeoutMs = 10_000) {
			return new Promise((resolve, reject) => {
				// Escapes may be split between chunks: the text since `since` is joined before they are taken out.
				let raw = '';
				let read = 0;
				const check = () => {
					for (const chunk of chunks) {
						if (chunk.n < read || chunk.at < since) continue;
						read = chunk.n + 1;
						raw += chunk.data;
						if (pattern.test(plainText(raw))) {
							waiters.delete(check);
							clearTimeout(timer);
							return resolve(chunk.at);
						}
					}
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`the pane never wrote ${String(pattern)}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		bytes: () => bytes,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise(resolve => server.close(resolve));
			fs.rmSync(socketPath, {force: true});
		},
	};
}
