// Last (a .tsx, so it sorts after every file of the suite): writes docs/reliability.md (docs/reliability-tls.md on
// the TLS labs) from what the other files recorded, prints the table, and destroys both labs, checking from Docker
// that nothing of them is left.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {containersOfScope} from '../helpers/docker-cli.js';
import {destroyLab, FAULT_LAB, SYNC_LAB} from './fault-lab.js';
import {FAULT_REPORT_FILE, keptTail, readResults, renderReport, renderTable, REPRODUCE, RESULTS_FILE} from './report.js';
import {rememberSecrets, secretFindings} from './secrets-scan.js';

describe('the reliability report', () => {
	it(`is written to ${path.relative('.', FAULT_REPORT_FILE)} and printed`, () => {
		const {startedAt, rows} = readResults();
		assert.ok(rows.length > 0, `no results in ${RESULTS_FILE}: run the whole suite (${REPRODUCE})`);
		const minutes = (Date.now() - startedAt) / 60_000;
		const report = renderReport(rows, {runtime: `${minutes.toFixed(1)} min`, soakMinutes: Number(process.env['FAULTS_SOAK_MINUTES'] ?? 2)});
		fs.mkdirSync('docs', {recursive: true});
		fs.writeFileSync(FAULT_REPORT_FILE, report + keptTail());
		console.log(`\n${renderTable(rows)}\n\nwritten to ${FAULT_REPORT_FILE} (suite runtime ${minutes.toFixed(1)} min)`);
		// The next run (or a subset of files) starts its own table.
		fs.rmSync(RESULTS_FILE, {force: true});
		const failed = rows.filter(row => row.outcome !== 'pass').map(row => row.fault);
		if (failed.length > 0) console.log(`FAILED: ${failed.join('; ')}`);
	});

	it('both labs are destroyed: no container and no state directory left, no password printed', {timeout: 300_000}, async () => {
		rememberSecrets();
		for (const lab of [FAULT_LAB, SYNC_LAB]) {
			const result = await destroyLab(lab);
			assert.equal(result.code, 0, result.stderr);
			assert.deepEqual(await containersOfScope(lab.scope), [], `no ${lab.scope} container`);
			assert.ok(!fs.existsSync(lab.stateDir), `${lab.stateDir} removed`);
		}
		assert.deepEqual(secretFindings(), []);
	});
});
