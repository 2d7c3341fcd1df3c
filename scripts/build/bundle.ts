/**
 * The installed command's CLI as one file (dist/patroni-tui.cjs, run by the launcher dist/patroni-tui.js): Node
 * reads one script instead of the hundreds of modules Ink, React and meow are made of, and V8 can keep it compiled
 * between runs (source/launch/code-cache.ts); Ink's caches are patched on the way in (see ink-patches.ts). The
 * clients are bundled too (see bundled-clients.ts); pg's optional native binding stays outside, as it is looked up
 * at run time.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {build, type BuildOptions} from 'esbuild';
import {shippedChangesPlugin, unappliedChanges} from './patch-plugin.js';
import {SHIPPED_CHANGES} from './shipped-changes.js';

// Usage: bundle.ts [entry outfile]. Without arguments: the installed command, which is two files: the CLI as one
// CommonJS bundle (dist/patroni-tui.cjs), which V8 can cache compiled (source/launch/code-cache.ts), and the small
// launcher that runs it (dist/patroni-tui.js, the package's bin). With arguments (the benchmark's own process): one
// ES module bundle, built with the same plugins, so the frames it times are drawn by the same patched Ink.
const [ENTRY, OUTFILE] = process.argv.slice(2);

const COMMON: BuildOptions = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	external: ['pg-native', 'cpu-features', '*.node'],
	logLevel: 'warning',
	legalComments: 'none',
	// Less text for V8 to read and pre-parse at every start; names are kept, so stack traces still read.
	minifyWhitespace: true,
	minifySyntax: true,
	// The installed command runs React's production build (bin.ts): its development build, 600 KB of the bundle, is left out.
	define: {'process.env.NODE_ENV': '"production"'},
};

/** Bundles the CLI (or the benchmark) with Ink patched and the clients inlined; fails if a patch did not apply. */
async function bundleWithPatches(entry: string, outfile: string, format: 'cjs' | 'esm'): Promise<void> {
	const result = await build({
		...COMMON,
		entryPoints: [entry],
		outfile,
		format,
		metafile: true,
		plugins: [shippedChangesPlugin],
		...(format === 'cjs'
			? // import.meta is a parameter of the launcher's wrapper (code-cache.ts), holding the bundle's own URL.
				{define: {...COMMON.define, 'import.meta': '__importMeta'}}
			: // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
				{banner: {js: "import {createRequire as __patroniTuiCreateRequire} from 'node:module';\nconst require = __patroniTuiCreateRequire(import.meta.url);"}}),
	});
	const unapplied = unappliedChanges(result.metafile);
	if (unapplied.length > 0) throw new Error(`changes not applied (their files were not bundled): ${unapplied.map(change => change.file).join(', ')}`);
	const {size} = await fs.stat(outfile);
	console.log(`bundle: ${path.relative('.', outfile)} ${(size / 1024).toFixed(0)} KB, ${SHIPPED_CHANGES.length} third-party files changed`);
}

if (ENTRY !== undefined && OUTFILE !== undefined) {
	await bundleWithPatches(ENTRY, OUTFILE, 'esm');
	await fs.chmod(OUTFILE, 0o755);
} else {
	await bundleWithPatches('source/bin.ts', 'dist/patroni-tui.cjs', 'cjs');
	await build({...COMMON, entryPoints: ['source/launch/launcher.ts'], outfile: 'dist/patroni-tui.js', format: 'esm'});
	await fs.chmod('dist/patroni-tui.js', 0o755);
}
