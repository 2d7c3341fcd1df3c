/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';

// Chalk picks its colour level when it is first imported, and this file runs in its own process: force colour
// on before Ink loads, so the test sees what a colour terminal would get.
process.env['FORCE_COLOR'] = '1';
const {render} = await import('ink-testing-library');
const {Header} = await import('../../components/header.js');
const {degradedSnapshot} = await import('../fixtures/snapshot-degraded.js');

// Foreground colours 30-37 and 90-97; bold, dim and inverse are not colour, and stay.
const COLOUR = /\u001B\[(?:3[0-7]|9[0-7])m/;

function frame(): string {
	const instance = render(<Header snapshot={degradedSnapshot} height={3} alertLines={1} />);
	const text = instance.lastFrame() ?? '';
	instance.unmount();
	return text;
}

describe('NO_COLOR', () => {
	it('colours by state on a colour terminal, and not at all with NO_COLOR set', () => {
		delete process.env['NO_COLOR'];
		assert.match(frame(), COLOUR);
		process.env['NO_COLOR'] = '1';
		try {
			const plain = frame();
			assert.doesNotMatch(plain, COLOUR);
			assert.match(plain, /etcd ✗ 12s/, 'the mark still says what the red said');
		} finally {
			delete process.env['NO_COLOR'];
		}
	});
});
