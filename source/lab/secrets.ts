import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {readLabJson} from './lab-json.js';

export type LabSecrets = {
	readonly superuserPassword: string;
	readonly replicationPassword: string;
	readonly rewindPassword: string;
	readonly restApiUsername: string;
	readonly restApiPassword: string;
	/** etcd's root user (`lab up --tls`); absent from a lab made before it, which has no etcd users. */
	readonly etcdRootPassword?: string;
};

const SECRETS_FILE = 'secrets.json';

function randomPassword(): string {
	return crypto.randomBytes(24).toString('base64url');
}

export function secretsPath(stateDir: string): string {
	return path.join(stateDir, SECRETS_FILE);
}

/** Reads the lab's passwords, generating them (mode 0600) the first time. They are never printed. */
export function loadOrCreateSecrets(stateDir: string): LabSecrets {
	const file = secretsPath(stateDir);
	if (fs.existsSync(file)) return readStored(file);
	const secrets: LabSecrets = {
		superuserPassword: randomPassword(),
		replicationPassword: randomPassword(),
		rewindPassword: randomPassword(),
		restApiUsername: 'patroni',
		restApiPassword: randomPassword(),
	};
	fs.mkdirSync(stateDir, {recursive: true, mode: 0o700});
	fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', {mode: 0o600, flag: 'wx'});
	return secrets;
}

/** The passwords the lab's data was made with: a new set would not open it, so a broken file is refused, not replaced. */
function readStored(file: string): LabSecrets {
	const how = 'it holds the passwords the lab was made with: restore it, or "lab destroy" and "lab up" for a new lab';
	const shape = {superuserPassword: 'text', replicationPassword: 'text', rewindPassword: 'text', restApiUsername: 'text', restApiPassword: 'text'} as const;
	return readLabJson<LabSecrets>(file, shape, how, {etcdRootPassword: 'text'});
}

/**
 * The lab's passwords with etcd's root password, added to secrets.json (still 0600) the first time: only a TLS lab's
 * etcd has users, so a lab without TLS keeps the file it always had.
 */
export function withEtcdRootPassword(stateDir: string, secrets: LabSecrets): LabSecrets & {readonly etcdRootPassword: string} {
	if (secrets.etcdRootPassword !== undefined) return {...secrets, etcdRootPassword: secrets.etcdRootPassword};
	const completed = {...secrets, etcdRootPassword: randomPassword()};
	const file = secretsPath(stateDir);
	const next = `${file}.new`;
	fs.writeFileSync(next, JSON.stringify(completed, null, 2) + '\n', {mode: 0o600});
	fs.renameSync(next, file);
	return completed;
}

export function readSecrets(stateDir: string): LabSecrets | undefined {
	const file = secretsPath(stateDir);
	return fs.existsSync(file) ? readStored(file) : undefined;
}
