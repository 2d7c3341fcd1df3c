/**
 * Runs the bundled CLI (one CommonJS file) from V8's code cache: the bytecode V8 compiled for it on an earlier run,
 * kept in the user's cache folder. Without it, every start reads and compiles 2.6 MB of JavaScript again, and
 * compiles each function the first frame needs as it is first called: most of the time before the first frame
 * (docs/benchmark.md, figure 4). Node 22 does the same for ES modules (module.enableCompileCache); Node 20, which
 * this project runs on, has it only for scripts compiled through node:vm, hence a CommonJS bundle.
 *
 * The cache is an optimisation and nothing else: a cache that is missing, unreadable, stale or rejected by V8
 * (another Node, other flags) costs one ordinary start, and a cache folder that cannot be written costs nothing.
 */
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import {pathToFileURL} from 'node:url';

/** The bundle's CommonJS wrapper, plus import.meta (the build defines it as this parameter). */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__importMeta'] as const;

/** A cache written again only when it would hold this much more compiled code than the one read. */
const GROWTH_WORTH_WRITING = 1.1;

/** How long a run that used a cache waits before asking V8 whether it compiled enough more to be worth keeping. */
export const SECOND_LOOK_MS = 3000;

export type CodeCacheOptions = {
	readonly environment?: NodeJS.ProcessEnv;
	readonly secondLookMs?: number;
};

/** The folder caches live in, or undefined when the user turned the cache off (PATRONI_TUI_CODE_CACHE=off). */
export function codeCacheFolder(environment: NodeJS.ProcessEnv = process.env): string | undefined {
	if (environment['PATRONI_TUI_CODE_CACHE'] === 'off') return undefined;
	const base = environment['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
	return path.join(base, 'patroni-tui');
}

/**
 * One cache file per bundle build and Node: a rebuilt bundle or another Node finds no file rather than one V8
 * would reject. V8 checks the rest (its version, its flags, the source's length) and rejects what does not match.
 */
export function codeCacheFile(folder: string, bundle: string, stat: {size: number; mtimeMs: number}): string {
	return path.join(folder, `${cachePrefix(bundle)}${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.v8`);
}

function cachePrefix(bundle: string): string {
	return `${path.basename(bundle)}-`;
}

function readIfThere(file: string | undefined): Buffer | undefined {
	if (file === undefined) return undefined;
	try {
		return fs.readFileSync(file);
	} catch {
		return undefined;
	}
}

/** Writes through a temporary file and a rename, so a reader never sees half a cache; removes older builds' caches. */
function writeCache(file: string, data: Buffer, olderBuildsPrefix: string): void {
	try {
		fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		const temporary = `${file}.${process.pid}.tmp`;
		fs.writeFileSync(temporary, data, {mode: 0o600});
		fs.renameSync(temporary, file);
		for (const name of fs.readdirSync(path.dirname(file))) {
			if (name.startsWith(olderBuildsPrefix) && name !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), name), {force: true});
		}
	} catch {
		// A cache folder that cannot be written (read-only home, full disk) only means no cache.
	}
}

export type CompiledBundle = {
	readonly script: vm.Script;
	/** Whether V8 took the cache read at start (false when there was none or it was rejected). */
	readonly usedCache: boolean;
	/** Writes the cache if it is missing or would now hold enough more compiled code; never throws. */
	save(): void;
};

/** Compiles a CommonJS bundle inside the launcher's wrapper, with the code cache if there is a usable one. */
export function compileWithCodeCache(bundle: string, environment: NodeJS.ProcessEnv = process.env): CompiledBundle {
	const source = fs.readFileSync(bundle, 'utf8');
	const folder = codeCacheFolder(environment);
	const file = folder === undefined ? undefined : codeCacheFile(folder, bundle, fs.statSync(bundle));
	const cachedData = readIfThere(file);
	// The wrapper shares the bundle's first line, so line numbers in stack traces stay the bundle's own.
	const script = new vm.Script(`(function (${WRAPPER_PARAMETERS.join(', ')}) {${source}\n})`, {filename: bundle, cachedData});
	const usedCache = cachedData !== undefined && !script.cachedDataRejected;
	let savedSize = usedCache ? cachedData.length : 0;
	return {
		script,
		usedCache,
		save() {
			if (file === undefined) return;
			const data = script.createCachedData();
			if (data.length <= savedSize * GROWTH_WORTH_WRITING) return;
			writeCache(file, data, cachePrefix(bundle));
			savedSize = data.length;
		},
	};
}

/**
 * Runs a CommonJS bundle with a code cache. SECOND_LOOK_MS after start (the first frames drawn), the cache is
 * written if there was none or this run compiled enough more than it held: a first run that was `--json` leaves
 * out the UI's functions, and the monitor's first run adds them. A run without a cache that ends sooner writes it
 * as it exits.
 */
export function runWithCodeCache(bundle: string, options: CodeCacheOptions = {}): CompiledBundle {
	const compiled = compileWithCodeCache(bundle, options.environment);
	setTimeout(compiled.save, options.secondLookMs ?? SECOND_LOOK_MS).unref();
	if (!compiled.usedCache) process.once('exit', compiled.save);
	const module = {exports: {}};
	const wrapper = compiled.script.runInThisContext() as (...parameters: unknown[]) => void;
	wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle), {url: pathToFileURL(bundle).href});
	return compiled;
}
