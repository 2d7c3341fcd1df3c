/**
 * Node's load hook for the tests (registered by register.ts, runs in Node's hooks thread): an ES module the
 * installed command ships changed (scripts/build/shipped-changes.ts) is loaded with its shipped text, made from
 * the installed file by the same code the bundle uses. CommonJS files are left to register.ts's require hook.
 */
import fs from 'node:fs/promises';
import type {InitializeHook, LoadHook} from 'node:module';
import {fileURLToPath} from 'node:url';
import {installedPath, SHIPPED_CHANGES} from '../../scripts/build/shipped-changes.js';

export type HooksData = {readonly applied: SharedArrayBuffer};

const indexByPath = new Map(SHIPPED_CHANGES.map((change, index) => [installedPath(change.file), index]));
let applied: Int32Array | undefined;

export const initialize: InitializeHook<HooksData> = data => {
	applied = new Int32Array(data.applied);
};

export const load: LoadHook = async (url, context, nextLoad) => {
	const file = url.startsWith('file:') ? fileURLToPath(url) : undefined;
	const index = file === undefined ? undefined : indexByPath.get(file);
	const loaded = await nextLoad(url, context);
	if (index === undefined || loaded.format !== 'module') return loaded;
	// Made from the file on disk, as esbuild reads it, whatever an earlier hook (tsx) did to its text.
	const source = SHIPPED_CHANGES[index]!.ship(await fs.readFile(file!, 'utf8'));
	if (applied) Atomics.add(applied, index, 1);
	return {...loaded, source};
};
