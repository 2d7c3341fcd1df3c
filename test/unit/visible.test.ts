import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {visible, visibleJson} from '../../source/model/visible.js';

describe('visible', () => {
	it('shows C0 and C1 controls, ESC, DEL and the bidi overrides as escapes', () => {
		assert.equal(visible('\u001b]0;x\u0007'), '\\x1b]0;x\\x07');
		assert.equal(visible('\u001b[2J'), '\\x1b[2J');
		assert.equal(visible('a\rb\nc\td'), 'a\\rb\\nc\\td');
		assert.equal(visible('\u009b2J \u007f \u0000'), '\\x9b2J \\x7f \\x00');
		assert.equal(visible('node\u202e1\u2066\u200f'), 'node\\u202e1\\u2066\\u200f');
		assert.equal(visible('a\u2028b'), 'a\\u2028b');
	});

	it('keeps ordinary Unicode and backslashes, so escaping twice changes nothing', () => {
		for (const text of ['node1 · ✓ ╭─╮ café 東京 😀', 'C:\\data\\x1b', '']) assert.equal(visible(text), text);
		const once = visible('\u001b[2J\u009b\r');
		assert.equal(visible(once), once);
	});

	it('is the same on every call (no regular expression state carried over)', () => {
		for (let index = 0; index < 3; index++) assert.equal(visible('\u001bx\u001by'), '\\x1bx\\x1by');
	});

	it('--json: DEL, C1 and bidi, which JSON.stringify leaves raw, become \\u escapes of the same JSON', () => {
		const value = {tag: '\u001b[2J \u009b2J \u007f \u202e ok'};
		const json = visibleJson(JSON.stringify(value));
		assert.doesNotMatch(json, /[\u0000-\u001f\u007f-\u009f\u202e]/u);
		assert.deepEqual(JSON.parse(json), value);
	});
});
