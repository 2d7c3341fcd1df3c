/**
 * The write probe beside a switchover starts only once the switchover has validated: one refused writes nothing.
 * The switchover is confirmed against a leader that is no longer the leader (patronictl switched over to the
 * third member while the confirmation was open), so the monitor refuses it from a fresh read. Outside witnesses:
 * Patroni's REST API (who leads) and Debian's psql on every member (no probe table made, the old fixed-name probe
 * table, if any, has no new row). Written to run against the test lab (`npm run test:lab`).
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {choose, waitForDialog} from '../helpers/dialog-keys.js';
import {startKeyedMonitor, type KeyedMonitor} from '../helpers/keyed-monitor.js';
import {labArgs, patronictl, waitFor} from '../helpers/lab.js';
import {probeTables, psqlValue} from '../helpers/psql-witness.js';
import {restCluster, restLeader} from '../helpers/rest-witness.js';

describe('a refused switchover with the write probe writes nothing', {timeout: 300_000}, () => {
	let session: KeyedMonitor;

	before(async () => {
		session = await startKeyedMonitor('patroni-tui-probe-refused', {}, () => ['--lab', ...labArgs()], () => ({}));
	});

	after(async () => {
		await session?.pane.stop();
	});

	/** What psql sees of the probe on every member: its tables, and the old fixed-name table's rows. */
	const probeState = async () =>
		Promise.all(session.everyPort().map(async port => ({
			port,
			tables: await probeTables(port),
			legacyRows: await psqlValue(port, 'select count(*) from patroni_tui_probe').catch(() => 'no table'),
		})));

	it('s, a candidate, now; the leader changes under the open confirmation; y: refused, no probe table, no row', async () => {
		await session.settled();
		const {pane, restUrls} = session;
		const from = await session.leader();
		const replicas = (await restCluster(restUrls)).members.filter(member => member.name !== from).map(member => member.name).sort();
		const [to, third] = replicas;
		assert.ok(to && third, 'two replicas');
		const before = await probeState();

		await pane.keys('s');
		await choose(pane, 'Switchover: choose the new leader', to);
		await choose(pane, `Switchover ${from} → ${to}: when?`, 'now');
		const dialog = await waitForDialog(pane, `Switchover ${from} → ${to}?`);
		assert.ok(dialog.lines.some(line => /Also runs the write probe on/.test(line)), `the confirmation names the probe: ${dialog.lines.join(' / ')}`);

		// While the confirmation is open, someone else switches over to the third member.
		await patronictl(['switchover', '--leader', from, '--candidate', third, '--force']);
		await waitFor(`${third} to lead per REST`, async () => ((await restLeader(restUrls)) === third ? true : undefined), 60_000);

		const logFrom = session.logLines().length;
		await pane.keys('y'); // y: with the write probe
		const end = await waitFor('the switchover to be refused', async () => session.logLines().slice(logFrom).find(line => /switchover/.test(line) && /FAILED|refused|REFUSED/.test(line)), 30_000, 200);
		assert.match(end, new RegExp(`${from}`), `the refusal names the leader it was confirmed against: ${end}`);
		// Long enough for a probe started by mistake to have made its table and written (one write every 50 ms).
		await new Promise(resolve => setTimeout(resolve, 2000));

		const written = session.logLines().slice(logFrom).join('\n');
		assert.doesNotMatch(written, /write probe started/, 'the probe did not start');
		assert.doesNotMatch(written, /patroni_tui_probe_[0-9a-f]{12}/, 'no probe table was named');
		assert.equal((await restLeader(restUrls)), third, 'the refused switchover sent nothing');
		assert.deepEqual(await probeState(), before, 'psql: no probe table made and no probe row written on any member');
	});
});
