import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, it} from 'node:test';
import {applyInkPatch, INK_PATCHES} from '../../scripts/build/ink-patches.js';

// The folder holding Ink's package (and, hoisted beside it, its dependencies).
const packages = path.dirname(path.dirname(path.dirname(createRequire(import.meta.url).resolve('ink'))));

describe('Ink patches applied when the CLI is bundled', () => {
	for (const patch of INK_PATCHES) {
		it(`applies to the installed ${patch.file}, each edit exactly once`, () => {
			const source = fs.readFileSync(path.join(packages, patch.file), 'utf8');
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

describe('the patched styledCharsToString', () => {
	it('writes exactly what the original writes, for styled and plain rows alike', async () => {
		const patch = INK_PATCHES.find(candidate => candidate.file.endsWith('styledChars.js'))!;
		const original = path.join(packages, patch.file);
		// Beside the original, so its relative imports resolve; removed at once.
		const copy = original.replace(/\.js$/, `.patched-${process.pid}.js`);
		fs.writeFileSync(copy, applyInkPatch(patch, fs.readFileSync(original, 'utf8')));
		try {
			const tokenize = (await import('@alcalzone/ansi-tokenize')) as unknown as Tokenizer;
			const patched = (await import(pathToFileURL(copy).href)) as Pick<Tokenizer, 'styledCharsToString'>;
			const rows = [
				'plain text, no styles at all',
				'\u001B[1mbold\u001B[22m then \u001B[31mred\u001B[39m then \u001B[2m\u001B[1mdim+bold\u001B[22m plain',
				'\u001B[7m inverse row \u001B[27m\u001B[32m green \u001B[1m and bold\u001B[22m\u001B[39m',
				'\u001B[38;5;208morange\u001B[39m\u001B[48;5;17mon navy\u001B[49m ╔═ 1 Members ═╗',
			];
			for (const row of rows) {
				const chars = tokenize.styledCharsFromTokens(tokenize.tokenize(row));
				assert.equal(patched.styledCharsToString(chars), tokenize.styledCharsToString(chars), row);
			}
		} finally {
			fs.rmSync(copy, {force: true});
		}
	});
});

type Tokenizer = {
	tokenize(text: string): unknown[];
	styledCharsFromTokens(tokens: unknown[]): unknown[];
	styledCharsToString(chars: unknown[]): string;
};
