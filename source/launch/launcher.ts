#!/usr/bin/env -S node --no-memory-reducer
// The installed command (dist/patroni-tui.js): runs the CLI, bundled beside it as patroni-tui.cjs, from V8's code
// cache (code-cache.ts says why).
// --no-memory-reducer: V8's memory reducer collects the whole heap whenever a process looks idle, and a calm monitor
// looks idle between its frames. Each such collection also drops compiled code, so every 20–30 s the next frame ran
// cold and the compiler threads rebuilt it: 2.5 % of a core in a calm lab, 1.7 % without (docs/benchmark.md,
// figure 2). The heap is still collected when it fills. V8 reads this flag only as the process starts, so it is
// on this line; the benchmark and `npm run demo` run the command with the same flags (scripts/bench/bench-lab.ts).
import {fileURLToPath} from 'node:url';
import {runWithCodeCache} from './code-cache.js';

runWithCodeCache(fileURLToPath(new URL('patroni-tui.cjs', import.meta.url)));
