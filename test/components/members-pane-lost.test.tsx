/** @jsxRuntime automatic */
// A lost member's row and a failing member's last good values, greyed with their age; `d` dismisses a lost one.
import assert from 'node:assert/strict';
import {stripVTControlCharacters} from 'node:util';
import {describe, it} from 'node:test';
import type {MemberRow} from '../../source/model/snapshot-types.js';

// Chalk picks its colour level when it is first imported, and this file runs in its own process: colour on before
// Ink loads, so the greyed (dim) values can be told from the others.
process.env['FORCE_COLOR'] = '1';
delete process.env['NO_COLOR'];
const {render} = await import('ink-testing-library');
const {Box} = await import('ink');
const {MembersPane} = await import('../../components/members-pane.js');
const {App} = await import('../../components/app.js');
const {DEFAULT_THRESHOLDS} = await import('../../source/model/alerts.js');
const {formatClock} = await import('../../source/model/format.js');
const {AT, healthySnapshot, member} = await import('../fixtures/snapshot-healthy.js');

const DIM = '\u001B[2m';
const UNDIM = '\u001B[22m';
const LAST_SEEN = AT - 35_000;

/** node3 after its key expired: no source lists it, only the monitor's memory. */
const lostNode3: MemberRow = {
	name: 'node3',
	role: 'unknown',
	roles: {},
	pendingRestart: false,
	tags: {},
	isInDcs: false,
	lost: {at: LAST_SEEN, ageMs: 35_000},
	remembered: {role: 'replica', state: 'streaming', host: '127.0.0.1', port: 15435, timeline: 2, receiveLagBytes: 1_572_864, replayLagBytes: 50_331_648, replayLagSeconds: 7.4, syncState: 'async'},
};

/** node1, registered, but neither its REST API nor its PostgreSQL answers: its lag is only remembered. */
const silentNode1 = member(1, {
	restError: 'timeout of 1500ms exceeded',
	postgresError: 'connect ECONNREFUSED 127.0.0.1:15433',
	receiveLagBytes: undefined,
	replayLagBytes: undefined,
	receiveLagSeconds: undefined,
	replayLagSeconds: undefined,
	replicationState: undefined,
	syncState: undefined,
	restAnswered: {at: AT - 12_000, ageMs: 12_000},
	sqlAnswered: {at: AT - 8000, ageMs: 8000},
	remembered: {receiveLagBytes: 0, replayLagBytes: 2048, replicationState: 'streaming', syncState: 'async'},
});

const leader = healthySnapshot.members.find(row => row.name === 'node2')!;

function draw(members: readonly MemberRow[], selectedIndex: number, width = 170, height = 8): {text: string; raw: string} {
	const instance = render(
		<Box width={width} height={height} flexDirection="column" overflow="hidden">
			<MembersPane thresholds={DEFAULT_THRESHOLDS} members={members} health={healthySnapshot.sources.rest} width={width} height={height} selectedIndex={selectedIndex} isFocused={false} />
		</Box>,
	);
	try {
		const raw = instance.lastFrame() ?? '';
		return {raw, text: stripVTControlCharacters(raw)};
	} finally {
		instance.unmount();
	}
}

/** Whether `figure`, found after `from` in the frame, is drawn dim (greyed). */
function isDim(raw: string, figure: string, from: string): boolean {
	const start = raw.indexOf(from);
	const at = raw.indexOf(figure, start);
	assert.ok(start >= 0 && at >= 0, `${figure} after ${from} not in the frame`);
	const before = raw.slice(0, at);
	return before.lastIndexOf(DIM) > before.lastIndexOf(UNDIM);
}

describe('a lost member in the Members pane', () => {
	it('stays as "lost · last seen", with its last known role, host, timeline and lag greyed', () => {
		const {text, raw} = draw([silentNode1, leader, lostNode3], 2);
		const row = text.split('\n').find(line => line.includes('node3'))!;
		assert.match(row, /^›✗ node3 127\.0\.0\.1:15435 replica +lost +2 +1\.5 MiB +48 MiB 7\.4s async/);
		assert.ok(row.includes(`lost · last seen ${formatClock(LAST_SEEN)} (35s ago)`), row);
		for (const figure of ['127.0.0.1:15435', 'replica', '48 MiB 7.4s', 'async']) assert.ok(isDim(raw, figure, 'node3'), `${figure} greyed`);
		assert.ok(!isDim(raw, 'lost', 'node3'), 'the word lost is not greyed: it is the news');
		// The details under the table say it too, and no longer "not registered in etcd".
		assert.match(text, new RegExp(`node3: lost · last seen ${formatClock(LAST_SEEN)} \\(35s ago\\) · greyed: its last known values`));
		assert.match(text, /last known lag receive 1\.5 MiB · replay 48 MiB/);
		assert.doesNotMatch(text, /not registered in etcd/);
	});

	it("keeps a failing member's last good lag, greyed, with the age of each source's last answer", () => {
		const {text, raw} = draw([silentNode1, leader, lostNode3], 0);
		const row = text.split('\n').find(line => line.includes('node1'))!;
		assert.match(row, /^›✗ node1 127\.0\.0\.1:15433 replica +streaming +2 +0 B +2\.0 KiB async/);
		assert.match(row, /REST 12s old · SQL 8\.0s old$/);
		assert.ok(isDim(raw, '2.0 KiB', 'node1'), 'the remembered replay lag is greyed');
		assert.ok(!isDim(raw, 'streaming', 'node1'), 'what the DCS still says is current');
		assert.match(text, /node1: ✗ REST: timeout of 1500ms exceeded/);
		assert.match(text, /REST 12s old · SQL 8\.0s old · greyed: its last known values/);
	});

	it('fits a narrow pane: the row is cut, the details still say when it was last seen', () => {
		const {text} = draw([silentNode1, leader, lostNode3], 2, 60, 6);
		assert.ok(text.split('\n').every(line => [...line].length <= 60), text);
		assert.match(text, /›✗ node3 .*replica +lost/);
		assert.match(text, /node3: lost · last seen/);
	});
});

describe('d on the Members cursor', () => {
	function setup(members: readonly MemberRow[]) {
		const dismissed: string[] = [];
		const view = {snapshot: {...healthySnapshot, members}, events: [], lagHistory: {at: 0, samples: {}}};
		const monitor = {getView: () => view, subscribe: () => () => undefined, dismissLost: (name: string) => dismissed.push(name) > 0};
		const ui = render(<App monitor={monitor} isReadOnly />);
		const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
		const press = async (key: string) => {
			const before = ui.lastFrame();
			ui.stdin.write(key);
			const deadline = Date.now() + 1000;
			while (ui.lastFrame() === before && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
			await new Promise(resolve => setTimeout(resolve, 20));
		};
		return {dismissed, frame, press, ui};
	}

	it('dismisses the lost member under the cursor, also under --read-only', async () => {
		const {dismissed, frame, press, ui} = setup([silentNode1, leader, lostNode3]);
		await press('j');
		await press('j');
		await press('d');
		assert.deepEqual(dismissed, ['node3']);
		assert.match(frame(), /dismissed lost member node3/);
		ui.unmount();
	});

	it('does nothing to a member that is not lost, and says so', async () => {
		const {dismissed, frame, press, ui} = setup([silentNode1, leader, lostNode3]);
		await press('d');
		assert.deepEqual(dismissed, []);
		assert.match(frame(), /node1 is not lost: nothing to dismiss/);
		ui.unmount();
	});
});
