/**
 * The same foreign cluster on etcd's v2 API (Patroni's `etcd:` section, etcd --enable-v2): scope `dummy2`, members
 * node1..3 again, ports of its own, beside the test lab. --json and the screen agree with patronictl, no container
 * is claimed, a killed member stays as lost once its key's TTL ran out, and `s` switches over.
 */
import {after, before, beforeEach, describe, it} from 'node:test';
import {FOREIGN_V2, ForeignCluster} from '../helpers/foreign-cluster.js';
import {TEST_SCOPE} from '../helpers/lab.js';
import {FLEET_PROVES, fleetAgreesWithPatronictl, JSON_PROVES, jsonAgreesWithPatronictl, killedMemberStaysLost, LOST_PROVES, NO_CONTAINER_PROVES, SCREEN_PROVES, SWITCHOVER_PROVES, noContainerClaimed, screenAgreesWithPatronictl, switchoverNow} from './cases.js';
import {foreignCase, foreignSetup, type Notes} from './report.js';
import {ensureLabBeside, startForeignMonitor, type ForeignMonitor} from './session.js';

describe('a foreign cluster on etcd v2 beside the test lab', {timeout: 600_000}, () => {
	const cluster = new ForeignCluster(FOREIGN_V2);
	let session: ForeignMonitor;
	let order = 0;
	const test = (name: string, proves: string, body: (notes: Notes) => Promise<void>) => it(name, () => foreignCase(++order, 'etcd2', name, proves, body));

	before(async () => {
		await foreignSetup('etcd2', async () => {
			await Promise.all([cluster.start(), ensureLabBeside()]);
			session = await startForeignMonitor('patroni-tui-foreign-v2', cluster);
		});
	});

	after(async () => {
		await session?.stop();
		await cluster.stop();
	});

	beforeEach(async () => {
		await session.settled();
	});

	test('the fleet on its etcd, no scope given: its one row agrees with patronictl', FLEET_PROVES, async () => {
		await fleetAgreesWithPatronictl(cluster, 'etcd2');
	});

	test('--json agrees with patronictl list -f json: leader, roles, timelines, lag', JSON_PROVES, async () => {
		await jsonAgreesWithPatronictl(session);
	});

	test('the screen agrees with patronictl list -f json', SCREEN_PROVES, async () => {
		await screenAgreesWithPatronictl(session);
	});

	test("no member shows a container and the Containers pane offers none, though the lab's node1..3 run", NO_CONTAINER_PROVES, async () => {
		await noContainerClaimed(session, TEST_SCOPE);
	});

	test('a replica killed (-9, Patroni and postmaster) stays as lost after its key expires, and comes back', LOST_PROVES, async notes => {
		await killedMemberStaysLost(session, notes);
	});

	test('s: a switchover now moves the leader, per patronictl', SWITCHOVER_PROVES, async () => {
		await switchoverNow(session);
	});
});
