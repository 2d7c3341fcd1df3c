// The CLI's entry: `node --import tsx source/bin.ts` from source; bundled as dist/patroni-tui.cjs, which the installed
// command (source/launch/launcher.ts) runs. No top-level await here or below: the bundle is CommonJS (code-cache.ts).
import {forgetCiWhenWatched} from './watched-terminal.js';

// React's development build checks and records every element: several times slower per frame. The bundle has
// NODE_ENV defined as production at build time (scripts/build/bundle.ts); run from source, this line picks the
// production build unless the caller asked otherwise, and must run before React loads.
// Through an alias: the bundle's define rewrites `process.env.NODE_ENV` itself, which would leave `"production" ??=`.
const environment = process.env;
environment['NODE_ENV'] ??= 'production';
forgetCiWhenWatched(process.stdout, process.env);
void import('./cli.js');
