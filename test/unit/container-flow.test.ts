import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {DialogStep} from '../../source/dialog.js';
import {containerFlow} from '../../source/flows/infra-flows.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import {PANE_NAMES, type PaneName} from '../../source/panes.js';
import {healthySnapshot} from '../fixtures/snapshot-healthy.js';
import {contextOn} from '../helpers/operation-context.js';

const onMember = (index: number) => Object.fromEntries(PANE_NAMES.map(name => [name, name === 'members' ? index : 0])) as Record<PaneName, number>;

async function open(snapshot: ClusterSnapshot, member: number): Promise<DialogStep> {
	return containerFlow(() => contextOn(() => snapshot))({snapshot, selection: onMember(member)});
}

/** node1 with no proven container: not in the Containers pane, no container on its row. */
const node1Unproven: ClusterSnapshot = {
	...healthySnapshot,
	members: healthySnapshot.members.map(member => (member.name === 'node1' ? {...member, container: undefined} : member)),
	containers: healthySnapshot.containers.filter(container => container.member !== 'node1'),
};

describe('the container key', () => {
	it('offers only proven containers and says why the selected member has none', async () => {
		const step = await open(node1Unproven, 0);
		assert.ok(step.kind === 'dialog');
		const {dialog} = step;
		assert.deepEqual(dialog.lines, ["No container is proven to be node1's: no label, environment, hostname or listening port names it."]);
		assert.ok(dialog.kind === 'choose');
		assert.ok(!dialog.options.some(option => option.value === 'patroni-tui-lab-node1'), 'no guess by name');
		assert.deepEqual(dialog.options.map(option => option.value).sort(), node1Unproven.containers.map(container => container.name).sort());
	});

	it('closes with the reason when nothing is proven, and preselects the member its own proven container', async () => {
		const none = await open({...node1Unproven, containers: []}, 0);
		assert.deepEqual(none, {kind: 'close', message: "No container is proven to be node1's: no label, environment, hostname or listening port names it."});
		const docker = {name: 'docker', isEnabled: false, isStale: false, offReason: 'no engine socket at /var/run/docker.sock'} as const;
		const off = await open({...node1Unproven, containers: [], sources: {...healthySnapshot.sources, docker}}, 0);
		assert.deepEqual(off, {kind: 'close', message: "No container is proven to be node1's: Docker is off (no engine socket at /var/run/docker.sock)."});
		const proven = await open(healthySnapshot, 1);
		assert.ok(proven.kind === 'dialog' && proven.dialog.kind === 'choose');
		assert.equal(proven.dialog.options[proven.dialog.index]?.value, 'patroni-tui-lab-node2');
		assert.deepEqual(proven.dialog.lines, []);
	});
});
