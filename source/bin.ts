#!/usr/bin/env node
import {forgetCiWhenWatched} from './watched-terminal.js';

// React's development build checks and records every element: several times slower per frame. The installed
// command runs the production build unless the caller asked otherwise; this must happen before React loads.
process.env['NODE_ENV'] ??= 'production';
forgetCiWhenWatched(process.stdout, process.env);
await import('./cli.js');
