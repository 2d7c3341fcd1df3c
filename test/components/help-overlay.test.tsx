/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {HelpOverlay} from '../../components/help-overlay.js';
import {KEYMAP} from '../../source/keymap.js';
import {lines, renderIn, widest} from './render-text.js';

describe('HelpOverlay', () => {
	it('lists every binding of the keymap under its group', () => {
		const frame = renderIn(<HelpOverlay isReadOnly={false} width={100} height={40} />, 100, 40);
		for (const binding of KEYMAP) assert.match(frame, new RegExp(` {2}\\S.* {2}${binding.label}`), binding.label);
		for (const group of ['General', 'Panes', 'Move', 'Actions']) assert.match(frame, new RegExp(`║${group} `));
		assert.match(frame, /q \^C +quit/);
		assert.match(frame, /k ↑ +up/);
		assert.match(frame, /in order: Members, Lag, Timeline, etcd, HAProxy, Containers, Events, Operations/);
	});

	it('marks every action off in read-only mode', () => {
		const frame = renderIn(<HelpOverlay isReadOnly width={100} height={40} />, 100, 40);
		for (const binding of KEYMAP.filter(b => b.isMutating)) assert.match(frame, new RegExp(` {2}${binding.label} \\(off: read-only\\)`), binding.label);
		assert.match(frame, /quit/);
	});

	it('spills into columns when short, and stays inside its box', () => {
		const frame = renderIn(<HelpOverlay isReadOnly={false} width={80} height={9} />, 80, 9);
		assert.equal(lines(frame).length, 9);
		assert.ok(widest(frame) <= 80);
		assert.match(frame, /quit/);
		assert.match(frame, /page down/);
	});
});
