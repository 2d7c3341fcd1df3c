// A broken lab.json or secrets.json: one sentence naming the file and what is wrong, never what is in it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {ConfigError} from '../../source/config-error.js';
import {resolveLabConfig} from '../../source/lab/lab-settings.js';
import {loadOrCreateSecrets, readSecrets} from '../../source/lab/secrets.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-lab-files-'));
after(() => fs.rmSync(root, {recursive: true, force: true}));

const SECRET = 'hunter2-Sup3rSecret';
const GOOD_SECRETS = {superuserPassword: SECRET, replicationPassword: SECRET, rewindPassword: SECRET, restApiUsername: 'patroni', restApiPassword: SECRET};
const GOOD_SETTINGS = {scope: 'lab', dcs: 'etcd3', synchronousMode: false, portOffset: 0};

let count = 0;
function stateDir(files: Readonly<Record<string, string>>): string {
	const dir = path.join(root, `lab${count++}`);
	fs.mkdirSync(dir);
	for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
	return dir;
}

function refused(read: () => unknown): string {
	try {
		read();
	} catch (error) {
		assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
		assert.ok(!error.message.includes(SECRET), `no secret in: ${error.message}`);
		return error.message;
	}
	assert.fail('accepted');
}

const secretsCases: ReadonlyArray<readonly [string, string, string]> = [
	['not JSON', `{"superuserPassword": "${SECRET}", oops}`, 'is not valid JSON'],
	['a list', `["${SECRET}"]`, 'holds a list, not an object'],
	['a field missing', JSON.stringify({...GOOD_SECRETS, restApiPassword: undefined}), 'has no "restApiPassword"'],
	['a password a number', JSON.stringify({...GOOD_SECRETS, superuserPassword: 12345}), 'has "superuserPassword" as a whole number, expected a non-empty string'],
	['a password empty', JSON.stringify({...GOOD_SECRETS, rewindPassword: ''}), 'has "rewindPassword" as an empty string, expected a non-empty string'],
	['a password an object holding it', JSON.stringify({...GOOD_SECRETS, replicationPassword: {value: SECRET}}), 'has "replicationPassword" as an object, expected a non-empty string'],
];

describe('secrets.json', () => {
	for (const [name, text, what] of secretsCases) {
		it(`${name}: named, and no password shown`, () => {
			const dir = stateDir({'secrets.json': text});
			const file = path.join(dir, 'secrets.json');
			const expected = `${file} ${what}; it holds the passwords the lab was made with: restore it, or "lab destroy" and "lab up" for a new lab`;
			assert.equal(refused(() => readSecrets(dir)), expected);
			assert.equal(refused(() => loadOrCreateSecrets(dir)), expected, 'lab up refuses it too, and does not write new passwords over it');
			assert.equal(fs.readFileSync(file, 'utf8'), text);
			assert.equal(refused(() => resolveMonitorConfig({lab: true, stateDir: dir}, {}, () => true)), expected, '--lab');
		});
	}

	it('a good one is read', () => {
		assert.deepEqual(readSecrets(stateDir({'secrets.json': JSON.stringify(GOOD_SECRETS)})), GOOD_SECRETS);
	});
});

describe('lab.json', () => {
	const how = 'correct it, or remove it and give lab up the flags the lab was made with';
	const cases: ReadonlyArray<readonly [string, string, string]> = [
		['not JSON', '{"scope": "lab",', 'is not valid JSON'],
		['empty', '', 'is not valid JSON'],
		['null', 'null', 'holds null, not an object'],
		['no scope', JSON.stringify({...GOOD_SETTINGS, scope: undefined}), 'has no "scope"'],
		['a port offset as text', JSON.stringify({...GOOD_SETTINGS, portOffset: '100'}), 'has "portOffset" as a string, expected a whole number'],
		['synchronousMode as text', JSON.stringify({...GOOD_SETTINGS, synchronousMode: 'yes'}), 'has "synchronousMode" as a string, expected true or false'],
	];
	for (const [name, text, what] of cases) {
		it(name, () => {
			const dir = stateDir({'lab.json': text});
			const expected = `${path.join(dir, 'lab.json')} ${what}; ${how}`;
			assert.equal(refused(() => resolveLabConfig({stateDir: dir})), expected);
			assert.equal(refused(() => resolveMonitorConfig({lab: true, stateDir: dir}, {}, () => true)), expected, '--lab');
		});
	}

	it('values a lab cannot be made with name the file', () => {
		const dcs = stateDir({'lab.json': JSON.stringify({...GOOD_SETTINGS, dcs: 'consul'})});
		assert.equal(refused(() => resolveLabConfig({stateDir: dcs})), `${path.join(dcs, 'lab.json')}: DCS "consul" is not supported: use etcd3 or etcd2.`);
		const offset = stateDir({'lab.json': JSON.stringify({...GOOD_SETTINGS, portOffset: 99999})});
		assert.equal(refused(() => resolveLabConfig({stateDir: offset})), `${path.join(offset, 'lab.json')}: Port offset 99999 is out of range (-10000 to 40000).`);
	});

	it('a patronictl.yaml that is not YAML, with no lab.json, names the file and shows none of it', () => {
		const dir = stateDir({'patronictl.yaml': `scope: lab\nctl:\n  authentication: {password: ${SECRET}\n`});
		assert.equal(refused(() => resolveLabConfig({stateDir: dir})), `${path.join(dir, 'patronictl.yaml')} is not valid YAML, and there is no lab.json beside it to say how the lab was made`);
	});

	it('a bad --scope for --lab is a ConfigError (exit 2), not a stack', () => {
		assert.equal(refused(() => resolveMonitorConfig({lab: true, scope: 'Bad Scope', stateDir: stateDir({})}, {}, () => true)), 'Scope "Bad Scope" is not valid: use lowercase letters, digits and dashes, starting with a letter.');
	});
});
