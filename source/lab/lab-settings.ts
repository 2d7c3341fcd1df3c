import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {ConfigError} from '../config-error.js';
import {DEFAULT_PORTS, labConfig, type LabConfig, type LabConfigInput} from './lab-config.js';
import {readLabJson} from './lab-json.js';
import {LabRefusal} from './lab-marker.js';

/** What `lab up` was asked for, kept in the state directory so later commands need no flags repeated. */
type LabSettings = {
	readonly scope: string;
	readonly dcs: string;
	readonly synchronousMode: boolean;
	readonly portOffset: number;
	readonly tls: boolean;
	readonly standby: boolean;
	readonly clusters: number;
};

const FILE = 'lab.json';

export function readLabSettings(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, FILE);
	if (fs.existsSync(file)) {
		const how = 'correct it, or remove it and give lab up the flags the lab was made with';
		// A lab made before --tls (or --standby, --clusters) has no "tls" (nor the others): it was made without.
		const settings = readLabJson<Omit<LabSettings, 'tls' | 'standby' | 'clusters'> & {readonly tls?: boolean; readonly standby?: boolean; readonly clusters?: number}>(
			file,
			{scope: 'text', dcs: 'text', synchronousMode: 'boolean', portOffset: 'integer'},
			how,
			{tls: 'boolean', standby: 'boolean', clusters: 'integer'},
		);
		const completed = {...settings, tls: settings.tls ?? false, standby: settings.standby ?? false, clusters: settings.clusters ?? 1};
		try {
			labConfig(completed);
		} catch (error) {
			throw new ConfigError(`${file}: ${(error as Error).message}`);
		}
		return completed;
	}
	return inferFromPatronictl(stateDir);
}

/** A lab made before lab.json existed: its patronictl.yaml still tells the scope, the API and the etcd port. */
function inferFromPatronictl(stateDir: string): LabSettings | undefined {
	const file = path.join(stateDir, 'patronictl.yaml');
	if (!fs.existsSync(file)) return undefined;
	let document: {scope?: unknown; etcd3?: {hosts?: unknown; protocol?: unknown}; etcd?: {hosts?: unknown; protocol?: unknown}} | null;
	try {
		document = YAML.parse(fs.readFileSync(file, 'utf8')) as typeof document;
	} catch {
		// The YAML error quotes the line, and patronictl.yaml holds the REST API's password.
		throw new ConfigError(`${file} is not valid YAML, and there is no lab.json beside it to say how the lab was made`);
	}
	if (typeof document !== 'object' || document === null) return undefined;
	const section = document.etcd3 ?? document.etcd;
	const port = Number(/:(\d+)$/.exec(Array.isArray(section?.hosts) ? String(section.hosts[0]) : '')?.[1]);
	if (typeof document.scope !== 'string' || !document.scope || !Number.isFinite(port)) return undefined;
	const dcs = document.etcd3 ? 'etcd3' : 'etcd2';
	const tls = section?.protocol === 'https';
	return {scope: document.scope, dcs, synchronousMode: false, portOffset: port - DEFAULT_PORTS.etcdClient, tls, standby: false, clusters: 1};
}

export function writeLabSettings(config: LabConfig, portOffset: number): void {
	const settings: LabSettings = {
		scope: config.scope,
		dcs: config.dcs,
		synchronousMode: config.synchronousMode,
		portOffset,
		tls: config.tls,
		standby: config.standby,
		clusters: config.clusters,
	};
	fs.mkdirSync(config.stateDir, {recursive: true, mode: 0o700});
	fs.writeFileSync(path.join(config.stateDir, FILE), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * The lab's configuration: flags, then what the lab was created with. A flag that contradicts how an existing
 * lab was made (its DCS API, synchronous mode, TLS, scope, ports) is refused: its data was initialised that way.
 */
export function resolveLabConfig(input: LabConfigInput, isStrict = false): {config: LabConfig; portOffset: number} {
	const first = labConfig(input);
	const stored = readLabSettings(first.stateDir);
	if (!stored) return {config: first, portOffset: input.portOffset ?? 0};
	const asMade = {
		...input,
		scope: stored.scope,
		dcs: stored.dcs,
		synchronousMode: stored.synchronousMode,
		tls: stored.tls,
		standby: stored.standby,
		clusters: stored.clusters,
		portOffset: stored.portOffset,
	};
	// Only `lab up` would act on a contradicting flag; down, status and destroy just find the lab as it was made.
	if (!isStrict) return {config: labConfig(asMade), portOffset: stored.portOffset};
	const isTlsConflict = input.tls !== undefined && input.tls !== stored.tls;
	const isStandbyConflict = input.standby !== undefined && input.standby !== stored.standby;
	const isClustersConflict = input.clusters !== undefined && input.clusters !== stored.clusters;
	const conflicts = [
		input.scope !== undefined && input.scope !== stored.scope && `scope ${stored.scope}`,
		input.dcs !== undefined && input.dcs !== stored.dcs && `--dcs ${stored.dcs}`,
		input.synchronousMode !== undefined && input.synchronousMode !== stored.synchronousMode && (stored.synchronousMode ? '--synchronous-mode' : 'no --synchronous-mode'),
		input.portOffset !== undefined && input.portOffset !== stored.portOffset && `--port-offset ${stored.portOffset}`,
		isTlsConflict && (stored.tls ? '--tls' : 'no --tls'),
		isStandbyConflict && (stored.standby ? '--standby' : 'no --standby'),
		isClustersConflict && `--clusters ${stored.clusters}`,
	].filter(Boolean);
	if (conflicts.length > 0) {
		const sentence = `The lab in ${first.stateDir} was made with ${conflicts.join(', ')}. Use that, or "lab destroy" it first.`;
		// Its certificates, etcd's users and PostgreSQL's hostssl lines are made at the first lab up: a lab cannot be
		// switched to or from TLS, and nothing has been touched yet (exit 2).
		// The extra clusters are kept as made too (their data, their ports): refused before anything is touched.
		throw isTlsConflict || isStandbyConflict || isClustersConflict ? new LabRefusal(sentence) : new Error(sentence);
	}
	return {config: labConfig(asMade), portOffset: stored.portOffset};
}
