/**
 * Runs the bundled CLI (one CommonJS file) from V8's code cache: the bytecode V8 compiled for it on an earlier run,
 * kept in the user's cache folder. Without it, every start reads and compiles 2.6 MB of JavaScript again, and
 * compiles each function the first frame needs as it is first called: most of the time before the first frame
 * (docs/benchmark.md, figure 4). Node 22 does the same for ES modules (module.enableCompileCache); Node 20, which
 * this project runs on, has it only for scripts compiled through node:vm, hence a CommonJS bundle.
 *
 * Each command (the monitor, --json, lab, …) keeps a cache of its own, holding the functions that command runs:
 * a cache left by `--version` would hold a fraction of what the monitor needs, and one left by the monitor more
 * than `--json` needs (V8 reads all of it, needed or not). So does each set of Node flags (flagsPart).
 *
 * The cache is an optimisation and nothing else: a cache that is missing, unreadable, stale or rejected by V8
 * (another Node, other flags) costs one ordinary start, and a cache folder that cannot be written costs nothing.
 */
import {createHash} from 'node:crypto';
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

/** When a long run (the monitor) writes its cache: its first frames drawn, so their functions are in it. */
export const SAVE_AFTER_MS = 3000;

/** The folder caches live in, or undefined when the user turned the cache off (PATRONI_TUI_CODE_CACHE=off). */
export function codeCacheFolder(environment: NodeJS.ProcessEnv = process.env): string | undefined {
	if (environment['PATRONI_TUI_CODE_CACHE'] === 'off') return undefined;
	const base = environment['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
	return path.join(base, 'patroni-tui');
}

/**
 * Which of the CLI's commands these arguments run: each has its own cache. A command (lab, demo) comes first, as
 * the help shows it; the launcher does not know which flags take values, so it looks no further for one.
 */
export function commandOf(argv: readonly string[]): string {
	const [first] = argv;
	if (first !== undefined && !first.startsWith('-')) return /^[a-z][a-z-]{0,20}$/.test(first) ? first : 'other';
	if (argv.includes('--json')) return 'json';
	if (argv.includes('--help') || argv.includes('--version')) return 'info';
	return 'monitor';
}

/**
 * One file per bundle build, Node and command: a rebuilt bundle or another Node finds no file rather than one V8
 * would reject. V8 checks the rest (its version, its flags, the source's length) and rejects what does not match.
 */
function buildId(bundle: string): string {
	const {size, mtimeMs} = fs.statSync(bundle);
	return `${path.basename(bundle)}-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}`;
}

/**
 * The Node flags this process runs with, as part of the file's name: V8 rejects a cache written under other flags
 * (--max-semi-space-size is one it checks), so the installed command (its own flags) and `node dist/patroni-tui.js`
 * (none) would otherwise overwrite each other's cache on every run, each start a cold one.
 */
function flagsPart(nodeFlags: readonly string[]): string {
	return nodeFlags.length === 0 ? '' : `-${createHash('sha256').update(nodeFlags.join('\0')).digest('hex').slice(0, 8)}`;
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
function writeCache(folder: string, file: string, data: Buffer, bundle: string, build: string): void {
	try {
		fs.mkdirSync(folder, {recursive: true, mode: 0o700});
		const temporary = `${file}.${process.pid}.tmp`;
		fs.writeFileSync(temporary, data, {mode: 0o600});
		fs.renameSync(temporary, file);
		for (const name of fs.readdirSync(folder)) {
			if (name.startsWith(`${path.basename(bundle)}-`) && !name.startsWith(`${build}-`)) fs.rmSync(path.join(folder, name), {force: true});
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

/** Compiles a CommonJS bundle inside the launcher's wrapper, with the command's code cache if it has a usable one. */
export function compileWithCodeCache(
	bundle: string,
	command: string,
	environment: NodeJS.ProcessEnv = process.env,
	nodeFlags: readonly string[] = process.execArgv,
): CompiledBundle {
	const source = fs.readFileSync(bundle, 'utf8');
	const folder = codeCacheFolder(environment);
	const build = buildId(bundle);
	const file = folder === undefined ? undefined : path.join(folder, `${build}-${command}${flagsPart(nodeFlags)}.v8`);
	const cachedData = readIfThere(file);
	// The wrapper shares the bundle's first line, so line numbers in stack traces stay the bundle's own.
	const script = new vm.Script(`(function (${WRAPPER_PARAMETERS.join(', ')}) {${source}\n})`, {filename: bundle, cachedData});
	const usedCache = cachedData !== undefined && !script.cachedDataRejected;
	let savedSize = usedCache ? cachedData.length : 0;
	return {
		script,
		usedCache,
		save() {
			if (folder === undefined || file === undefined) return;
			// 30 ms for the whole CLI: done once a run at most, never on a path someone waits on.
			const data = script.createCachedData();
			if (data.length <= savedSize * GROWTH_WORTH_WRITING) return;
			writeCache(folder, file, data, bundle, build);
			savedSize = data.length;
		},
	};
}

/**
 * Runs a CommonJS bundle with its command's code cache. A run without one writes it as it exits, or SAVE_AFTER_MS
 * after start if it runs that long (the monitor); a monitor that had one looks again then and writes a fuller one
 * if it compiled enough more (a screen the cached run never drew).
 */
export function runWithCodeCache(
	bundle: string,
	argv: readonly string[] = process.argv.slice(2),
	environment: NodeJS.ProcessEnv = process.env,
	nodeFlags: readonly string[] = process.execArgv,
): CompiledBundle {
	const compiled = compileWithCodeCache(bundle, commandOf(argv), environment, nodeFlags);
	setTimeout(compiled.save, SAVE_AFTER_MS).unref();
	if (!compiled.usedCache) process.once('exit', compiled.save);
	const module = {exports: {}};
	const wrapper = compiled.script.runInThisContext() as (...parameters: unknown[]) => void;
	wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle), {url: pathToFileURL(bundle).href});
	return compiled;
}
