/**
 * Preloaded by the test scripts, after tsx (`node --import tsx --import ./test/loader/register.ts`), so the tests run
 * Ink, its dependencies and the clients with the changes the installed command's bundle ships
 * (scripts/build/shipped-changes.ts): ES modules through a load hook (hooks.ts), CommonJS files here, as require()
 * compiles them. Each change applied is counted, so a test can prove it (test/unit/shipped-code.test.ts).
 */
import fs from 'node:fs';
import Module, {register} from 'node:module';
import {installedPath, SHIPPED_CHANGES} from '../../scripts/build/shipped-changes.js';
import type {HooksData} from './hooks.js';

// One count per change, in list order, shared with the hooks thread.
const counts = new SharedArrayBuffer(SHIPPED_CHANGES.length * Int32Array.BYTES_PER_ELEMENT);
const applied = new Int32Array(counts);

// A file an upgrade removed fails every test process at once, not only the test that looks for it.
const missing = SHIPPED_CHANGES.filter(change => !fs.existsSync(installedPath(change.file)));
if (missing.length > 0) throw new Error(`test/loader: files the bundle changes are not installed: ${missing.map(change => change.file).join(', ')}`);

register<HooksData>('./hooks.js', {parentURL: import.meta.url, data: {applied: counts}});

type CompiledModule = {_compile(source: string, filename: string): void};
type Extensions = Record<string, (module: CompiledModule, filename: string) => void>;
const extensions = (Module as unknown as {_extensions: Extensions})._extensions;
const compileJs = extensions['.js']!;
const indexByPath = new Map(SHIPPED_CHANGES.map((change, index) => [installedPath(change.file), index]));

extensions['.js'] = function compileShipped(module, filename) {
	const index = indexByPath.get(filename);
	if (index === undefined) return compileJs.call(this, module, filename);
	module._compile(SHIPPED_CHANGES[index]!.ship(fs.readFileSync(filename, 'utf8')), filename);
	Atomics.add(applied, index, 1);
};

/** How many times each shipped change was applied in this process, by file. */
export function appliedChanges(): ReadonlyMap<string, number> {
	return new Map(SHIPPED_CHANGES.map((change, index) => [change.file, Atomics.load(applied, index)]));
}
