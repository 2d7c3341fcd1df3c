/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DialogView} from '../../components/dialog-view.js';
import type {Dialog} from '../../source/dialog.js';
import {renderText} from './render-text.js';

describe('DialogView', () => {
	it("keeps a context line's indentation, so a YAML diff reads as YAML", () => {
		const dialog: Dialog = {kind: 'confirm', title: 'Apply work_mem = 8MB?', lines: ['postgresql:', '  parameters:', '+   work_mem: "8MB"'], onAnswer: () => ({kind: 'close'})};
		const rows = renderText(<DialogView dialog={dialog} width={60} height={8} />).split('\n');
		assert.ok(rows.some(row => row.startsWith('║postgresql:')), rows.join('\n'));
		assert.ok(rows.some(row => row.startsWith('║  parameters:')), rows.join('\n'));
		assert.ok(rows.some(row => row.startsWith('║+   work_mem: "8MB"')), rows.join('\n'));
	});
});
