#!/usr/bin/env node
import {forgetCiWhenWatched} from './watched-terminal.js';

// React's development build checks and records every element: several times slower per frame. The bundle has
// NODE_ENV defined as production at build time (scripts/build/bundle.ts); run from source, this line picks the
// production build unless the caller asked otherwise, and must run before React loads.
const environment = process.env;
environment['NODE_ENV'] ??= 'production';
forgetCiWhenWatched(process.stdout, process.env);
await import('./cli.js');
