import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {crossings, findCycles, importGraph, lineCount, packageName, projectFiles} from './import-graph.js';

// The layers README's architecture section draws, checked on what runs (a type-only import loads nothing):
// clients talk to the outside, sources and operations use them, the model is pure, components draw.
const files = projectFiles('source', 'components');
const graph = importGraph(files);
/** A folder's files, or the module of that name beside it (source/flows/ and source/flows.ts). */
const under =
	(...folders: string[]) =>
	(file: string) =>
		folders.some(folder => file.startsWith(`${folder}/`) || file === `${folder}.ts`);

// Node's own HTTP too: etcd's v2 API is spoken with it, and a request made elsewhere would bypass the clients.
const CLIENT_PACKAGES: ReadonlySet<string> = new Set(['axios', 'pg', 'etcd3', 'dockerode', 'node:http', 'node:https', 'http', 'https']);
/** What a component must not load: it is handed the monitor, the flows and the runner, and draws them. */
const isBelowComponents = under('source/clients', 'source/sources', 'source/operations', 'source/flows', 'source/lab', 'source/monitor', 'source/monitor-sources', 'source/fleet-monitor', 'source/run-fleet');
const MAX_LINES = 250;

describe('architecture', () => {
	it('reads every relative import as a file of the tree', () => {
		const missing = [...graph].flatMap(([file, edges]) => edges.filter(edge => edge.isMissing).map(edge => `${file} → ${edge.to}`));
		assert.deepEqual(missing, []);
	});

	it('has no runtime import cycle in source/ and components/', () => {
		const cycles = findCycles(graph).map(cycle => cycle.join(' → '));
		assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
	});

	it('talks to the outside only from source/clients/: nothing else imports axios, pg, etcd3, dockerode or node:http(s)', () => {
		const found = files
			.filter(file => !under('source/clients')(file))
			.flatMap(file => (graph.get(file) ?? []).filter(edge => !edge.isProjectFile && CLIENT_PACKAGES.has(packageName(edge.to))).map(edge => `${file} → ${edge.to}`));
		assert.deepEqual(found, []);
	});

	it('keeps the model pure: it loads nothing outside source/model/ (no lab, no client, no YAML, no package)', () => {
		const model = files.filter(under('source/model'));
		assert.ok(model.length > 0, 'no source/model/ files found');
		assert.deepEqual(crossings(graph, model, to => !to.startsWith('source/model/')), []);
	});

	it('keeps components to drawing: they load no client, source, operation, flow, lab or monitor', () => {
		const found = crossings(graph, files.filter(under('components')), isBelowComponents);
		assert.deepEqual(found, []);
	});

	it(`has no file over ${MAX_LINES} lines in source/ and components/`, () => {
		const long = files.filter(file => lineCount(file) > MAX_LINES).map(file => `${file}: ${lineCount(file)} lines`);
		assert.deepEqual(long, []);
	});
});
