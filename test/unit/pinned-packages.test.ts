import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {CLIENT_PATCHES, REPLACED_MODULES} from '../../scripts/build/bundled-clients.js';
import {INK_PATCHES} from '../../scripts/build/ink-patches.js';
import {installedPath, packageOf, SHIPPED_CHANGES} from '../../scripts/build/shipped-changes.js';

// The bundle (and the tests, test/loader/) change third-party files by their exact text: each package they touch is
// pinned to the version that text was written for, so no install can bring another one in unnoticed.
type Manifest = {dependencies: Record<string, string>; overrides: Record<string, string>};
type Lock = {packages: Record<string, {version?: string}>};
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const manifest = readJson('package.json') as Manifest;
const lock = readJson('package-lock.json') as Lock;

/** A package's pin: exact among the dependencies, or the override of its name (or of its name at a range). */
function pinOf(name: string): string | undefined {
	const overridden = Object.entries(manifest.overrides).filter(([key]) => key === name || key.startsWith(`${name}@`));
	return manifest.dependencies[name] ?? (overridden.length === 1 ? overridden[0]![1] : undefined);
}

const countOf = (text: string, find: string) => text.split(find).length - 1;

describe('the packages whose files the bundle changes are pinned exactly', () => {
	for (const name of new Set(SHIPPED_CHANGES.map(change => packageOf(change.file)))) {
		it(`${name}: package.json pins what package-lock.json and node_modules hold`, () => {
			const installed = (readJson(path.join(installedPath(name), 'package.json')) as {version: string}).version;
			assert.equal(lock.packages[`node_modules/${name}`]?.version, installed, 'package-lock.json');
			assert.equal(pinOf(name), installed, `package.json: "${name}" exact in dependencies, or in overrides`);
		});
	}
});

describe('at the pinned versions, every change finds what it changes', () => {
	for (const patch of [...INK_PATCHES, ...CLIENT_PATCHES]) {
		it(`${patch.file}: each edit's text occurs exactly once`, () => {
			const installed = fs.readFileSync(installedPath(patch.file), 'utf8');
			assert.deepEqual(patch.edits.map(([find]) => countOf(installed, find)), patch.edits.map(() => 1));
		});
	}

	it('every replaced module exists (its package still has the file the bundle replaces)', () => {
		assert.deepEqual(Object.keys(REPLACED_MODULES).filter(file => !fs.existsSync(installedPath(file))), []);
	});
});
