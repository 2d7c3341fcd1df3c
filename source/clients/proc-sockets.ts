/**
 * Which TCP addresses a process tree listens on, read from /proc: the sockets its processes hold
 * (/proc/<pid>/fd → socket:[inode]) matched to the LISTEN entries of /proc/<pid>/net/tcp and tcp6. This is how
 * a host-network container is tied to a port: its PIDs, as the engine gives them, are the host's.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type ListenSocket = {readonly address: string; readonly port: number; readonly inode: string};

/** The kernel's TCP state for LISTEN. */
const LISTEN = '0A';

/** LISTEN entries of /proc/net/tcp or tcp6: addresses are hex, each 32-bit word in host (little-endian) order. */
export function parseProcNetTcp(text: string): ListenSocket[] {
	const sockets: ListenSocket[] = [];
	for (const line of text.split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		const [local, state, inode] = [fields[1], fields[3], fields[9]];
		if (!local || state !== LISTEN || !inode) continue;
		const [hex, portHex] = local.split(':');
		const address = hex ? hexAddress(hex) : undefined;
		if (address === undefined || !portHex) continue;
		sockets.push({address, port: Number.parseInt(portHex, 16), inode});
	}
	return sockets;
}

function hexAddress(hex: string): string | undefined {
	if (!/^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32})$/.test(hex)) return undefined;
	const bytes: number[] = [];
	for (let word = 0; word < hex.length; word += 8) {
		for (let byte = 3; byte >= 0; byte--) bytes.push(Number.parseInt(hex.slice(word + byte * 2, word + byte * 2 + 2), 16));
	}
	if (bytes.length === 4) return bytes.join('.');
	const isMapped = bytes.slice(0, 10).every(byte => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
	if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
	const groups = Array.from({length: 8}, (_, index) => ((bytes[index * 2]! << 8) | bytes[index * 2 + 1]!).toString(16));
	return compressIpv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: readonly string[]): string {
	let best = {start: -1, length: 0};
	for (let start = 0; start < groups.length; start++) {
		let length = 0;
		while (groups[start + length] === '0') length++;
		if (length > best.length) best = {start, length};
	}
	if (best.length < 2) return groups.join(':');
	return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** The process and all its descendants, from every /proc/<pid>/stat's parent field. */
export async function processTree(rootPid: number, procRoot = '/proc'): Promise<number[]> {
	const children = new Map<number, number[]>();
	const pids = (await fs.readdir(procRoot)).filter(entry => /^\d+$/.test(entry));
	const stats = await Promise.all(pids.map(pid => readOptional(path.join(procRoot, pid, 'stat'))));
	for (const [index, stat] of stats.entries()) {
		// "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
		const parent = stat === undefined ? Number.NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		if (Number.isInteger(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(pids[index])]);
	}
	const tree = [rootPid];
	for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
	return tree;
}

async function socketInodes(pid: number, procRoot: string): Promise<string[]> {
	const fdDir = path.join(procRoot, String(pid), 'fd');
	const fds = await fs.readdir(fdDir).catch(() => [] as string[]);
	const links = await Promise.all(fds.map(fd => fs.readlink(path.join(fdDir, fd)).catch(() => '')));
	return links.flatMap(link => /^socket:\[(\d+)\]$/.exec(link)?.slice(1) ?? []);
}

/**
 * The TCP addresses a process tree listens on. Empty when /proc cannot tell: another PID namespace, a process
 * gone, or no right to read its file descriptors — no evidence, never an error.
 */
export async function listeningAddresses(rootPid: number, procRoot = '/proc'): Promise<Array<{address: string; port: number}>> {
	if (!Number.isInteger(rootPid) || rootPid <= 0) return [];
	try {
		const pids = await processTree(rootPid, procRoot);
		const inodes = new Set((await Promise.all(pids.map(pid => socketInodes(pid, procRoot)))).flat());
		if (inodes.size === 0) return [];
		const tables = await Promise.all(['tcp', 'tcp6'].map(name => readOptional(path.join(procRoot, String(rootPid), 'net', name))));
		const listening = tables.flatMap(text => (text ? parseProcNetTcp(text) : [])).filter(socket => inodes.has(socket.inode));
		const unique = new Map(listening.map(({address, port}) => [`${address}|${port}`, {address, port}]));
		return [...unique.values()].sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
	} catch {
		return [];
	}
}

/** This host's own addresses, for listeners bound to every address. */
export function localAddresses(): string[] {
	const addresses = Object.values(os.networkInterfaces()).flatMap(list => (list ?? []).map(entry => entry.address.replace(/%.*$/, '')));
	return [...new Set(addresses)].sort();
}

async function readOptional(file: string): Promise<string | undefined> {
	return fs.readFile(file, 'utf8').catch(() => undefined);
}
