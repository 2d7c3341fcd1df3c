#!/usr/bin/env node
// React's development build checks and records every element: several times slower per frame. The installed
// command runs the production build unless the caller asked otherwise; this must happen before React loads.
process.env['NODE_ENV'] ??= 'production';
if (process.stdout.isTTY) {
	const {loadInkForTerminal} = await import('./terminal-ink.js');
	await loadInkForTerminal();
}
await import('./cli.js');
