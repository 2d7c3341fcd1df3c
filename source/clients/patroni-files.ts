/** Reads the scope and name out of a Patroni YAML on this host (a file a container mounts); never anything else. */
import fs from 'node:fs/promises';
import {isMapping, parsePatroniYaml, pythonStr} from '../patroni-yaml.js';

/** A Patroni configuration is a few KB; anything much bigger is not one. */
const MAX_BYTES = 256 * 1024;

export type PatroniIdentity = {readonly scope?: string; readonly name?: string};

/** Patroni's top-level `scope` and `name` in YAML text; undefined when it is not YAML or names neither. */
export function patroniIdentity(text: string): PatroniIdentity | undefined {
	let document: unknown;
	try {
		// Read as Patroni reads its own file (YAML 1.1, values as Python prints them): the same parser as the config's.
		document = parsePatroniYaml(text);
	} catch {
		return undefined;
	}
	if (!isMapping(document)) return undefined;
	const asText = (value: unknown) => (Array.isArray(value) || isMapping(value) || value === null || value === undefined ? undefined : pythonStr(value));
	const identity = Object.fromEntries(Object.entries({scope: asText(document['scope']), name: asText(document['name'])}).filter(([, value]) => value !== undefined));
	return Object.keys(identity).length > 0 ? identity : undefined;
}

/** The identity in a Patroni YAML at `hostPath`: undefined when it is missing, unreadable, too big or not Patroni's. */
export async function readPatroniIdentity(hostPath: string): Promise<PatroniIdentity | undefined> {
	try {
		const stat = await fs.stat(hostPath);
		if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
		return patroniIdentity(await fs.readFile(hostPath, 'utf8'));
	} catch {
		return undefined;
	}
}
