// What was typed on the command line: a flag not in the table or an argument no command takes is refused, with
// the nearest known spelling (pure: source/argv-check.ts, source/nearest.ts).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {commandRefusal, unknownFlag, type FlagTable} from '../../source/argv-check.js';
import {editDistance, nearest} from '../../source/nearest.js';

const TABLE: FlagTable = {
	lab: {type: 'boolean'},
	config: {type: 'string', shortFlag: 'c'},
	readOnly: {type: 'boolean'},
	stateDir: {type: 'string'},
	interval: {type: 'string'},
	calmInterval: {type: 'string'},
	portOffset: {type: 'string'},
	json: {type: 'boolean'},
};

describe('nearest', () => {
	it('counts edits', () => {
		assert.equal(editDistance('read-onyl', 'read-only'), 1, 'a swap is one slip');
		assert.equal(editDistance('kitten', 'sitting'), 3);
		assert.equal(editDistance('', 'abc'), 3);
		assert.equal(editDistance('same', 'same'), 0);
	});

	it('offers a slip or a unique beginning, and no wild guess', () => {
		assert.equal(nearest('read-onyl', ['read-only', 'json']), 'read-only');
		assert.equal(nearest('intervall', ['interval', 'calm-interval']), 'interval');
		assert.equal(nearest('calm', ['interval', 'calm-interval']), 'calm-interval');
		assert.equal(nearest('bogus', ['read-only', 'json', 'interval']), undefined);
		assert.equal(nearest('stauts', ['up', 'down', 'status', 'destroy']), 'status');
	});
});

describe('unknownFlag', () => {
	it('names the flag and the nearest known one', () => {
		assert.equal(unknownFlag(['--lab', '--read-onyl'], TABLE), 'unknown flag --read-onyl (did you mean --read-only?)');
		assert.equal(unknownFlag(['--readonly'], TABLE), 'unknown flag --readonly (did you mean --read-only?)');
		assert.equal(unknownFlag(['--read_only'], TABLE), 'unknown flag --read_only (did you mean --read-only?)');
		assert.equal(unknownFlag(['--bogus'], TABLE), 'unknown flag --bogus (see --help)');
		assert.equal(unknownFlag(['--intervall=2'], TABLE), 'unknown flag --intervall (did you mean --interval?)');
		assert.equal(unknownFlag(['--hepl'], TABLE), 'unknown flag --hepl (did you mean --help?)');
	});

	it('takes every known spelling: kebab, camelCase, --no-, -c, =values, --help, --version', () => {
		const good = ['--lab', '--readOnly', '--read-only', '--no-lab', '-c', 'file', '-c=file', '--state-dir=/x', '--stateDir', '/x', '--help', '--version'];
		assert.equal(unknownFlag(good, TABLE), undefined);
	});

	it('reads values that look like numbers as values, and stops at --', () => {
		assert.equal(unknownFlag(['--port-offset', '-100', '--interval', '-.5'], TABLE), undefined);
		assert.equal(unknownFlag(['--lab', '--', '--bogus'], TABLE), undefined, 'after -- it is an argument (refused as such)');
	});

	it('refuses an unknown short flag, one glued to a value, and --no- on a flag that is not a switch', () => {
		assert.equal(unknownFlag(['-x'], TABLE), 'unknown flag -x (see --help)');
		assert.equal(unknownFlag(['-cfoo'], TABLE), 'unknown flag -cfoo (see --help)');
		assert.equal(unknownFlag(['-lab'], TABLE), 'unknown flag -lab (did you mean --lab?)');
		assert.equal(unknownFlag(['--no-config'], TABLE), 'unknown flag --no-config (did you mean --config?)');
	});

	it('refuses a value given to a switch (yargs reads --read-only=yes as false)', () => {
		assert.equal(unknownFlag(['--read-only=yes'], TABLE), '--read-only takes no value, got "yes"');
		assert.equal(unknownFlag(['--lab=1'], TABLE), '--lab takes no value, got "1"');
		assert.equal(unknownFlag(['--no-lab=false'], TABLE), '--no-lab takes no value, got "false"');
	});
});

describe('commandRefusal', () => {
	const actions = ['up', 'down', 'status', 'destroy'];

	it('takes the monitor, demo and each lab action alone', () => {
		for (const input of [[], ['demo'], ['lab', 'up'], ['lab', 'destroy']]) assert.equal(commandRefusal(input, actions), undefined, input.join(' '));
	});

	it('refuses stray arguments, unknown commands and actions, with the nearest', () => {
		assert.equal(commandRefusal(['lab', 'up', 'extra'], actions), 'lab up takes no arguments, got "extra"');
		assert.equal(commandRefusal(['lab'], actions), 'lab: say one of up, down, status, destroy');
		assert.equal(commandRefusal(['lab', 'stauts'], actions), 'lab: unknown action "stauts" (did you mean status?)');
		assert.equal(commandRefusal(['lab', 'zap'], actions), 'lab: unknown action "zap" (say one of up, down, status, destroy)');
		assert.equal(commandRefusal(['foo'], actions), 'unknown command "foo" (see --help)');
		assert.equal(commandRefusal(['lba'], actions), 'unknown command "lba" (did you mean lab?)');
		assert.equal(commandRefusal(['demo', 'now'], actions), 'demo takes no arguments, got "now"');
	});
});
