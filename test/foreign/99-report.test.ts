// Last: writes the foreign-cluster section of docs/reliability.md from what the other files recorded, and checks
// that neither foreign cluster left a process, a port or a folder behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {describe, it} from 'node:test';
import {HAND_WRITTEN, KEPT_BELOW, REPORT_FILE, tailFrom} from '../faults/report.js';
import {FOREIGN_ROOT, FOREIGN_TLS, FOREIGN_V2, FOREIGN_V3} from '../helpers/foreign-cluster.js';
import {FOREIGN_RESULTS_FILE, readForeignResults, renderForeignSection} from './report.js';

const isFree = (port: number) =>
	new Promise<boolean>(resolve => {
		const server = createServer().once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});

describe('the foreign-cluster report', () => {
	it('is written below the fault table in docs/reliability.md', () => {
		const {startedAt, rows} = readForeignResults();
		assert.ok(rows.length > 0, `no results in ${FOREIGN_RESULTS_FILE}: run the whole suite (npm run test:foreign)`);
		const runtime = `${((Date.now() - startedAt) / 60_000).toFixed(1)} min`;
		const existing = fs.existsSync(REPORT_FILE) ? fs.readFileSync(REPORT_FILE, 'utf8') : '';
		const above = existing.includes(KEPT_BELOW) ? existing.slice(0, existing.indexOf(KEPT_BELOW)) : `${existing.trimEnd()}\n\n`;
		const handWritten = tailFrom(HAND_WRITTEN);
		fs.writeFileSync(REPORT_FILE, `${above}${KEPT_BELOW}\n\n${renderForeignSection(rows, runtime)}${handWritten === '' ? '' : `\n${handWritten}`}`);
		fs.rmSync(FOREIGN_RESULTS_FILE, {force: true});
		const failed = rows.filter(row => row.outcome !== 'pass');
		console.log(`[foreign] ${rows.length - failed.length} of ${rows.length} cases passed in ${runtime}${failed.length ? `; FAILED: ${failed.map(row => `${row.case} (${row.api})`).join('; ')}` : ''}`);
	});

	it('left no process, port or folder of any of the clusters', async () => {
		for (const spec of [FOREIGN_V3, FOREIGN_V2, FOREIGN_TLS]) {
			assert.ok(!fs.existsSync(path.join(FOREIGN_ROOT, spec.scope)), `${spec.scope}'s folder is removed`);
			for (const port of [spec.etcdPorts.client, spec.etcdPorts.peer, ...spec.restPorts, ...spec.pgPorts]) assert.ok(await isFree(port), `${spec.scope}: 127.0.0.1:${port} is free`);
		}
	});
});
