/**
 * The installed command runs its CommonJS bundle from V8's code cache (source/launch/code-cache.ts). These run real
 * bundles through the real V8: small ones written here, and the built command itself when it is built.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {codeCacheFolder, commandOf, compileWithCodeCache} from '../../source/launch/code-cache.js';

const run = promisify(execFile);
/** The Node flags the caches below are named for: none, in the child processes and in this one alike. */
const NO_FLAGS: readonly string[] = [];
const CODE_CACHE = path.resolve('source/launch/code-cache.ts');

const folders: string[] = [];
after(() => {
	for (const folder of folders) fs.rmSync(folder, {recursive: true, force: true});
});

function temporaryFolder(): string {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-code-cache-'));
	folders.push(folder);
	return folder;
}

/** A bundle with enough functions that its cache is worth having, which prints what it was given. */
function writeBundle(folder: string, name = 'bundle.cjs'): string {
	const file = path.join(folder, name);
	const functions = Array.from({length: 200}, (_, index) => `function f${index}(x) { return x * ${index} + ${index}; }`).join('\n');
	fs.writeFileSync(
		file,
		`${functions}\nlet sum = 0; for (let i = 0; i < 200; i++) sum += eval('f' + i)(1);\n` +
			'module.exports = {sum, file: __filename, url: __importMeta.url, hasRequire: typeof require("node:fs").readFileSync};\n' +
			'if (process.env.CODE_CACHE_TEST_PRINT) process.stdout.write(JSON.stringify(module.exports));\n',
	);
	return file;
}

/** Runs the bundle through the launcher's own function in a child process, as the installed command does. */
async function launch(bundle: string, environment: NodeJS.ProcessEnv): Promise<{output: Record<string, unknown>; usedCache: boolean}> {
	const script = `import {runWithCodeCache} from ${JSON.stringify(CODE_CACHE)}; const run = runWithCodeCache(${JSON.stringify(bundle)}, ['--json'], process.env, []); process.on('exit', () => process.stderr.write(String(run.usedCache)));`;
	const {stdout, stderr} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {env: {...process.env, ...environment, CODE_CACHE_TEST_PRINT: '1'}});
	return {output: JSON.parse(stdout) as Record<string, unknown>, usedCache: stderr.trim() === 'true'};
}

function cacheFiles(folder: string): string[] {
	return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

describe('the code cache the installed command runs from', () => {
	it('lives in $XDG_CACHE_HOME/patroni-tui, else ~/.cache/patroni-tui, and is off with PATRONI_TUI_CODE_CACHE=off', () => {
		assert.equal(codeCacheFolder({XDG_CACHE_HOME: '/x/cache'}), '/x/cache/patroni-tui');
		assert.equal(codeCacheFolder({}), path.join(os.homedir(), '.cache', 'patroni-tui'));
		assert.equal(codeCacheFolder({XDG_CACHE_HOME: '/x/cache', PATRONI_TUI_CODE_CACHE: 'off'}), undefined);
	});

	it('each command has its own: lab and demo (first on the line), --json, --help/--version, else the monitor', () => {
		assert.equal(commandOf([]), 'monitor');
		assert.equal(commandOf(['--lab', '--scope', 'bench', '--refresh', '250']), 'monitor');
		assert.equal(commandOf(['--json', '--scope', 'bench']), 'json');
		assert.equal(commandOf(['lab', 'up', '--scope', 'bench']), 'lab');
		assert.equal(commandOf(['demo']), 'demo');
		assert.equal(commandOf(['--version']), 'info');
		assert.equal(commandOf(['../../etc/passwd']), 'other');
	});

	it('a first run writes it as it exits; the next run is compiled from it and does the same', async () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		const environment = {XDG_CACHE_HOME: home};
		const first = await launch(bundle, environment);
		assert.equal(first.usedCache, false);
		assert.deepEqual(first.output, {sum: 39800, file: bundle, url: `file://${bundle}`, hasRequire: 'function'});
		assert.equal(cacheFiles(path.join(home, 'patroni-tui')).length, 1);
		const second = await launch(bundle, environment);
		assert.equal(second.usedCache, true);
		assert.deepEqual(second.output, first.output);
	});

	it('a cache V8 rejects (not a cache at all) costs an ordinary start, and is replaced', async () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		await launch(bundle, {XDG_CACHE_HOME: home});
		const [name] = cacheFiles(path.join(home, 'patroni-tui'));
		const file = path.join(home, 'patroni-tui', name!);
		fs.writeFileSync(file, 'not a code cache');
		const compiled = compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS);
		assert.equal(compiled.usedCache, false);
		compiled.save();
		assert.notEqual(fs.readFileSync(file, 'utf8'), 'not a code cache');
		assert.equal(compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS).usedCache, true);
	});

	it('a rebuilt bundle gets a cache of its own, and the old build’s is removed', async () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		await launch(bundle, {XDG_CACHE_HOME: home});
		const [old] = cacheFiles(path.join(home, 'patroni-tui'));
		fs.appendFileSync(bundle, '// rebuilt\n');
		const rebuilt = compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS);
		assert.equal(rebuilt.usedCache, false);
		rebuilt.save();
		const now = cacheFiles(path.join(home, 'patroni-tui'));
		assert.equal(now.length, 1);
		assert.notEqual(now[0], old);
	});

	it('a cache folder that cannot be written only means no cache: the bundle still runs', async () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		// A file where the folder should be: mkdir fails for anyone, root included.
		fs.writeFileSync(path.join(home, 'patroni-tui'), '');
		const {output, usedCache} = await launch(bundle, {XDG_CACHE_HOME: home});
		assert.equal(output['sum'], 39800);
		assert.equal(usedCache, false);
	});

	it('turned off, nothing is read or written', async () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		await launch(bundle, {XDG_CACHE_HOME: home, PATRONI_TUI_CODE_CACHE: 'off'});
		assert.deepEqual(cacheFiles(path.join(home, 'patroni-tui')), []);
	});

	it('a run that had a cache writes a fuller one when it compiled enough more', () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		const first = compileWithCodeCache(bundle, 'monitor', {XDG_CACHE_HOME: home}, NO_FLAGS);
		first.save(); // compiled, not run: only the top level is in it
		const [name] = cacheFiles(path.join(home, 'patroni-tui'));
		const file = path.join(home, 'patroni-tui', name!);
		const before = fs.statSync(file).size;
		const second = compileWithCodeCache(bundle, 'monitor', {XDG_CACHE_HOME: home}, NO_FLAGS);
		assert.equal(second.usedCache, true);
		assert.equal(compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS).usedCache, false, "another command's cache is its own");
		(second.script.runInThisContext() as (...parameters: unknown[]) => void)({}, () => ({readFileSync() {}}), {exports: {}}, bundle, home, {url: ''});
		second.save();
		assert.ok(fs.statSync(file).size > before * 1.1, `${fs.statSync(file).size} bytes after running vs ${before} before`);
	});

	it('each set of Node flags keeps a cache of its own, so runs under two sets do not overwrite each other', () => {
		const home = temporaryFolder();
		const bundle = writeBundle(home);
		const semiSpace = ['--max-semi-space-size=2'];
		compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS).save();
		const underFlags = compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, semiSpace);
		assert.equal(underFlags.usedCache, false, 'no cache written under these flags yet');
		underFlags.save();
		assert.equal(cacheFiles(path.join(home, 'patroni-tui')).length, 2);
		assert.equal(compileWithCodeCache(bundle, 'json', {XDG_CACHE_HOME: home}, NO_FLAGS).usedCache, true);
	});

	const built = 'dist/patroni-tui.cjs';
	it('the built command leaves a cache V8 takes on the next start', {skip: !fs.existsSync(built) && 'not built'}, async () => {
		const home = temporaryFolder();
		const environment = {...process.env, XDG_CACHE_HOME: home};
		const {stdout} = await run('dist/patroni-tui.js', ['--version'], {env: environment});
		assert.match(stdout, /^\d+\.\d+\.\d+/);
		const [name, ...others] = cacheFiles(path.join(home, 'patroni-tui'));
		assert.deepEqual(others, []);
		const written = fs.statSync(path.join(home, 'patroni-tui', name!));
		// Taken, it is not written again as the command exits (a rejected one is): the same file, untouched.
		await run('dist/patroni-tui.js', ['--version'], {env: environment});
		const again = fs.statSync(path.join(home, 'patroni-tui', name!));
		assert.deepEqual([again.ino, again.mtimeMs], [written.ino, written.mtimeMs]);
	});
});
