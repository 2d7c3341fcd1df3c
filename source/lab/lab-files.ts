import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {extraClusters, extraMemberDirName, extraMemberNames, extraPatronictlPath} from './lab-clusters.js';
import {memberName, type LabConfig} from './lab-config.js';
import type {LabUser} from './image.js';
import {renderHaproxyConfig, renderPatroniConfig, renderPatronictlConfig} from './render.js';
import type {LabSecrets} from './secrets.js';

export function componentDir(config: LabConfig, component: string): string {
	return path.join(config.stateDir, component);
}

export function patronictlConfigPath(config: LabConfig): string {
	return path.join(config.stateDir, 'patronictl.yaml');
}

export function haproxySocketPath(config: LabConfig): string {
	return path.join(componentDir(config, 'haproxy'), 'haproxy.sock');
}

/** Writes a file only the owner reads (configs hold passwords), returning a digest of what was written. */
function writePrivate(file: string, content: string, user?: LabUser): string {
	fs.writeFileSync(file, content, {mode: 0o600});
	fs.chmodSync(file, 0o600);
	if (user) fs.chownSync(file, user.uid, user.gid);
	return crypto.createHash('sha256').update(content).digest('hex').slice(0, 16);
}

function ensureOwnedDir(dir: string, user: LabUser): void {
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	fs.chownSync(dir, user.uid, user.gid);
	fs.chmodSync(dir, 0o700);
}

/**
 * Lays out the state directory: one folder per container (mounted at /lab inside it) with its config, and
 * patronictl's config for the host. Returns a digest per component, so a changed config recreates its container;
 * on a TLS lab `certificates` (their digest) is in each, as every container reads them.
 */
export function writeLabFiles(config: LabConfig, secrets: LabSecrets, user: LabUser, pgBinDir: string, certificates = ''): Record<string, string> {
	fs.mkdirSync(config.stateDir, {recursive: true, mode: 0o700});
	const digests: Record<string, string> = {};
	ensureOwnedDir(componentDir(config, 'etcd'), user);
	digests['etcd'] = certificates;
	ensureOwnedDir(componentDir(config, 'haproxy'), user);
	digests['haproxy'] = writePrivate(path.join(componentDir(config, 'haproxy'), 'haproxy.cfg'), renderHaproxyConfig(config), user) + certificates;
	for (let index = 0; index < config.nodeCount; index++) {
		const dir = componentDir(config, memberName(index));
		ensureOwnedDir(dir, user);
		digests[memberName(index)] =
			writePrivate(path.join(dir, 'patroni.yml'), renderPatroniConfig(config, secrets, index, pgBinDir), user) + certificates;
	}
	writePrivate(patronictlConfigPath(config), renderPatronictlConfig(config, secrets));
	for (const cluster of extraClusters(config)) {
		extraMemberNames(cluster).forEach((member, index) => {
			const name = extraMemberDirName(cluster, member);
			ensureOwnedDir(componentDir(config, name), user);
			digests[name] = writePrivate(path.join(componentDir(config, name), 'patroni.yml'), renderPatroniConfig(config, secrets, index, pgBinDir, cluster), user) + certificates;
		});
		writePrivate(extraPatronictlPath(config, cluster), renderPatronictlConfig(config, secrets, cluster.scope));
	}
	return digests;
}
