/**
 * The third-party files the installed command ships changed: edited (INK_PATCHES, CLIENT_PATCHES) or replaced
 * (REPLACED_MODULES). One list and one way to apply it, for both loaders that read them: esbuild's as the CLI is
 * bundled (patch-plugin.ts) and Node's as the tests run (test/loader/), so the tests run what ships. Only the
 * top-level copy of a package is changed: a package nested under another one (string-width 7 under wrap-ansi, a
 * newer proto-loader under grpc-js) is another version, whose text the edits were not written for.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CLIENT_PATCHES, REPLACED_MODULES} from './bundled-clients.js';
import {applyInkPatch, INK_PATCHES} from './ink-patches.js';

export type ShippedChange = {
	/** The file, under node_modules. */
	readonly file: string;
	/** Its text as shipped, from its text as installed; throws, naming the edit, when an edit no longer matches. */
	readonly ship: (installed: string) => string;
};

export const SHIPPED_CHANGES: readonly ShippedChange[] = [
	...[...INK_PATCHES, ...CLIENT_PATCHES].map(patch => ({file: patch.file, ship: (installed: string) => applyInkPatch(patch, installed)})),
	...Object.entries(REPLACED_MODULES).map(([file, replacement]) => ({file, ship: () => replacement})),
];

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/** Where a changed file is installed: the top-level copy of its package. */
export function installedPath(file: string): string {
	return path.join(PROJECT, 'node_modules', file);
}

/** The package a changed file belongs to (`ink`, `@grpc/proto-loader`). */
export function packageOf(file: string): string {
	return file.split('/', file.startsWith('@') ? 2 : 1).join('/');
}
