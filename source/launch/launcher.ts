#!/usr/bin/env -S node --no-memory-reducer --max-semi-space-size=2 --v8-pool-size=1
// The installed command (dist/patroni-tui.js): runs the CLI, bundled beside it as patroni-tui.cjs, from V8's code
// cache (code-cache.ts says why).
// Its Node flags are on this line because V8 reads them only as the process starts; the benchmark and `npm run demo`
// run the command with the same flags (scripts/bench/bench-lab.ts). What each saves is in docs/benchmark.md.
// --no-memory-reducer: V8's memory reducer collects the whole heap whenever a process looks idle, and a calm monitor
// looks idle between its frames. Each such collection also drops compiled code, so every 20–30 s the next frame ran
// cold and the compiler threads rebuilt it: 2.5 % of a core in a calm lab, 1.7 % without (figure 2). The heap is
// still collected when it fills.
// --max-semi-space-size=2 (MB, each of the two halves of the young generation): what a refresh allocates is garbage
// by the next one, and what outlives it (the snapshot, React's tree, the caches) lives for the whole run. V8's young
// generation otherwise grows to 32 MB and keeps it, and the long-lived data reaches the old generation only over the
// first minutes; at 4 MB it is there within seconds, and the process is 25 MB smaller.
// --v8-pool-size=1: each of V8's background threads (4 by default) keeps its own malloc arena, and together they grew
// by 5–10 MB over the first minutes of a monitor's life; one thread is enough for its compiling and sweeping.
import {fileURLToPath} from 'node:url';
import {runWithCodeCache} from './code-cache.js';

runWithCodeCache(fileURLToPath(new URL('patroni-tui.cjs', import.meta.url)));
