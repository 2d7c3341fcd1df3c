import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {pathToFileURL} from 'node:url';
import {Box, Text} from 'ink';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {installedPath, SHIPPED_CHANGES} from '../../scripts/build/shipped-changes.js';
import {appliedChanges} from '../loader/register.js';

// What every test script starts Node with: tsx first, so the loader (itself TypeScript) and its hooks load through it.
const PRELOAD = 'node --import tsx --import ./test/loader/register.ts --test';
const INK_FILES = SHIPPED_CHANGES.map(change => change.file).filter(file => !/^(etcd3|@grpc|axios|dockerode|docker-modem)\//.test(file));

describe('the tests run the third-party code the bundle ships (test/loader/)', () => {
	it('every test script starts Node with the loader, after tsx', () => {
		const {scripts} = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {scripts: Record<string, string>};
		for (const name of ['test:unit', 'test:lab', 'test:faults']) assert.ok(scripts[name]?.includes(PRELOAD), `${name}: ${scripts[name]}`);
		assert.ok(process.execArgv.join(' ').includes('--import tsx --import ./test/loader/register.ts'), `this test's process: ${process.execArgv.join(' ')}`);
	});

	it('Ink, as a component test imports it, draws with every Ink change applied, each once', () => {
		const ui = render(createElement(Box, {borderStyle: 'round'}, createElement(Text, {bold: true}, 'node1 ● leader')));
		assert.match(ui.lastFrame() ?? '', /^╭─+╮\n│node1 ● leader +│\n╰─+╯$/);
		ui.unmount();
		const applied = appliedChanges();
		assert.deepEqual(INK_FILES.filter(file => applied.get(file) !== 1), []);
	});

	it('every changed file, loaded as its package loads it, carries its change, applied once', async () => {
		for (const change of SHIPPED_CHANGES) await import(pathToFileURL(installedPath(change.file)).href);
		assert.deepEqual(Object.fromEntries(appliedChanges()), Object.fromEntries(SHIPPED_CHANGES.map(change => [change.file, 1])));
	});

	it('the modules behave as shipped: shared frame caches, standalone widths, stubs that say what is left out', async () => {
		const output = (await import(pathToFileURL(installedPath('ink/build/output.js')).href)) as {FrameCache?: unknown};
		assert.equal(typeof output.FrameCache, 'function', 'ink/build/output.js exports the FrameCache only as patched');
		const {default: stringWidth} = await import('string-width');
		assert.match(String(stringWidth), /standaloneCharactersWidth\(string\)/);
		const {default: ssh} = (await import(pathToFileURL(installedPath('docker-modem/lib/ssh.js')).href)) as {default: () => unknown};
		assert.throws(ssh, /patroni-tui reaches the Docker engine over its unix socket/);
	});
});
