/**
 * The installed command as one file (dist/patroni-tui.js): Node resolves and loads one module instead of the
 * hundreds Ink, React and meow are made of, which is most of the start-up time; and Ink's caches are patched on
 * the way in (see ink-patches.ts). The clients are bundled too (see bundled-clients.ts); pg's optional native
 * binding stays outside, as it is looked up at run time.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {build, type Plugin} from 'esbuild';
import {bundledClients} from './bundled-clients.js';
import {applyInkPatch, INK_PATCHES} from './ink-patches.js';

// Usage: bundle.ts [entry outfile]: by default the installed command. The benchmark bundles itself the same way,
// so the frames it times are drawn by the same patched Ink.
const [ENTRY = 'source/bin.ts', OUTFILE = 'dist/patroni-tui.js'] = process.argv.slice(2);

const inkPatches: Plugin = {
	name: 'ink-patches',
	setup(builder) {
		for (const patch of INK_PATCHES) {
			const filter = new RegExp(`node_modules/${patch.file.replaceAll('.', '\\.')}$`);
			builder.onLoad({filter}, async ({path: file}) => ({contents: applyInkPatch(patch, await fs.readFile(file, 'utf8')), loader: 'js'}));
		}
	},
};

// Ink loads React DevTools only when DEV=true is set; the installed command leaves them out.
const withoutDevtools: Plugin = {
	name: 'without-devtools',
	setup(builder) {
		builder.onResolve({filter: /^(react-devtools-core|ws)$/}, ({path: name}) => ({path: name, namespace: 'left-out'}));
		builder.onLoad({filter: /.*/, namespace: 'left-out'}, ({path: name}) => ({
			contents: `throw new Error(${JSON.stringify(`${name} is not part of the installed patroni-tui (unset DEV)`)});`,
			loader: 'js',
		}));
	},
};

const result = await build({
	entryPoints: [ENTRY],
	outfile: OUTFILE,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	external: ['pg-native', 'cpu-features', '*.node'],
	// CommonJS packages inside an ES module bundle still call require() for Node's own modules.
	banner: {js: "import {createRequire as __patroniTuiCreateRequire} from 'node:module';\nconst require = __patroniTuiCreateRequire(import.meta.url);"},
	plugins: [inkPatches, withoutDevtools, bundledClients],
	metafile: true,
	logLevel: 'warning',
	legalComments: 'none',
	// Less text for V8 to read and pre-parse at every start; names are kept, so stack traces still read.
	minifyWhitespace: true,
	minifySyntax: true,
	// The installed command runs React's production build (bin.ts): its development build, 600 KB of the bundle, is left out.
	define: {'process.env.NODE_ENV': '"production"'},
});
const patched = Object.keys(result.metafile.inputs).filter(input => INK_PATCHES.some(patch => input.endsWith(patch.file)));
if (patched.length !== INK_PATCHES.length) throw new Error(`Ink patches applied to ${patched.length} of ${INK_PATCHES.length} files: ${patched.join(', ')}`);
await fs.chmod(OUTFILE, 0o755);
const {size} = await fs.stat(OUTFILE);
console.log(`bundle: ${path.relative('.', OUTFILE)} ${(size / 1024).toFixed(0)} KB, Ink patched (${patched.length} files)`);
