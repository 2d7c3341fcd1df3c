import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, it} from 'node:test';
import {exitCodeFor, QUIT_SIGNALS, quitSignals, restoreTerminal, RESTORE_SEQUENCE, say} from '../../source/quit.js';

describe('quitting', () => {
	it('exits with 128 + the signal number', () => {
		assert.deepEqual(QUIT_SIGNALS.map(exitCodeFor), [143, 129, 130]);
	});

	it('takes the first quit signal, and a second one ends the process at once with its code', async () => {
		const exits: number[] = [];
		const fake = Object.assign(new EventEmitter(), {exit: (code: number) => void exits.push(code)}) as unknown as NodeJS.Process;
		const signals = quitSignals(fake);
		fake.emit('SIGHUP');
		assert.equal(await signals.signal, 'SIGHUP');
		assert.deepEqual(exits, []);
		fake.emit('SIGTERM');
		assert.deepEqual(exits, [143]);
		signals.dispose();
		for (const name of QUIT_SIGNALS) assert.equal(fake.listenerCount(name), 0);
	});

	it('gives the terminal back (raw mode off, cursor shown), and a terminal that is gone does not throw', () => {
		const calls: string[] = [];
		const stdin = {isTTY: true, isRaw: true, setRawMode: (isRaw: boolean) => calls.push(`raw ${isRaw}`), pause: () => calls.push('pause'), on: () => undefined};
		const stdout = {isTTY: true, write: (text: string) => (calls.push(JSON.stringify(text)), true), on: () => undefined};
		restoreTerminal(stdin, stdout);
		assert.deepEqual(calls, ['raw false', 'pause', JSON.stringify(RESTORE_SEQUENCE)]);
		const gone = {isTTY: true, isRaw: true, setRawMode: () => assert.fail('EIO'), write: () => assert.fail('EIO'), on: () => undefined};
		assert.doesNotThrow(() => restoreTerminal(gone, gone));
		assert.doesNotThrow(() => say('SIGHUP: stopped', gone));
	});
});
