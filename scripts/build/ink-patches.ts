/**
 * Changes to Ink 6.8's own files (and some of its dependencies), applied when the CLI is bundled and as the tests
 * load them (shipped-changes.ts). Each one is found by its exact text; if an Ink upgrade moves it, the build and
 * the tests fail rather than silently running without it.
 *
 * - output.js: every frame builds a new Output with empty caches, so each line of text is tokenized into styled
 *   cells again even when it is the same as in the frame before (most of a frame's cost: 40 % of a 100-member
 *   frame at 120x40 went to @alcalzone/ansi-tokenize). One set of caches serves every frame instead. And the blank
 *   cells every frame starts from (one object per cell, 4,800 at 120x40, each frame) are one shared object: cells
 *   are replaced, never changed, so sharing is safe. With both, a row that did not change is made of the very cell
 *   objects of the frame before, so its text (escape codes and all, the rest of a frame's cost) is reused instead
 *   of built again.
 * - Every cache here (output.js's, measure-text.js's, wrap-text.js's) is a FrameCache: it keeps what the last two
 *   frames used and forgets the rest. A monitor's text changes every second (ages, LSNs), so a cache that keeps
 *   everything grows without end, and one emptied past a bound holds thousands of dead entries for minutes: long
 *   enough for V8 to move them to its old generation, whose heap then grew in a saw of 20 MB between full
 *   collections (docs/benchmark.md, figure 6). Forgotten after two frames, they die young and cheaply.
 * - Output looked up the width of every cell it placed in a Map keyed by the cell's text: 4,700 lookups a frame at
 *   160x48, the largest single cost of a frame in a real switchover (docs/benchmark.md, figure 1). A cell of one
 *   UTF-16 unit (nearly all of them) now reads its width from a table of 65,536 bytes.
 * - string-width measures text grapheme by grapheme (Intl.Segmenter, then emoji and East Asian width tests for each
 *   cluster): in a real switchover, a third of Yoga's layout time went to measuring the lines that changed. A text
 *   whose every character stands alone (cannot join a neighbour into one cluster: box drawing, arrows, symbols,
 *   Latin) is now the sum of its characters' widths, each measured once by string-width itself; any other text
 *   takes string-width's own way. Checked against the original on every such character and on random texts
 *   (test/unit/ink-patches.test.ts).
 * - @alcalzone/ansi-tokenize's styledCharsToString, which turns each row of cells back into text, works out the
 *   escape codes between every two neighbouring cells with three Sets and four arrays, even when both cells have
 *   the same style (nearly always). Equal styles now skip that: the codes between them are none either way.
 * - No top-level await, so the installed command can be a CommonJS bundle that runs from V8's code cache
 *   (source/launch/code-cache.ts). yoga-layout awaited its WebAssembly's instantiation: it is now compiled and
 *   instantiated synchronously (Node allows that at any size), through the Emscripten loader's own hook for
 *   supplying the instance. Ink's reconciler awaited React DevTools when DEV=true: the installed command leaves
 *   them out, and says so.
 * - render-node-to-output.js measures every text's width again each frame (string-width: grapheme segmentation
 *   and an emoji test per character), 16 % of a frame, though Yoga's layout has just measured the same text
 *   through measure-text.js's cache. It asks that cache instead.
 */
export type InkPatch = {readonly file: string; readonly edits: ReadonlyArray<readonly [find: string, replace: string]>};

export const INK_PATCHES: readonly InkPatch[] = [
	{
		file: '@alcalzone/ansi-tokenize/build/styledChars.js',
		edits: [
			[
				'            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
				`            // patroni-tui: no codes between equal styles (see scripts/build/ink-patches.ts)
            if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));`,
			],
			[
				'export function styledCharsToString(chars) {',
				`function sameStyles(a, b) {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k].code !== b[k].code || a[k].endCode !== b[k].endCode) return false;
    return true;
}
export function styledCharsToString(chars) {`,
			],
		],
	},
	{
		file: 'ink/build/output.js',
		edits: [
			['    caches = new OutputCaches();', '    caches = (sharedCaches ??= new OutputCaches());'],
			[
				`    constructor(options) {
        const { width, height } = options;`,
				`    constructor(options) {
        frame++; // patroni-tui: a new frame (see FrameCache)
        const { width, height } = options;`,
			],
			[
				`class OutputCaches {
    widths = new Map();
    blockWidths = new Map();
    styledChars = new Map();`,
				`// patroni-tui: a cache that keeps what the last two frames used and forgets the rest (see scripts/build/ink-patches.ts).
// Every new Output is a new frame; a cache moves on to the next generation at its first use in a frame.
let frame = 0;
export class FrameCache {
    current = new Map();
    previous = new Map();
    frame = frame;
    get(key) {
        if (this.frame !== frame) {
            this.previous = this.current;
            this.current = new Map();
            this.frame = frame;
        }
        let value = this.current.get(key);
        if (value === undefined) {
            value = this.previous.get(key);
            if (value !== undefined) this.current.set(key, value);
        }
        return value;
    }
    set(key, value) {
        this.current.set(key, value);
    }
}
let sharedCaches;
// The width of each single UTF-16 unit, once measured (-1: not yet); a unit's width never changes.
const SINGLE_UNIT_WIDTHS = new Int8Array(0x10000).fill(-1);
class OutputCaches {
    widths = new FrameCache();
    blockWidths = new FrameCache();
    styledChars = new FrameCache();`,
			],
			[
				`    getStringWidth(text) {
        let cached = this.widths.get(text);`,
				`    getStringWidth(text) {
        // patroni-tui: one UTF-16 unit (nearly every cell) from a table, not a Map lookup per cell per frame
        if (text.length === 1) {
            const code = text.charCodeAt(0);
            let width = SINGLE_UNIT_WIDTHS[code];
            if (width < 0) width = SINGLE_UNIT_WIDTHS[code] = stringWidth(text);
            return width;
        }
        let cached = this.widths.get(text);`,
			],
			[
				`            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`,
				`            .map((line, y) => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return rowText(y, lineWithoutEmptyItems);
        })`,
			],
			[
				`                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
				'                row.push(BLANK_CELL);',
			],
			[
				'export default class Output {',
				`// patroni-tui: one blank cell for all, and each row's text kept for the next frame (see scripts/build/ink-patches.ts).
const BLANK_CELL = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});
let previousRows = [];
function rowText(y, cells) {
    const previous = previousRows[y];
    if (previous && previous.cells.length === cells.length && previous.cells.every((cell, index) => cell === cells[index])) return previous.text;
    const text = styledCharsToString(cells).trimEnd();
    previousRows[y] = {cells, text};
    return text;
}
export default class Output {`,
			],
		],
	},
	{
		file: 'ink/build/render-node-to-output.js',
		edits: [
			["import widestLine from 'widest-line';", "import measureText from './measure-text.js'; // patroni-tui: cached widths"],
			['                const currentWidth = widestLine(text);', '                const currentWidth = measureText(text).width;'],
		],
	},
	{
		file: 'ink/build/measure-text.js',
		edits: [['const cache = new Map();', "import { FrameCache } from './output.js';\nconst cache = new FrameCache(); // patroni-tui: the last two frames' texts"]],
	},
	{
		file: 'ink/build/wrap-text.js',
		edits: [
			['const cache = {};', "import { FrameCache } from './output.js';\nconst cache = new FrameCache(); // patroni-tui: the last two frames' texts"],
			['    const cachedText = cache[cacheKey];', '    const cachedText = cache.get(cacheKey);'],
			['    cache[cacheKey] = wrappedText;', '    cache.set(cacheKey, wrappedText);'],
		],
	},
	{
		file: 'yoga-layout/dist/src/index.js',
		edits: [
			[
				'const Yoga = wrapAssembly(await loadYoga());',
				`// patroni-tui: instantiated synchronously, without a top-level await (see scripts/build/ink-patches.ts).
const yogaModule = { patroniTuiInstantiateNow: true };
loadYoga(yogaModule).catch(() => {});
if (!yogaModule.calledRun) throw new Error('Yoga (the layout engine) did not start');
const Yoga = wrapAssembly(yogaModule);`,
			],
		],
	},
	{
		file: 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
		edits: [
			[
				'if(h.instantiateWasm)try{return h.instantiateWasm(d,',
				// a(instance) is the loader's own "instance received"; wa() its synchronous read of the embedded binary.
				'/* patroni-tui: synchronous */if(h.patroniTuiInstantiateNow){a(new WebAssembly.Instance(new WebAssembly.Module(wa()),d));return{}}if(h.instantiateWasm)try{return h.instantiateWasm(d,',
			],
		],
	},
	{
		file: 'ink/build/reconciler.js',
		edits: [
			[
				"        await import('./devtools.js');",
				"        throw new Error('patroni-tui: React DevTools are not part of the installed command (unset DEV)');",
			],
			['    ? await loadPackageJson()', '    ? undefined // patroni-tui: DevTools only, left out (above)'],
		],
	},
	{
		file: 'string-width/index.js',
		edits: [
			[
				`		return string.length;
	}
`,
				`		return string.length;
	}

	// patroni-tui: text of characters that each stand alone (see scripts/build/ink-patches.ts) is the sum of theirs
	if (ambiguousIsNarrow && string.length > 1) {
		const simpleWidth = standaloneCharactersWidth(string);
		if (simpleWidth >= 0) {
			return simpleWidth;
		}
	}
`,
			],
			[
				'export default function stringWidth(input, options = {}) {',
				`// patroni-tui: UTF-16 units that form a grapheme cluster of their own whatever their neighbours (no combining
// marks, joiners, variation selectors, surrogates or jamo): printable ASCII and Latin, modifier letters,
// punctuation, super- and subscripts, currency, letterlike symbols, arrows, mathematical and technical symbols,
// box drawing, blocks, shapes, dingbats. Below 0x2C00 all.
function isStandalone(code) {
	return (code >= 0x20 && code <= 0x7E) || (code >= 0xA0 && code <= 0x2FF) || (code >= 0x2010 && code <= 0x2027)
		|| (code >= 0x2030 && code <= 0x205E) || (code >= 0x2070 && code <= 0x20CF) || (code >= 0x2100 && code <= 0x2BFF);
}

// Each standalone unit's width as stringWidth measures it alone (-1: not measured yet).
const STANDALONE_WIDTHS = new Int8Array(0x2C00).fill(-1);

function standaloneCharactersWidth(string) {
	let width = 0;
	for (let index = 0; index < string.length; index++) {
		const code = string.charCodeAt(index);
		if (!isStandalone(code)) {
			return -1;
		}

		let unitWidth = STANDALONE_WIDTHS[code];
		if (unitWidth < 0) {
			unitWidth = STANDALONE_WIDTHS[code] = stringWidth(string[index]);
		}

		width += unitWidth;
	}

	return width;
}

export default function stringWidth(input, options = {}) {`,
			],
		],
	},
];

/** The file's text with the patch applied; throws naming the edit that no longer matches. */
export function applyInkPatch(patch: InkPatch, source: string): string {
	let patched = source;
	for (const [find, replace] of patch.edits) {
		const at = patched.indexOf(find);
		if (at < 0 || patched.indexOf(find, at + 1) >= 0) throw new Error(`${patch.file}: expected exactly one "${find.trim()}" (has the dependency changed?)`);
		patched = patched.slice(0, at) + replace + patched.slice(at + find.length);
	}
	return patched;
}
