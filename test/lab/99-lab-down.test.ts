import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {isPortFree, labPorts} from '../../source/lab/preflight.js';
import {labConfig} from '../../source/lab/lab-config.js';
import {cli, ensureTestLab, labArgs, TEST_PORT_OFFSET, TEST_SCOPE, TEST_STATE_DIR} from '../helpers/lab.js';
import {containersOfScope} from '../helpers/docker-cli.js';

describe('lab down', () => {
	it('leaves no container and no listening port', async () => {
		await ensureTestLab();
		assert.equal((await containersOfScope(TEST_SCOPE)).length, 5);
		const result = await cli(['lab', 'down', ...labArgs()]);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(await containersOfScope(TEST_SCOPE), []);
		const config = labConfig({scope: TEST_SCOPE, stateDir: TEST_STATE_DIR, portOffset: TEST_PORT_OFFSET});
		for (const use of labPorts(config)) assert.ok(await isPortFree(use.port), `${use.purpose} port ${use.port} is free`);
	});
});
