/**
 * A replica's container killed on a real cluster, on etcd's v3 API (the test lab) and its v2 API (a v2 lab): once
 * its member key is gone the built monitor, in a real terminal (tmux, 160x48), still shows it as lost, with when it
 * was last seen; the event log has the loss, and the return once the container is started again; `d` dismisses it.
 * Every case ends with the container running and the replica streaming again, read from Patroni's REST API.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import type {LabStatus} from '../../source/lab/lab-status.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {CLI, cli, ensureTestLab, labArgs, waitFor} from '../helpers/lab.js';
import {restCluster, restGet} from '../helpers/rest-witness.js';
import {startPane, type Pane} from '../helpers/tmux-pane.js';
import {logFileLines} from '../helpers/log-lines.js';

const run = promisify(execFile);
const V2_FLAGS = ['--scope', 'v2lab', '--port-offset', '600', '--state-dir', path.join(os.tmpdir(), 'patroni-tui-test-v2lab')];

/** Brings the v2 lab up as test/lab/40 does; says whether it was down before, so only a lab we made is destroyed. */
async function v2LabUp(): Promise<{status: LabStatus; isOurs: boolean}> {
	const before = await cli(['lab', 'status', ...V2_FLAGS, '--json']);
	let wasUp = false;
	try {
		wasUp = before.code === 0 && (JSON.parse(before.stdout) as LabStatus).members.some(member => member.container?.state === 'running');
	} catch {
		wasUp = false;
	}
	const up = await cli(['lab', 'up', ...V2_FLAGS, '--dcs', 'etcd2', '--json']);
	assert.equal(up.code, 0, `lab up --dcs etcd2 failed:\n${up.stderr}`);
	return {status: JSON.parse(up.stdout) as LabStatus, isOurs: !wasUp};
}

const LABS = [
	{title: 'etcd v3 (the test lab)', flags: labArgs(), up: async () => ({status: await ensureTestLab(), isOurs: false})},
	{title: 'etcd v2 (a v2 lab)', flags: V2_FLAGS, up: v2LabUp},
] as const;

const docker = async (...args: string[]) => (await run('docker', args, {timeout: 30_000})).stdout.trim();

for (const lab of LABS) {
	describe(`a killed replica stays on screen as lost, ${lab.title}`, {timeout: 600_000}, () => {
		let status: LabStatus;
		let isOurs = false;
		let pane: Pane;
		let logFile: string;
		const restUrls = () => status.members.map(member => member.restApi);
		const logLines = () => logFileLines(logFile);
		const containerOf = (name: string) => status.members.find(member => member.name === name)?.container?.id ?? assert.fail(`no container for ${name}`);

		/** The leader running and every other member streaming from it, as the leader's own GET /patroni lists them. */
		async function streaming(): Promise<void> {
			await waitFor('every replica streaming from the leader', async () => {
				const {members} = await restCluster(restUrls());
				const head = members.find(member => member.role === 'leader' || member.role === 'master');
				if (head?.state !== 'running' || !head.api_url || members.length !== status.members.length) return undefined;
				const own = await restGet<{replication?: Array<{application_name: string; state: string}>}>([new URL(head.api_url).origin], '/patroni');
				const streamingCount = (own.replication ?? []).filter(row => row.state === 'streaming').length;
				return streamingCount === status.members.length - 1 ? true : undefined;
			}, 180_000, 500);
		}

		/** A replica, with the cursor of the Members pane put on it. */
		async function selectReplica(): Promise<string> {
			await streaming();
			const {members} = await restCluster(restUrls());
			const replica = members.find(member => member.role === 'replica')?.name ?? assert.fail('the cluster has a replica');
			const names = status.members.map(member => member.name).sort();
			await pane.keys('Escape', '1', 'k', 'k', 'k', 'k', ...Array.from({length: names.indexOf(replica)}, () => 'j'));
			return replica;
		}

		/** The member's row in the Members pane, up to the pane's border: panes side by side share a screen line. */
		const rowOf = (screen: string, name: string) => {
			for (const line of screen.split('\n')) {
				const at = new RegExp(`[›\\s][✗! ] ${name} +(127\\.|–|replica|leader|sync|stby|\\?)`).exec(line)?.index;
				if (at !== undefined) return line.slice(at, line.includes('│', at) ? line.indexOf('│', at) : undefined);
			}
			return '';
		};
		const loggedSince = (from: number, text: string) => waitFor(`"${text}" in the event log`, async () => logLines().slice(from).find(line => line.includes(text)), 60_000, 200);

		async function killAndSeeLost(replica: string): Promise<{from: number}> {
			const from = logLines().length;
			const killedAt = Date.now();
			await docker('kill', containerOf(replica));
			// etcd drops the key when its TTL (15 s in the lab) runs out: the member must still be there after that.
			const screen = await pane
				.waitForScreen(`${replica} shown as lost`, text => /\blost\b/.test(rowOf(text, replica)) && /last seen \d\d:\d\d:\d\d \(/.test(text), 60_000)
				.catch(async (error: Error) => {
					// Its key only expires while it stays down: a `lab up` run by anything else meanwhile starts it again.
					const state = await docker('inspect', '--format', '{{.State.Status}} since {{.State.StartedAt}}', containerOf(replica));
					throw new Error(`${error.message}\n(the container, killed at ${new Date(killedAt).toISOString()}, is ${state})`);
				});
			console.log(`# ${lab.title}: ${replica} shown as lost ${((Date.now() - killedAt) / 1000).toFixed(1)} s after docker kill`);
			assert.match(rowOf(screen, replica), /✗ /, 'marked, not only coloured');
			assert.match(screen, new RegExp(`${replica}: lost · last seen \\d\\d:\\d\\d:\\d\\d \\(\\d`), 'the details say when it was last seen');
			await loggedSince(from, `member lost: ${replica} left the DCS (last seen `);
			return {from};
		}

		async function startAgain(replica: string): Promise<void> {
			await docker('start', containerOf(replica));
			await streaming();
		}

		before(async () => {
			({status, isOurs} = await lab.up());
			const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-lost-'));
			logFile = path.join(home, 'events.log');
			pane = await startPane(`patroni-tui-lost-${status.scope}`, [process.execPath, CLI, '--lab', ...lab.flags, '--log-file', logFile], {HOME: home});
			await pane.waitForScreen('the first frame naming a leader', screen => /leader node\d/.test(screen) && /REST \d/.test(screen), 60_000);
		});

		after(async () => {
			await pane?.stop();
			// Whatever a case left behind, the cluster is whole again: every container started, every replica streaming.
			for (const member of status?.members ?? []) if (member.container) await docker('start', member.container.id).catch(() => undefined);
			if (status) await streaming();
			if (isOurs) {
				const destroyed = await cli(['lab', 'destroy', ...V2_FLAGS, '--dcs', 'etcd2']);
				assert.equal(destroyed.code, 0, destroyed.stderr);
			}
		});

		it('keeps it as lost (the event log says so), lists it in --json, and logs its return when started again', async () => {
			const replica = await selectReplica();
			try {
				const {from} = await killAndSeeLost(replica);
				// A one-shot started now never saw it registered: it lists it as the lab's other sources name it.
				const json = await cli(['--lab', ...lab.flags, '--json']);
				const listed = (JSON.parse(json.stdout) as ClusterSnapshot).members.find(member => member.name === replica);
				assert.equal(listed?.isInDcs, false, json.stdout.slice(0, 2000));
				assert.equal(listed?.lost, undefined, 'a one-shot calls lost only what it saw leave');
				await docker('start', containerOf(replica));
				await loggedSince(from, `member back: ${replica} (lost for `);
				await pane.waitForScreen(`${replica} no longer lost`, text => rowOf(text, replica) !== '' && !/\blost\b/.test(rowOf(text, replica)), 60_000);
			} finally {
				await startAgain(replica);
			}
		});

		it('d dismisses it: logged, and no longer drawn as lost', async () => {
			const replica = await selectReplica();
			try {
				const {from} = await killAndSeeLost(replica);
				await pane.keys('d');
				await pane.waitForScreen('the dismissal in the status line', text => text.includes(`dismissed lost member ${replica}`), 10_000);
				await loggedSince(from, `lost member dismissed: ${replica} (last seen `);
				// The lab's HAProxy and containers still name it: it stays, as a member the DCS does not list.
				const screen = await pane.waitForScreen(`${replica} not drawn as lost`, text => !/\blost\b/.test(rowOf(text, replica)), 10_000);
				assert.match(screen, /not registered in etcd/);
				await docker('start', containerOf(replica));
				await loggedSince(from, `member registered in the DCS: ${replica}`);
			} finally {
				await startAgain(replica);
			}
		});
	});
}
