import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {describe, it} from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import {CLIENT_PATCHES, etcd3ProtoJson} from '../../scripts/build/bundled-clients.js';
import {applyInkPatch} from '../../scripts/build/ink-patches.js';

// The bundle hands proto-loader etcd's definitions parsed at build time (fromJSON) instead of letting etcd3 parse
// rpc.proto at every start (loadSync). Both must give gRPC the same services, methods and wire format.
const require = createRequire(import.meta.url);
const etcd3Dir = require.resolve('etcd3');
type MethodDefinition = {
	path: string;
	requestStream: boolean;
	responseStream: boolean;
	requestSerialize(value: object): Buffer;
	responseSerialize(value: object): Buffer;
	responseDeserialize(bytes: Buffer): object;
};
type Loader = {
	loadSync(file: string, options: object): Record<string, Record<string, MethodDefinition> | object>;
	fromJSON(json: object, options: object): Record<string, Record<string, MethodDefinition> | object>;
};
// As the tests load it: patched as in the bundle (test/loader/); withCopy below gives the file as installed.
const loader = require(require.resolve('@grpc/proto-loader', {paths: [etcd3Dir]})) as Loader;
// etcd3's own options (lib/connection-pool.js).
const OPTIONS = {keepCase: true, longs: String, enums: String, defaults: true, oneofs: true};

describe('etcd3 definitions pre-parsed at build time', () => {
	const parsed = loader.loadSync(require.resolve('etcd3/proto/rpc.proto'), OPTIONS);
	const prebuilt = loader.fromJSON(JSON.parse(etcd3ProtoJson()) as object, OPTIONS);

	it('has every service and method loadSync has, with the same paths and streaming', () => {
		const services = Object.keys(parsed).filter(name => name.startsWith('etcdserverpb.') && isService(parsed[name]));
		assert.ok(services.includes('etcdserverpb.KV') && services.includes('etcdserverpb.Watch') && services.includes('etcdserverpb.Lease'));
		for (const service of services) {
			const methods = parsed[service] as Record<string, MethodDefinition>;
			const rebuilt = prebuilt[service] as Record<string, MethodDefinition>;
			assert.deepEqual(Object.keys(rebuilt).sort(), Object.keys(methods).sort(), service);
			for (const [name, method] of Object.entries(methods)) {
				assert.deepEqual([rebuilt[name]!.path, rebuilt[name]!.requestStream, rebuilt[name]!.responseStream], [method.path, method.requestStream, method.responseStream]);
			}
		}
	});

	it('writes and reads the same bytes', () => {
		const range = {key: Buffer.from('/service/demo/'), range_end: Buffer.from('/service/demo0'), limit: 5, revision: '42'};
		const kv = (definition: typeof parsed) => (definition['etcdserverpb.KV'] as Record<string, MethodDefinition>)['Range']!;
		const bytes = kv(parsed).requestSerialize(range);
		assert.deepEqual(kv(prebuilt).requestSerialize(range), bytes);
		const answer = {header: {revision: '7'}, kvs: [{key: Buffer.from('/service/demo/leader'), value: Buffer.from('node1'), mod_revision: '7'}], count: '1'};
		const wire = kv(parsed).responseSerialize(answer);
		assert.deepEqual(kv(prebuilt).responseSerialize(answer), wire);
		assert.deepEqual(kv(prebuilt).responseDeserialize(wire), kv(parsed).responseDeserialize(wire));
	});
});

function isService(definition: unknown): boolean {
	return typeof definition === 'object' && definition !== null && !('format' in definition) && Object.values(definition).every(method => typeof method === 'object' && method !== null && 'path' in method);
}

/**
 * Requires a copy of a client's file, as installed or as patched, placed beside it (so its own requires resolve),
 * then removes it. A copy, because the tests run with the patches applied (test/loader/): the file itself loads patched.
 */
function withCopy<T, R>(file: string, as: 'installed' | 'patched', use: (module: T) => R): R {
	const patch = CLIENT_PATCHES.find(candidate => candidate.file === file)!;
	const installed = path.resolve('node_modules', patch.file);
	const copy = installed.replace(/\.js$/, `.${as}-${process.pid}.cjs`);
	const source = fs.readFileSync(installed, 'utf8');
	fs.writeFileSync(copy, as === 'patched' ? applyInkPatch(patch, source) : source);
	try {
		return use(require(copy) as T);
	} finally {
		fs.rmSync(copy, {force: true});
	}
}

describe('the clients as patched in the bundle', () => {
	for (const patch of CLIENT_PATCHES) {
		it(`each edit of ${patch.file} applies to the installed file exactly once`, () => {
			const source = fs.readFileSync(path.resolve('node_modules', patch.file), 'utf8');
			const patched = applyInkPatch(patch, source);
			assert.match(patched, /patroni-tui/);
			for (const [, replace] of patch.edits) assert.ok(patched.includes(replace));
		});
	}

	it('proto-loader, describing messages when asked, gives the same definitions, descriptions included', () => {
		const json = JSON.parse(etcd3ProtoJson()) as object;
		const original = withCopy('@grpc/proto-loader/build/src/index.js', 'installed', (installed: Loader) => installed.fromJSON(json, OPTIONS));
		withCopy('@grpc/proto-loader/build/src/index.js', 'patched', (patched: Loader) => {
			const lazy = patched.fromJSON(json, OPTIONS);
			assert.deepEqual(Object.keys(lazy).sort(), Object.keys(original).sort());
			const range = (definition: typeof original) => (definition['etcdserverpb.KV'] as Record<string, MethodDefinition & {requestType: {type: object; fileDescriptorProtos: Buffer[]}}>)['Range']!;
			const request = {key: Buffer.from('/service/demo/'), range_end: Buffer.from('/service/demo0'), limit: 5};
			assert.deepEqual(range(lazy).requestSerialize(request), range(original).requestSerialize(request));
			// Asked for, the descriptions are those proto-loader makes at once.
			assert.deepEqual(range(lazy).requestType.type, range(original).requestType.type);
			assert.deepEqual(range(lazy).requestType.fileDescriptorProtos, range(original).requestType.fileDescriptorProtos);
			const message = lazy['mvccpb.KeyValue'] as {format: string; type: object};
			assert.equal(message.format, 'Protocol Buffer 3 DescriptorProto');
			assert.deepEqual(message.type, (original['mvccpb.KeyValue'] as {type: object}).type);
		});
	});
});
