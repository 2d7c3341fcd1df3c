/**
 * The benchmark's write probe in a process of its own (see probe-timeline.ts): startWriteProbe, as the app runs
 * it, with the time of each acknowledgement printed as a line ("ack <epoch ms>"). A line "finish" on stdin stops it;
 * it then prints its result as JSON and exits. Options come in $BENCH_PROBE_OPTIONS, not argv: they hold a password.
 */
import readline from 'node:readline';
import {startWriteProbe, type WriteProbeOptions} from '../../source/operations/write-probe.js';

const now = () => performance.timeOrigin + performance.now();
const probe = startWriteProbe(JSON.parse(process.env['BENCH_PROBE_OPTIONS']!) as WriteProbeOptions);
let seen = 0;
// The probe counts its acknowledgements; reading the count every 5 ms gives each one a time to ±5 ms.
const timer = setInterval(() => {
	const lines: string[] = [];
	for (const {acknowledged} = probe.stats; seen < acknowledged; seen++) lines.push(`ack ${now()}`);
	if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}, 5);
readline.createInterface({input: process.stdin}).once('line', async () => {
	const result = await probe.finish();
	clearInterval(timer);
	process.stdout.write(`result ${JSON.stringify(result)}\n`, () => process.exit(0));
});
