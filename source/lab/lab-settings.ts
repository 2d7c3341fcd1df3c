import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {ConfigError} from '../config-error.js';
import {DEFAULT_PORTS, labConfig, type LabConfig, type LabConfigInput} from './lab-config.js';
import {readLabJson} from './lab-json.js';

/** What `lab up` was asked for, kept in the state directory so later commands need no flags repeated. */
type LabSettings = {readonly scope: string; readonly dcs: string; readonly synchronousMode: boolean; readonly portOffset: number};

const FILE = 'lab.json';

export function readLabSettings(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, FILE);
	if (fs.existsSync(file)) {
		const how = 'correct it, or remove it and give lab up the flags the lab was made with';
		const settings = readLabJson<LabSettings>(file, {scope: 'text', dcs: 'text', synchronousMode: 'boolean', portOffset: 'integer'}, how);
		try {
			labConfig({scope: settings.scope, dcs: settings.dcs, portOffset: settings.portOffset});
		} catch (error) {
			throw new ConfigError(`${file}: ${(error as Error).message}`);
		}
		return settings;
	}
	return inferFromPatronictl(stateDir);
}

/** A lab made before lab.json existed: its patronictl.yaml still tells the scope, the API and the etcd port. */
function inferFromPatronictl(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, 'patronictl.yaml');
	if (!fs.existsSync(file)) return undefined;
	let document: {scope?: unknown; etcd3?: {hosts?: unknown}; etcd?: {hosts?: unknown}} | null;
	try {
		document = YAML.parse(fs.readFileSync(file, 'utf8')) as typeof document;
	} catch {
		// The YAML error quotes the line, and patronictl.yaml holds the REST API's password.
		throw new ConfigError(`${file} is not valid YAML, and there is no lab.json beside it to say how the lab was made`);
	}
	if (typeof document !== 'object' || document === null) return undefined;
	const hosts = document.etcd3?.hosts ?? document.etcd?.hosts;
	const port = Number(/:(\d+)$/.exec(Array.isArray(hosts) ? String(hosts[0]) : '')?.[1]);
	if (typeof document.scope !== 'string' || !document.scope || !Number.isFinite(port)) return undefined;
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
