import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * One import that runs: `to` is a project file relative to ROOT (`source/model/roles.ts`) or a package specifier.
 * A relative import of no file is kept (isMissing), so a test can name it instead of the graph failing to build.
 */
export type ImportEdge = {readonly to: string; readonly isProjectFile: boolean; readonly isMissing: boolean};
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** Every .ts and .tsx file under the given folders, relative to ROOT, sorted. */
export function projectFiles(...folders: string[]): string[] {
	const walk = (folder: string): string[] =>
		fs.readdirSync(path.join(ROOT, folder), {withFileTypes: true}).flatMap(entry => {
			const relative = path.posix.join(folder, entry.name);
			if (entry.isDirectory()) return walk(relative);
			return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
		});
	return folders.flatMap(walk).sort();
}

export function lineCount(file: string): number {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * The imports of `file` that survive TypeScript's own emit: `import type`, `{type X}` and an import used only
 * as a type are dropped there exactly as they are when tsx or the bundle runs the file, so what is left loads.
 */
export function runtimeImports(file: string): ImportEdge[] {
	const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const emitted = ts.transpileModule(source, {
		fileName: file,
		compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX},
	}).outputText;
	const tree = ts.createSourceFile(`${file}.js`, emitted, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
	const edges: ImportEdge[] = [];
	const add = (specifier: string) => {
		if (!specifier.startsWith('.')) {
			edges.push({to: specifier, isProjectFile: false, isMissing: false});
			return;
		}
		const resolved = resolveFile(file, specifier);
		edges.push({to: resolved ?? path.posix.join(path.posix.dirname(file), specifier), isProjectFile: true, isMissing: !resolved});
	};
	const visit = (node: ts.Node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
			add(node.moduleSpecifier.text);
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			const [specifier] = node.arguments;
			// A lazy import() loads too, later (bin.ts → cli.tsx); a computed one cannot be followed, and the tree has none.
			if (specifier && ts.isStringLiteralLike(specifier)) add(specifier.text);
		}
		ts.forEachChild(node, visit);
	};
	visit(tree);
	return edges;
}

/** `./x.js` written in `source/a/b.ts` is source/a/x.ts or source/a/x.tsx (NodeNext names the emitted file). */
function resolveFile(from: string, specifier: string): string | undefined {
	const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.jsx?$/, '');
	return ['.ts', '.tsx'].map(extension => base + extension).find(candidate => fs.existsSync(path.join(ROOT, candidate)));
}

export function importGraph(files: readonly string[]): ImportGraph {
	return new Map(files.map(file => [file, runtimeImports(file)]));
}

/** `pg` for `pg`, `pg/lib/client`; `@grpc/grpc-js` for its subpaths too. */
export function packageName(specifier: string): string {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * The imports, met on the way while loading `starts`, that reach something `isForbidden` says they may not:
 * each as `from → to`, so a violation is named at the line that crosses, however deep it sits.
 */
export function crossings(graph: ImportGraph, starts: readonly string[], isForbidden: (to: string) => boolean): string[] {
	const found = new Set<string>();
	const seen = new Set(starts);
	const pending = [...starts];
	while (pending.length > 0) {
		const file = pending.pop()!;
		for (const edge of graph.get(file) ?? []) {
			if (isForbidden(edge.to)) found.add(`${file} → ${edge.to}`);
			else if (edge.isProjectFile && !edge.isMissing && !seen.has(edge.to)) {
				seen.add(edge.to);
				pending.push(edge.to);
			}
		}
	}
	return [...found].sort();
}

/** Each cycle among project files once, as a path that ends where it starts, rotated to start at its least file. */
export function findCycles(graph: ImportGraph): string[][] {
	const cycles = new Map<string, string[]>();
	const done = new Set<string>();
	const stack: string[] = [];
	const visit = (file: string) => {
		stack.push(file);
		for (const edge of graph.get(file) ?? []) {
			if (!edge.isProjectFile || edge.isMissing || done.has(edge.to)) continue;
			const index = stack.indexOf(edge.to);
			if (index >= 0) {
				const cycle = rotateToLeast(stack.slice(index));
				cycles.set(cycle.join(' '), [...cycle, cycle[0]!]);
			} else {
				visit(edge.to);
			}
		}
		stack.pop();
		done.add(file);
	};
	for (const file of graph.keys()) if (!done.has(file)) visit(file);
	return [...cycles.values()];
}

function rotateToLeast(files: string[]): string[] {
	const least = files.indexOf([...files].sort()[0]!);
	return [...files.slice(least), ...files.slice(0, least)];
}
