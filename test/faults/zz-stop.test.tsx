import assert from 'node:assert/strict';
import {before, it} from 'node:test';
import {FAULT_LAB, monitorConfig} from './fault-lab.js';
import {isHealthyFrame} from './frame-text.js';
import {leftoverResources, resourceBaseline, type ResourceBaseline} from './guards.js';
import {startHeadless, type Headless} from './headless.js';
let app: Headless; let baseline: ResourceBaseline;
before(async () => {
	baseline = resourceBaseline();
	console.log('baseline', [...baseline]);
	app = startHeadless(monitorConfig(FAULT_LAB, {logFile: '/tmp/zz-stop.log'}));
	await app.recorder.waitFor('healthy', f => isHealthyFrame(f, ['node1','node2','node3']), 0, 60000);
});
it('stops', async () => {
	await app.stop();
	console.log('after stop', process.getActiveResourcesInfo());
	assert.deepEqual(await leftoverResources(baseline), []);
});
