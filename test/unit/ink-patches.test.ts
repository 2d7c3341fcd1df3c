import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {describe, it} from 'node:test';
import {applyInkPatch, INK_PATCHES} from '../../scripts/build/ink-patches.js';

const inkRoot = path.dirname(path.dirname(createRequire(import.meta.url).resolve('ink')));

describe('Ink patches applied when the CLI is bundled', () => {
	for (const patch of INK_PATCHES) {
		it(`applies to the installed ${patch.file}, each edit exactly once`, () => {
			const source = fs.readFileSync(path.join(inkRoot, patch.file.replace(/^ink\//, '')), 'utf8');
			const patched = applyInkPatch(patch, source);
			assert.notEqual(patched, source);
			assert.match(patched, /patroni-tui/);
			for (const [, replace] of patch.edits) assert.ok(patched.includes(replace));
		});
	}

	it('refuses, naming the file, when an edit no longer matches (an Ink upgrade moved it)', () => {
		const [patch] = INK_PATCHES;
		assert.throws(() => applyInkPatch(patch!, 'export default class Output {}'), new RegExp(`${patch!.file}: expected exactly one`));
	});

	it('the built command carries them', {skip: !fs.existsSync('dist/patroni-tui.js') && 'not built'}, () => {
		const bundle = fs.readFileSync('dist/patroni-tui.js', 'utf8');
		assert.match(bundle, /function sharedOutputCaches\(\)/);
		assert.match(bundle, /if \(cache\d*\.size >= [\de]+\) cache\d*\.clear\(\)/, 'measure-text bounded');
		assert.match(bundle, /if \(\+\+cacheSize > [\de]+\)/, 'wrap-text bounded');
	});
});
