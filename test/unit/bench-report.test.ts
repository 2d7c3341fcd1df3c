/** docs/benchmark.md across runs: a run rewrites the generated table and keeps the hand-written part below it. */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {HAND_WRITTEN_MARKER, keepHandWritten} from '../../scripts/bench/report.js';

const generated = '# Benchmark\n\n| Figure | patroni-tui |\n| --- | --- |\n| 1 | 9 ms |\n';

describe('the benchmark document a run writes', () => {
	it('keeps what is written by hand below the marker, and drops the table of the run before', () => {
		const previous = `# Benchmark\n\n| 1 | 14 ms |\n\n${HAND_WRITTEN_MARKER}\n\n## What changed\n\nThe pacer.\n`;
		const written = keepHandWritten(generated, previous);
		assert.equal(written, `${generated}\n${HAND_WRITTEN_MARKER}\n\n## What changed\n\nThe pacer.\n`);
		assert.ok(!written.includes('14 ms'));
	});

	it('is the generated part alone when there is no file yet, or no marker in it', () => {
		assert.equal(keepHandWritten(generated, undefined), generated);
		assert.equal(keepHandWritten(generated, '# Benchmark\n\n| 1 | 14 ms |\n'), generated);
	});
});
