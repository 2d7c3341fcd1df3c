/**
 * Hands esbuild the shipped text of every changed third-party file (shipped-changes.ts) as it loads it, and says
 * which changes the bundle did not take in.
 */
import fs from 'node:fs/promises';
import type {Metafile, Plugin} from 'esbuild';
import {installedPath, SHIPPED_CHANGES, type ShippedChange} from './shipped-changes.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const shippedChangesPlugin: Plugin = {
	name: 'shipped-changes',
	setup(builder) {
		for (const change of SHIPPED_CHANGES) {
			const filter = new RegExp(`^${escapeRegExp(installedPath(change.file))}$`);
			builder.onLoad({filter}, async ({path: file}) => ({contents: change.ship(await fs.readFile(file, 'utf8')), loader: 'js'}));
		}
	},
};

/** The changes whose file the bundle did not load (so they were not applied): the build fails on any. */
export function unappliedChanges(metafile: Metafile): ShippedChange[] {
	return SHIPPED_CHANGES.filter(change => !(`node_modules/${change.file}` in metafile.inputs));
}
