/** Reads the scope and name out of a Patroni YAML on this host (a file a container mounts); never anything else. */
import fs from 'node:fs/promises';
import YAML from 'yaml';

/** A Patroni configuration is a few KB; anything much bigger is not one. */
const MAX_BYTES = 256 * 1024;

export type PatroniIdentity = {readonly scope?: string; readonly name?: string};

/** Patroni's top-level `scope` and `name` in YAML text; undefined when it is not YAML or names neither. */
export function patroniIdentity(text: string): PatroniIdentity | undefined {
	let document: unknown;
	try {
		document = YAML.parse(text);
	} catch {
		return undefined;
	}
	if (typeof document !== 'object' || document === null) return undefined;
	const {scope, name} = document as Record<string, unknown>;
	const asText = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
	const identity = Object.fromEntries(Object.entries({scope: asText(scope), name: asText(name)}).filter(([, value]) => value !== undefined));
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
