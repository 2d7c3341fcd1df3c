/**
 * Text from the cluster (DCS keys and values, tags, member and container names, Patroni's and PostgreSQL's
 * messages, HAProxy's fields) as it may reach a terminal. Anyone who can write a tag can write `\x1b]0;…\x07`
 * (retitle the window), `\x1b[2J` (clear it) or a C1 CSI (`\x9b`, which UTF-8 terminals obey too), and a
 * right-to-left override makes `node1` read as something else: each such character is shown as its escape,
 * in plain ASCII, so it is seen and never obeyed. Ordinary Unicode (box drawing, accents, CJK) is kept.
 *
 * A backslash is kept as it is, so `visible(visible(text)) === visible(text)`: the screen and the event log
 * each escape at their own boundary (components/line.tsx, source/event-log-file.ts), whatever passed through
 * the other.
 */

// C0 controls, DEL, C1 controls; Unicode's line/paragraph separators (some terminals break lines there); the
// bidi marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E, U+2066–9).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};

function escapeOf(char: string): string {
	const named = NAMED[char];
	if (named) return named;
	const code = char.codePointAt(0)!;
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character and bidi override shown as its escape (`\x1b`, `\r`, `\x9b`, `\u202e`). Pure. */
export function visible(text: string): string {
	return text.replace(UNSAFE, escapeOf);
}

// In JSON text these can only stand inside strings, and JSON.stringify escapes C0 but leaves them raw.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * JSON text (JSON.stringify's) with the characters JSON.stringify leaves raw that a terminal obeys (DEL, C1,
 * bidi) written as `\u` escapes: the same JSON for jq, and nothing for a terminal to act on (--json on a TTY).
 */
export function visibleJson(json: string): string {
	return json.replace(UNSAFE_IN_JSON, char => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
