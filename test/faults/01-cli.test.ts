// The command line under bad input and a dead DCS: sentences and exit codes, never a stack; and no password in
// anything it prints. Also starts the suite's table and brings the fault lab up for the files after it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {ensureLab, FAULT_LAB, labArgs, labCli} from './fault-lab.js';
import {measured, startResults} from './report.js';
import {scanFile, scanForSecrets, secretFindings} from './secrets-scan.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-faults-cli-'));

/** A loopback port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

describe('the command line under bad input', () => {
	before(async () => {
		startResults();
		await ensureLab(FAULT_LAB);
	});

	after(() => fs.rmSync(scratch, {recursive: true, force: true}));

	it('a malformed config file: exit 2 and one sentence naming the file, no stack', async () => {
		await measured(60, 'bad input: malformed config file (-c bad.yaml --json)', async row => {
			const cases: Array<[string, string, RegExp]> = [
				['bad.yaml', 'scope: faults\netcd3: {hosts: [127.0.0.1:2379\n  ttl: : :\n', /^patroni-tui: The config file .*bad\.yaml is not valid YAML: .+\n$/],
				['list.yaml', '- scope\n- faults\n', /^patroni-tui: The config file .*list\.yaml is not a YAML mapping\.\n$/],
				['missing.yaml', '', /^patroni-tui: Cannot read the config file .*missing\.yaml: ENOENT.*\n$/],
			];
			const said: string[] = [];
			for (const [name, text, expected] of cases) {
				const file = path.join(scratch, name);
				if (text) fs.writeFileSync(file, text);
				const startedAt = Date.now();
				const result = await labCli(['-c', file, '--json']);
				row.detectedMs = Math.max(row.detectedMs ?? 0, Date.now() - startedAt);
				assert.equal(result.code, 2, `${name}: exit code (stderr: ${result.stderr})`);
				assert.match(result.stderr, expected, name);
				assert.doesNotMatch(result.stderr, /\n\s+at /, `${name}: no stack trace`);
				assert.equal(result.stdout, '', `${name}: nothing on stdout`);
				said.push(result.stderr.trim());
			}
			row.notes = said[0]!.replace(scratch, '…');
		});
	});

	it('--json: one snapshot with a leader, exit 0, and no password in it or in the event log', async () => {
		const logFile = path.join(scratch, 'json-events.log');
		const result = await labCli(['--lab', ...labArgs(FAULT_LAB, ['--json', '--log-file', logFile])]);
		assert.equal(result.code, 0, result.stderr);
		const snapshot = JSON.parse(result.stdout) as ClusterSnapshot;
		assert.ok(snapshot.leader, 'a leader');
		assert.deepEqual(scanForSecrets('--json output', result.stdout), []);
		assert.deepEqual(scanFile('the --json run\'s event log', logFile), []);
	});

	it('etcd unreachable at start-up (--json): the etcd error is in the snapshot, REST still names the leader', async () => {
		await measured(67, 'bad input: etcd unreachable at start-up (--json)', async row => {
			const port = await closedPort();
			const startedAt = Date.now();
			const result = await labCli(['--lab', ...labArgs(FAULT_LAB, ['--etcd', `127.0.0.1:${port}`, '--json', '--log-file', path.join(scratch, 'noetcd.log')])]);
			row.detectedMs = Date.now() - startedAt;
			const snapshot = JSON.parse(result.stdout) as ClusterSnapshot;
			assert.match(snapshot.sources.dcs.error ?? '', /etcd/, 'the DCS source says why');
			assert.ok(snapshot.sources.rest.updatedAt, 'REST answered');
			assert.ok(snapshot.leaderBy.rest, 'REST names the leader');
			assert.equal(result.code, 0, 'a leader (per REST) means exit 0');
			row.notes = `dcs error: ${snapshot.sources.dcs.error}; leader per REST ${snapshot.leaderBy.rest}`;
		});
	});

	it("lab status prints endpoints and no password, as text and as JSON", async () => {
		for (const flags of [[], ['--json']]) {
			const result = await labCli(['lab', 'status', ...labArgs(FAULT_LAB, flags)]);
			assert.equal(result.code, 0, result.stderr);
		}
		assert.deepEqual(secretFindings(), [], 'no password in any lab command output');
	});
});
