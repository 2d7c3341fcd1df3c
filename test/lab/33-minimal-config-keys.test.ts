/**
 * The issue's own setup: a monitor started with nothing but a patronictl.yaml holding `scope`, `namespace`,
 * `etcd3.hosts` and `restapi.authentication` (what patronictl needs), no REST seed and no HAProxy: the
 * operations that once failed with "no REST seeds configured" (t, e, R) run from the keys, checked by psql and
 * Patroni's REST API.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import {confirm, editParameter, rollingRestart} from '../helpers/dialog-keys.js';
import {restCredentialsYaml, startKeyedMonitor, type KeyedMonitor} from '../helpers/keyed-monitor.js';
import {TEST_SCOPE, waitFor} from '../helpers/lab.js';
import {psqlValue} from '../helpers/psql-witness.js';
import {restCluster} from '../helpers/rest-witness.js';

describe('t, e and R with only a minimal patronictl.yaml', {timeout: 600_000}, () => {
	let session: KeyedMonitor;

	before(async () => {
		const config = (lab: {etcd: {endpoints: readonly string[]}}) =>
			`scope: ${TEST_SCOPE}\nnamespace: /service/\netcd3:\n  hosts:\n  - ${new URL(lab.etcd.endpoints[0]!).host}\n${restCredentialsYaml()}`;
		session = await startKeyedMonitor('patroni-tui-minimal-config', {'patronictl.yaml': config}, home => ['-c', path.join(home, 'patronictl.yaml')], () => ({}));
	});

	after(async () => {
		await session?.pane.stop();
	});

	beforeEach(async () => {
		await session.settled();
	});

	it('t: the row reaches every member', async () => {
		await session.succeeds('replication check', async () => {
			await session.pane.keys('t');
			await confirm(session.pane, 'Replication check on the leader');
		});
		const token = /patroni-tui-[0-9a-f-]{36}/.exec(session.logLines().join('\n').split('replication check').at(-1) ?? '')?.[0];
		assert.ok(token, 'the check names its row');
		for (const port of session.everyPort()) {
			assert.equal(await psqlValue(port, `select count(*) from words where word = '${token}'`, 'replicatest'), '1', `the row on 127.0.0.1:${port}`);
		}
	});

	it('e, then R: a restart parameter applied, every member restarted with it', async () => {
		const {pane} = session;
		const now = Number(await psqlValue(session.portOf(await session.leader()), 'show max_connections'));
		const value = String(now === 130 ? 125 : 130);
		await session.succeeds(`set max_connections = ${value}`, async () => {
			await editParameter(pane, 'max_connections', value, 'apply only');
		});
		await waitFor('every member pending a restart', async () => ((await restCluster(session.restUrls)).members.every(member => member.pending_restart) ? true : undefined), 30_000);
		await session.succeeds('rolling restart', async () => {
			await rollingRestart(pane, 'leader by switchover');
		}, 240_000);
		for (const port of session.everyPort()) assert.equal(await psqlValue(port, 'show max_connections'), value, `max_connections on 127.0.0.1:${port}`);
		assert.ok((await restCluster(session.restUrls)).members.every(member => !member.pending_restart), 'no member is pending a restart');
	});
});
