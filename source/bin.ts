#!/usr/bin/env -S node --no-memory-reducer
// --no-memory-reducer: V8's memory reducer collects the whole heap whenever a process looks idle, and a calm monitor
// looks idle between its frames. Each such collection also drops compiled code, so every 20–30 s the next frame ran
// cold and the compiler threads rebuilt it: 2.5 % of a core in a calm lab, 1.7 % without (docs/benchmark.md,
// figure 2). The heap is still collected when it fills. V8 reads this flag only as the process starts, so it is
// on this line; the benchmark and `npm run demo` run the command with the same flags (scripts/bench/bench-lab.ts).
import {forgetCiWhenWatched} from './watched-terminal.js';

// React's development build checks and records every element: several times slower per frame. The bundle has
// NODE_ENV defined as production at build time (scripts/build/bundle.ts); run from source, this line picks the
// production build unless the caller asked otherwise, and must run before React loads.
// Through an alias: the bundle's define rewrites `process.env.NODE_ENV` itself, which would leave `"production" ??=`.
const environment = process.env;
environment['NODE_ENV'] ??= 'production';
forgetCiWhenWatched(process.stdout, process.env);
await import('./cli.js');
