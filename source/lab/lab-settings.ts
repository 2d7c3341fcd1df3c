import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {DEFAULT_PORTS, labConfig, type LabConfig, type LabConfigInput} from './lab-config.js';

/** What `lab up` was asked for, kept in the state directory so later commands need no flags repeated. */
type LabSettings = {readonly scope: string; readonly dcs: string; readonly synchronousMode: boolean; readonly portOffset: number};

const FILE = 'lab.json';

export function readLabSettings(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, FILE);
	if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as LabSettings;
	return inferFromPatronictl(stateDir);
}

/** A lab made before lab.json existed: its patronictl.yaml still tells the scope, the API and the etcd port. */
function inferFromPatronictl(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, 'patronictl.yaml');
	if (!fs.existsSync(file)) return undefined;
	const document = YAML.parse(fs.readFileSync(file, 'utf8')) as {scope?: string; etcd3?: {hosts?: string[]}; etcd?: {hosts?: string[]}};
	const hosts = document.etcd3?.hosts ?? document.etcd?.hosts ?? [];
	const port = Number(/:(\d+)$/.exec(hosts[0] ?? '')?.[1]);
	if (!document.scope || !Number.isFinite(port)) return undefined;
	return {scope: document.scope, dcs: document.etcd3 ? 'etcd3' : 'etcd2', synchronousMode: false, portOffset: port - DEFAULT_PORTS.etcdClient};
}

export function writeLabSettings(config: LabConfig, portOffset: number): void {
	const settings: LabSettings = {scope: config.scope, dcs: config.dcs, synchronousMode: config.synchronousMode, portOffset};
	fs.mkdirSync(config.stateDir, {recursive: true, mode: 0o700});
	fs.writeFileSync(path.join(config.stateDir, FILE), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * The lab's configuration: flags, then what the lab was created with. A flag that contradicts how an existing
 * lab was made (its DCS API, synchronous mode, scope, ports) is refused: its data was initialised that way.
 */
export function resolveLabConfig(input: LabConfigInput, isStrict = false): {config: LabConfig; portOffset: number} {
	const first = labConfig(input);
	const stored = readLabSettings(first.stateDir);
	if (!stored) return {config: first, portOffset: input.portOffset ?? 0};
	// Only `lab up` would act on a contradicting flag; down, status and destroy just find the lab as it was made.
	if (!isStrict) return {config: labConfig({...input, scope: stored.scope, dcs: stored.dcs, synchronousMode: stored.synchronousMode, portOffset: stored.portOffset}), portOffset: stored.portOffset};
	const conflicts = [
		input.scope !== undefined && input.scope !== stored.scope && `scope ${stored.scope}`,
		input.dcs !== undefined && input.dcs !== stored.dcs && `--dcs ${stored.dcs}`,
		input.synchronousMode !== undefined && input.synchronousMode !== stored.synchronousMode && (stored.synchronousMode ? '--synchronous-mode' : 'no --synchronous-mode'),
		input.portOffset !== undefined && input.portOffset !== stored.portOffset && `--port-offset ${stored.portOffset}`,
	].filter(Boolean);
	if (conflicts.length > 0) {
		throw new Error(`The lab in ${first.stateDir} was made with ${conflicts.join(', ')}. Use that, or "lab destroy" it first.`);
	}
	const config = labConfig({...input, scope: stored.scope, dcs: stored.dcs, synchronousMode: stored.synchronousMode, portOffset: stored.portOffset});
	return {config, portOffset: stored.portOffset};
}
