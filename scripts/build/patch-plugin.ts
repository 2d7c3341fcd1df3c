/**
 * Applies edits to dependencies' own files as esbuild loads them (ink-patches.ts, bundled-clients.ts). Only the
 * top-level copy of a package is edited: a package nested under another one (string-width 7 under wrap-ansi, a
 * newer proto-loader under grpc-js) is another version, whose text the edits were not written for.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type {Metafile, Plugin} from 'esbuild';
import {applyInkPatch, type InkPatch} from './ink-patches.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function patchesPlugin(name: string, patches: readonly InkPatch[]): Plugin {
	return {
		name,
		setup(builder) {
			for (const patch of patches) {
				const filter = new RegExp(`^${escapeRegExp(path.resolve('node_modules', patch.file))}$`);
				builder.onLoad({filter}, async ({path: file}) => ({contents: applyInkPatch(patch, await fs.readFile(file, 'utf8')), loader: 'js'}));
			}
		},
	};
}

/** The patches whose file the bundle did not load (so they were not applied): the build fails on any. */
export function unappliedPatches(metafile: Metafile, patches: readonly InkPatch[]): InkPatch[] {
	return patches.filter(patch => !(`node_modules/${patch.file}` in metafile.inputs));
}
