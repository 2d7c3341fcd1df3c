import {spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';

/**
 * The lab's image is made offline: a root skeleton of a few directories and /etc files, `docker import`ed.
 * Every program (Patroni, PostgreSQL, etcd, HAProxy) comes from the host's /usr, mounted read-only, so the
 * image needs no registry and always matches what Debian's packages installed on this machine.
 */
export const LAB_IMAGE_REPO = 'patroni-tui-lab';
const SKELETON_VERSION = '1';

export type LabUser = {readonly uid: number; readonly gid: number};

/** Containers run as the host's postgres user, so files in the state directory have a familiar owner. */
export function labUser(passwd = readOptional('/etc/passwd')): LabUser {
	const line = passwd?.split('\n').find(entry => entry.startsWith('postgres:'));
	const [, , uid, gid] = line?.split(':') ?? [];
	return uid && gid ? {uid: Number(uid), gid: Number(gid)} : {uid: 999, gid: 999};
}

function readOptional(file: string): string | undefined {
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function etcFiles(user: LabUser): Record<string, string> {
	return {
		passwd: `root:x:0:0:root:/root:/bin/sh\npostgres:x:${user.uid}:${user.gid}:PostgreSQL:/var/lib/postgresql:/bin/sh\n`,
		group: `root:x:0:\npostgres:x:${user.gid}:\n`,
		'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\n',
	};
}

/** Host files the dynamic loader and Python look for in /etc; copied, not mounted, so /etc stays the image's. */
const HOST_ETC_COPIES = ['ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'alternatives', 'ssl/openssl.cnf'];

export function imageTag(user: LabUser): string {
	const hash = crypto.createHash('sha256').update(SKELETON_VERSION).update(JSON.stringify(etcFiles(user)));
	for (const name of HOST_ETC_COPIES) {
		const file = path.join('/etc', name);
		if (fs.existsSync(file) && fs.statSync(file).isFile()) hash.update(fs.readFileSync(file));
	}
	return `${LAB_IMAGE_REPO}:${hash.digest('hex').slice(0, 12)}`;
}

function buildSkeleton(root: string, user: LabUser): void {
	for (const dir of ['etc', 'usr', 'tmp', 'run', 'lab', 'proc', 'sys', 'dev', 'root', 'var/lib/postgresql', 'var/run']) {
		fs.mkdirSync(path.join(root, dir), {recursive: true});
	}
	fs.chmodSync(path.join(root, 'tmp'), 0o1777);
	fs.chownSync(path.join(root, 'var/lib/postgresql'), user.uid, user.gid);
	// Debian merges /bin, /lib and friends into /usr: the same links make the mounted /usr whole.
	for (const link of ['bin', 'sbin', 'lib', 'lib64']) {
		if (fs.existsSync(`/${link}`) && fs.lstatSync(`/${link}`).isSymbolicLink()) {
			fs.symlinkSync(fs.readlinkSync(`/${link}`), path.join(root, link));
		}
	}
	for (const [name, content] of Object.entries(etcFiles(user))) fs.writeFileSync(path.join(root, 'etc', name), content);
	for (const name of HOST_ETC_COPIES) {
		const source = path.join('/etc', name);
		if (!fs.existsSync(source)) continue;
		fs.mkdirSync(path.dirname(path.join(root, 'etc', name)), {recursive: true});
		fs.cpSync(source, path.join(root, 'etc', name), {recursive: true, verbatimSymlinks: true});
	}
}

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
	try {
		await docker.getImage(tag).inspect();
		return true;
	} catch {
		return false;
	}
}

/** Makes the lab image unless an identical one is already there. Returns its tag. */
export async function ensureLabImage(docker: Docker, user: LabUser): Promise<string> {
	const tag = imageTag(user);
	if (await imageExists(docker, tag)) return tag;
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-image-'));
	try {
		buildSkeleton(root, user);
		const tar = spawn('tar', ['--numeric-owner', '-C', root, '-cf', '-', '.'], {stdio: ['ignore', 'pipe', 'inherit']});
		const [repo, version] = tag.split(':');
		const progress = await docker.importImage(tar.stdout, {repo, tag: version});
		await new Promise<void>((resolve, reject) => {
			docker.modem.followProgress(progress, error => (error ? reject(error) : resolve()));
		});
		if (!(await imageExists(docker, tag))) throw new Error(`docker import did not produce ${tag}`);
		return tag;
	} finally {
		fs.rmSync(root, {recursive: true, force: true});
	}
}
