/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {hintKeys, keyLabel} from '../../components/key-labels.js';
import {StatusBar} from '../../components/status-bar.js';
import {activeKeymap, KEYMAP} from '../../source/keymap.js';
import {renderIn} from './render-text.js';

describe('StatusBar', () => {
	it('hints exactly the hinted bindings of the keymap', () => {
		const frame = renderIn(<StatusBar isReadOnly={false} />, 100, 1);
		assert.equal(frame, 'q quit  ? help  Tab next pane  1-8 focus pane  j down  s switchover  e edit parameter  c container');
		for (const binding of activeKeymap(false)) {
			assert.equal(frame.includes(`${hintKeys(binding)} ${binding.label}`), binding.isHinted, binding.label);
		}
	});

	it('puts a message first and says when the session is read-only', () => {
		const frame = renderIn(<StatusBar isReadOnly message="switchover to node1 requested" />, 100, 1);
		assert.match(frame, /^switchover to node1 requested {2}│ read-only {2}q quit/);
	});

	it('cuts the hints, not the message, on a narrow line', () => {
		const frame = renderIn(<StatusBar isReadOnly={false} message="etcd is back" />, 30, 1);
		assert.ok(frame.startsWith('etcd is back'));
		assert.ok([...frame].length <= 30);
	});

	it('names keys the way a person reads them', () => {
		assert.equal(keyLabel('ctrl-c'), '^C');
		assert.equal(keyLabel('down'), '↓');
		assert.equal(hintKeys(KEYMAP.find(binding => binding.command === 'focus-pane')!), '1-8');
	});
});
