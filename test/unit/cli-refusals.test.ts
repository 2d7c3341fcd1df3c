// The built command, given a bad flag, a stray argument or a broken lab file: exit 2 and one sentence, no stack,
// no secret, nothing on stdout, and no connection to the endpoints it was given (a listener stands in for them and
// counts). No lab is needed: everything is refused before anything is reached.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {startCountingListener, type CountingListener} from '../helpers/counting-listener.js';

const BIN = path.resolve('dist/patroni-tui.js');
const skip = !fs.existsSync(BIN) && 'not built';
const run = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-cli-refusals-'));
const SECRET = 'Sup3r-Secret-hunter2';

type Result = {readonly code: number; readonly stdout: string; readonly stderr: string; readonly ms: number};

/** The bundle with a HOME, state and log of the test's own, no PATRONI_* or DOCKER_HOST, and no Docker engine. */
async function command(args: readonly string[]): Promise<Result> {
	const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PATRONI') && name !== 'DOCKER_HOST'));
	const env = {...clean, HOME: scratch, XDG_STATE_HOME: path.join(scratch, 'state'), PATRONI_TUI_LAB_DIR: path.join(scratch, 'default-lab')};
	const started = Date.now();
	try {
		const {stdout, stderr} = await run(process.execPath, [BIN, ...args], {env, timeout: 30_000});
		return {code: 0, stdout, stderr, ms: Date.now() - started};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', ms: Date.now() - started};
	}
}

/** A lab state directory holding `files`. */
function labDir(name: string, files: Readonly<Record<string, string>>): string {
	const dir = path.join(scratch, name);
	fs.mkdirSync(dir, {recursive: true});
	for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text, {mode: 0o600});
	return dir;
}

const GOOD_SECRETS = {superuserPassword: SECRET, replicationPassword: SECRET, rewindPassword: SECRET, restApiUsername: 'patroni', restApiPassword: SECRET};
const LAB_JSON_HOW = 'correct it, or remove it and give lab up the flags the lab was made with';
const SECRETS_HOW = 'it holds the passwords the lab was made with: restore it, or "lab destroy" and "lab up" for a new lab';

type Case = {readonly args: () => string[]; readonly message: () => string};

describe('refused on the command line: exit 2, the sentence, and nothing reached', {skip}, () => {
	let listener: CountingListener;
	let port = 0;
	const noDocker = () => ['--docker-socket', path.join(scratch, 'no-docker.sock')];
	/** Good endpoints, all the counting listener: a refusal must come before any of them is tried. */
	const reachable = (bad: Readonly<Record<string, string>> = {}) => {
		const endpoints = {etcd: `127.0.0.1:${port}`, rest: `http://127.0.0.1:${port}`, 'haproxy-stats': `http://127.0.0.1:${port}/;csv`, 'haproxy-primary': `127.0.0.1:${port}`, ...bad};
		return ['--scope', 'x', ...Object.entries(endpoints).flatMap(([flag, value]) => [`--${flag}`, value]), ...noDocker(), '--log-file', path.join(scratch, 'events.log')];
	};
	const badLabJson = () => labDir('bad-lab-json', {'lab.json': '{"scope": "lab", "dcs": "etcd3",', 'secrets.json': JSON.stringify(GOOD_SECRETS)});
	const badSecrets = () => labDir('bad-secrets', {'lab.json': JSON.stringify({scope: 'lab', dcs: 'etcd3', synchronousMode: false, portOffset: 0}), 'secrets.json': JSON.stringify({...GOOD_SECRETS, superuserPassword: [SECRET]})});
	const notJsonSecrets = () => labDir('not-json-secrets', {'secrets.json': `{"superuserPassword": "${SECRET}" "rest"}`});
	const labJsonFile = () => path.join(scratch, 'bad-lab-json', 'lab.json');

	const cases: Readonly<Record<string, Case>> = {
		'--lab --read-onyl': {args: () => ['--lab', '--read-onyl', ...reachable()], message: () => 'unknown flag --read-onyl (did you mean --read-only?)'},
		'--read_only': {args: () => [...reachable(), '--read_only'], message: () => 'unknown flag --read_only (did you mean --read-only?)'},
		'--read-only=yes': {args: () => [...reachable(), '--read-only=yes'], message: () => '--read-only takes no value, got "yes"'},
		'-x': {args: () => [...reachable(), '-x'], message: () => 'unknown flag -x (see --help)'},
		'lab up --bogus': {args: () => ['lab', 'up', '--bogus', ...noDocker()], message: () => 'unknown flag --bogus (see --help)'},
		'lab up extra': {args: () => ['lab', 'up', 'extra', ...noDocker()], message: () => 'lab up takes no arguments, got "extra"'},
		'lab destroy --forse': {args: () => ['lab', 'destroy', '--forse', '--state-dir', path.join(scratch, 'keep-me'), ...noDocker()], message: () => 'unknown flag --forse (see --help)'},
		'lab stauts': {args: () => ['lab', 'stauts', ...noDocker()], message: () => 'lab: unknown action "stauts" (did you mean status?)'},
		lab: {args: () => ['lab'], message: () => 'lab: say one of up, down, status, destroy'},
		foo: {args: () => ['foo', ...reachable()], message: () => 'unknown command "foo" (see --help)'},
		'demo now': {args: () => ['demo', 'now', ...noDocker()], message: () => 'demo takes no arguments, got "now"'},
		'-- --lab': {args: () => [...reachable(), '--', '--lab'], message: () => 'unknown command "--lab" (see --help)'},
		'--interval 0.001': {args: () => [...reachable(), '--interval', '0.001'], message: () => '--interval: expected seconds from 0.1 to 3600, got "0.001"'},
		'--interval 99999999': {args: () => [...reachable(), '--interval', '99999999'], message: () => '--interval: expected seconds from 0.1 to 3600, got "99999999"'},
		'--interval abc': {args: () => [...reachable(), '--interval', 'abc'], message: () => '--interval: expected seconds from 0.1 to 3600, got "abc"'},
		'--interval (no value)': {args: () => [...reachable(), '--interval'], message: () => '--interval: expected a value, got nothing'},
		'--interval 1 --interval 2': {args: () => [...reachable(), '--interval', '1', '--interval', '2'], message: () => '--interval: given more than once'},
		'--calm-interval 0': {args: () => [...reachable(), '--calm-interval', '0'], message: () => '--calm-interval: expected seconds from 0.1 to 3600, got "0"'},
		'--timeout -5': {args: () => ['lab', 'up', '--timeout', '-5', ...noDocker()], message: () => '--timeout: expected seconds from 1 to 3600, got "-5"'},
		'--timeout 1e9': {args: () => ['lab', 'up', '--timeout', '1e9', ...noDocker()], message: () => '--timeout: expected seconds from 1 to 3600, got "1e9"'},
		'--lag-bytes -1': {args: () => [...reachable(), '--lag-bytes', '-1'], message: () => '--lag-bytes: expected a whole number of bytes, 0 or more, got "-1"'},
		'--lag-seconds NaN': {args: () => [...reachable(), '--lag-seconds', 'NaN'], message: () => '--lag-seconds: expected seconds, 0 or more, got "NaN"'},
		'--port-offset 1.5': {args: () => ['--lab', '--port-offset', '1.5', ...noDocker()], message: () => '--port-offset: expected a whole number from -10000 to 40000, got "1.5"'},
		'--scope (no value)': {args: () => ['--etcd', `127.0.0.1:${port}`, '--scope'], message: () => '--scope: expected a value, got nothing'},
		'--etcd-api v3': {args: () => [...reachable(), '--etcd-api', 'v3'], message: () => '--etcd-api: expected etcd3 or etcd2, got "v3"'},
		'--etcd 127.0.0.1:0': {args: () => reachable({etcd: '127.0.0.1:0'}), message: () => '--etcd: expected host:port or http(s)://host:port, got "127.0.0.1:0"'},
		'--etcd host:99999': {args: () => reachable({etcd: `127.0.0.1:${port},127.0.0.1:99999`}), message: () => '--etcd: expected host:port or http(s)://host:port, got "127.0.0.1:99999"'},
		'--rest http://127.0.0.1:70000': {args: () => reachable({rest: 'http://127.0.0.1:70000'}), message: () => '--rest: expected http(s)://host:port, got "http://127.0.0.1:70000"'},
		'--rest ftp://': {args: () => reachable({rest: 'ftp://127.0.0.1:8008'}), message: () => '--rest: expected http(s)://host:port, got "ftp://127.0.0.1:8008"'},
		'--haproxy-stats 127.0.0.1:7000': {args: () => reachable({'haproxy-stats': '127.0.0.1:7000'}), message: () => '--haproxy-stats: expected an http(s):// URL such as http://127.0.0.1:7000/;csv, got "127.0.0.1:7000"'},
		'--haproxy-primary nohost': {args: () => reachable({'haproxy-primary': 'nohost'}), message: () => '--haproxy-primary: expected host:port, got "nohost"'},
		'--lab, lab.json not JSON': {args: () => ['--lab', '--state-dir', badLabJson(), ...noDocker()], message: () => `${labJsonFile()} is not valid JSON; ${LAB_JSON_HOW}`},
		'--lab --json, lab.json not JSON': {args: () => ['--lab', '--json', '--state-dir', badLabJson(), ...noDocker()], message: () => `${labJsonFile()} is not valid JSON; ${LAB_JSON_HOW}`},
		'--lab, secrets.json password a list': {
			args: () => ['--lab', '--state-dir', badSecrets(), ...noDocker()],
			message: () => `${path.join(scratch, 'bad-secrets', 'secrets.json')} has "superuserPassword" as a list, expected a non-empty string; ${SECRETS_HOW}`,
		},
		'--lab --json, secrets.json not JSON': {
			args: () => ['--lab', '--json', '--state-dir', notJsonSecrets(), ...noDocker()],
			message: () => `${path.join(scratch, 'not-json-secrets', 'secrets.json')} is not valid JSON; ${SECRETS_HOW}`,
		},
	};
	const labCases: Readonly<Record<string, Case>> = {
		'lab status, lab.json not JSON': {args: () => ['lab', 'status', '--state-dir', badLabJson(), ...noDocker()], message: () => `${labJsonFile()} is not valid JSON; ${LAB_JSON_HOW}`},
		'lab down, lab.json not JSON': {args: () => ['lab', 'down', '--state-dir', badLabJson(), ...noDocker()], message: () => `${labJsonFile()} is not valid JSON; ${LAB_JSON_HOW}`},
		'lab destroy, lab.json not JSON': {args: () => ['lab', 'destroy', '--state-dir', badLabJson(), ...noDocker()], message: () => `${labJsonFile()} is not valid JSON; ${LAB_JSON_HOW}`},
		'lab up --scope Bad': {args: () => ['lab', 'up', '--scope', 'Bad', '--state-dir', path.join(scratch, 'bad-scope'), ...noDocker()], message: () => 'Scope "Bad" is not valid: use lowercase letters, digits and dashes, starting with a letter.'},
	};

	before(async () => {
		listener = await startCountingListener();
		port = listener.port;
	});

	after(async () => {
		await listener.close();
		fs.rmSync(scratch, {recursive: true, force: true});
	});

	async function refused(args: string[], prefix: string, message: string): Promise<void> {
		const before = listener.connections();
		const result = await command(args);
		assert.equal(result.code, 2, `exit 2 (stderr: ${result.stderr})`);
		assert.equal(result.stderr, `${prefix}${message}\n`);
		assert.equal(result.stdout, '');
		assert.ok(!result.stderr.includes('    at '), 'no stack');
		assert.ok(!result.stderr.includes(SECRET), 'no secret');
		// Refused before any source started: a connection attempt would have reached the listener by now.
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(listener.connections(), before, 'nothing connected to the endpoints given');
	}

	for (const [name, testCase] of Object.entries(cases)) {
		it(name, () => refused(testCase.args(), 'patroni-tui: ', testCase.message()));
	}
	for (const [name, testCase] of Object.entries(labCases)) {
		const action = testCase.args()[1];
		it(name, () => refused(testCase.args(), `patroni-tui lab ${action}: `, testCase.message()));
	}

	it('lab destroy with its --state-dir mistyped destroys neither that directory nor the default one', async () => {
		const settings = JSON.stringify({scope: 'lab', dcs: 'etcd3', synchronousMode: false, portOffset: 0});
		const meant = labDir('meant', {'lab.json': settings, 'notes.txt': 'mine'});
		const fallback = labDir('default-lab', {'lab.json': settings, 'notes.txt': 'mine too'});
		await refused(['lab', 'destroy', '--sate-dir', meant, ...noDocker()], 'patroni-tui: ', 'unknown flag --sate-dir (did you mean --state-dir?)');
		assert.equal(fs.readFileSync(path.join(meant, 'notes.txt'), 'utf8'), 'mine');
		assert.equal(fs.readFileSync(path.join(fallback, 'notes.txt'), 'utf8'), 'mine too');
	});

	it('--help and --version still answer, exit 0', async () => {
		const help = await command(['lab', 'up', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /--read-only/);
		const version = await command(['--version']);
		assert.equal(version.code, 0);
		assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
	});

	it('the same endpoints without the bad flag are reached (the listener would have seen it)', async () => {
		const before = listener.connections();
		const result = await command([...reachable(), '--json']);
		assert.equal(result.code, 1, `no leader there: exit 1 (stderr: ${result.stderr})`);
		assert.ok(listener.connections() > before, 'the monitor reached the listener');
	});
});
