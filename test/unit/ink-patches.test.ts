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

	it('the built command carries them', {skip: !fs.existsSync('dist/patroni-tui.cjs') && 'not built'}, () => {
		const bundle = fs.readFileSync('dist/patroni-tui.cjs', 'utf8');
		// assert.ok, not match: a failed match would print the whole 2.6 MB bundle.
		assert.ok(/class FrameCache\b|FrameCache ?= ?class\b/.test(bundle), 'FrameCache');
		assert.ok(/function rowText\(/.test(bundle), 'rowText');
		// measure-text.js and wrap-text.js keep their texts in FrameCaches too (names may gain a digit in the bundle).
		assert.equal(bundle.match(/=new FrameCache\d*(,|;)/g)?.length, 5, 'widths, block widths, styled lines, measured and wrapped texts');
	});
});

/**
 * Loads copies of a file, as installed and as patched, beside it (so their relative imports resolve), then removes
 * them. Copies, because the tests run with the patches applied (test/loader/): the installed file itself loads patched.
 */
async function withCopies<T>(file: string, use: (original: T, patched: T) => Promise<void> | void): Promise<void> {
	const patch = INK_PATCHES.find(candidate => candidate.file === file)!;
	const installed = path.join(packages, patch.file);
	const source = fs.readFileSync(installed, 'utf8');
	const copies = Object.entries({original: source, patched: applyInkPatch(patch, source)}).map(([name, text]) => ({path: installed.replace(/\.js$/, `.${name}-${process.pid}.js`), text}));
	try {
		for (const copy of copies) fs.writeFileSync(copy.path, copy.text);
		const [original, patched] = await Promise.all(copies.map(async copy => (await import(pathToFileURL(copy.path).href)) as T));
		await use(original!, patched!);
	} finally {
		for (const copy of copies) fs.rmSync(copy.path, {force: true});
	}
}

type OutputClass = new (options: {width: number; height: number}) => {
	write(x: number, y: number, text: string, options: {transformers: unknown[]}): void;
	clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
	unclip(): void;
	get(): {output: string; height: number};
};

describe("the patched Output (Ink's frame grid)", () => {
	it('draws exactly what the original draws, frame after frame, as lines change, repeat and move', async () => {
		await withCopies<{default: OutputClass}>('ink/build/output.js', ({default: Original}, {default: Patched}) => {
			const lines = [
				'\u001B[1mlabtest\u001B[22m │ \u001B[32m● healthy\u001B[39m │ leader node2',
				'╔═ 1 Members ═══════╗',
				'\u001B[7m›  node1 replica  streaming\u001B[27m',
				'   node2 leader   running',
				'etcd 0.8s  REST 1.2s  SQL 0.4s',
			];
			for (let frame = 0; frame < 12; frame++) {
				const [original, patched] = [new Original({width: 40, height: 8}), new Patched({width: 40, height: 8})];
				for (const output of [original, patched]) {
					output.clip({x1: 0, x2: 30, y1: 0, y2: 7});
					// Some lines stay, some change every frame, some move down a row now and then.
					lines.forEach((line, index) => output.write(index % 3, index + (frame % 4 === 0 ? 1 : 0), index === 4 ? `${line} ${frame}` : line, {transformers: []}));
					output.unclip();
					if (frame % 5 === 2) output.write(2, 6, '\u001B[31m✗ node3: connect ECONNREFUSED\u001B[39m', {transformers: []});
				}
				assert.equal(patched.get().output, original.get().output, `frame ${frame}`);
			}
		});
	});
});

type FrameCacheClass = new () => {get(key: string): unknown; set(key: string, value: unknown): void};

describe('FrameCache (what the last two frames used, in every patched cache)', () => {
	it('keeps an entry while frames use it, and forgets it once two frames went by without it', async () => {
		await withCopies<{default: OutputClass; FrameCache: FrameCacheClass}>('ink/build/output.js', (_, {default: Output, FrameCache}) => {
			const cache = new FrameCache();
			const frame = () => new Output({width: 1, height: 1});
			frame();
			cache.set('every frame', 1);
			cache.set('once', 2);
			frame();
			assert.equal(cache.get('every frame'), 1);
			assert.equal(cache.get('once'), 2, 'used in the frame before: kept');
			for (let index = 0; index < 5; index++) {
				frame();
				assert.equal(cache.get('every frame'), 1, `frame ${index}: used in every frame, so kept`);
			}
			assert.equal(cache.get('once'), undefined, 'frames went by without it: forgotten');
		});
	});
});

describe('the patched styledCharsToString', () => {
	it('writes exactly what the original writes, for styled and plain rows alike', async () => {
		const tokenize = (await import('@alcalzone/ansi-tokenize')) as unknown as Tokenizer;
		await withCopies<Pick<Tokenizer, 'styledCharsToString'>>('@alcalzone/ansi-tokenize/build/styledChars.js', (original, patched) => {
			const rows = [
				'plain text, no styles at all',
				'\u001B[1mbold\u001B[22m then \u001B[31mred\u001B[39m then \u001B[2m\u001B[1mdim+bold\u001B[22m plain',
				'\u001B[7m inverse row \u001B[27m\u001B[32m green \u001B[1m and bold\u001B[22m\u001B[39m',
				'\u001B[38;5;208morange\u001B[39m\u001B[48;5;17mon navy\u001B[49m ╔═ 1 Members ═╗',
			];
			for (const row of rows) {
				const chars = tokenize.styledCharsFromTokens(tokenize.tokenize(row));
				assert.equal(patched.styledCharsToString(chars), original.styledCharsToString(chars), row);
			}
		});
	});
});

type Tokenizer = {
	tokenize(text: string): unknown[];
	styledCharsFromTokens(tokens: unknown[]): unknown[];
	styledCharsToString(chars: unknown[]): string;
};

describe('the patched string-width (a text of standalone characters is the sum of their widths)', () => {
	type StringWidth = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;
	const STANDALONE_RANGES = [[0x20, 0x7e], [0xa0, 0x2ff], [0x2010, 0x2027], [0x2030, 0x205e], [0x2070, 0x20cf], [0x2100, 0x2bff]] as const;
	const standalone = STANDALONE_RANGES.flatMap(([from, to]) => Array.from({length: to - from + 1}, (_, index) => String.fromCharCode(from + index)));

	it('measures every standalone character, beside others and beside itself, as string-width does', async () => {
		await withCopies<{default: StringWidth}>('string-width/index.js', ({default: original}, {default: patched}) => {
			const differing = standalone.flatMap(character => [`a${character}b`, character + character, `│${character}─`]).filter(text => patched(text) !== original(text));
			assert.deepEqual(differing.slice(0, 10), []);
		});
	});

	it('measures random lines of them, coloured or not, and texts that are not all standalone, as string-width does', async () => {
		let seed = 42;
		const random = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % below);
		const lines = Array.from({length: 3000}, () => {
			let line = '';
			for (let length = 2 + random(60); line.length < length; ) line += random(8) === 0 ? `\u001B[${30 + random(8)}m` : standalone[random(standalone.length)]!;
			return line;
		});
		const others = ['e\u0301x', '👍🏽 ok', '❤️ x', '한글 text', 'a\u200Db', '1\uFE0F\u20E3', 'x\u0000y', 'tab\there', '┌─ node1 ● ✓ ✗ … → ≤ 50 ms'];
		await withCopies<{default: StringWidth}>('string-width/index.js', ({default: original}, {default: patched}) => {
			for (const text of [...lines, ...others]) assert.equal(patched(text), original(text), JSON.stringify(text));
			for (const text of ['│ A ±', '¿Qué? ─']) assert.equal(patched(text, {ambiguousIsNarrow: false}), original(text, {ambiguousIsNarrow: false}));
		});
	});
});
