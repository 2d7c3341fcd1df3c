/**
 * The edits and replaced modules that let the clients (etcd3, dockerode, pg) live inside the bundle, applied by
 * shipped-changes.ts to the bundle and the tests alike. Loaded from node_modules they were most of the start-up
 * time (about 0.6 s of module loading on the benchmark machine: grpc-js, proto-loader parsing etcd's rpc.proto,
 * ssh2, dockerode's BuildKit session).
 * - etcd3 reads its .proto from its own folder at load: the definitions are parsed here, at build time, and handed
 *   to proto-loader's fromJSON, which builds the same package definition without reading or parsing any file.
 * - proto-loader described every message and enum of etcd's API for gRPC reflection (toDescriptor, then encoded),
 *   and loaded protobufjs's descriptor extension for that, as etcd3 loaded: 30-40 ms of every start. etcd3 never
 *   asks for those descriptions; they are now made when first asked for, with the same result.
 * - axios looked up Node's FormData and built its fetch adapter as it loaded; either makes Node load its fetch
 *   implementation (undici), about 20 ms. axios talks through its http adapter here: FormData is looked up when
 *   first needed, and the fetch adapter is built by getFetch when asked for, as axios itself asks for it.
 * - dockerode's image-build session and BuildKit progress (gRPC) and docker-modem's ssh:// transport (ssh2, with
 *   native parts) are never used: patroni-tui talks to the Docker engine over its unix socket only. They are
 *   replaced by modules that say so if they are ever reached.
 * - grpc-js sets TLS's server name (SNI) to the host it dials even when that is an IP address, which RFC 6066
 *   forbids and Node answers with a DEP0123 warning on stderr, over the screen, at the first TLS connection to etcd
 *   at 127.0.0.1. An IP address now goes without SNI; the certificate is still checked against it (tls.connect's
 *   `host`), as pg does for PostgreSQL.
 */
import {createRequire} from 'node:module';
import path from 'node:path';
import type {InkPatch} from './ink-patches.js';

const require = createRequire(import.meta.url);

/** etcd3's call, whose options object (keepCase: a parsing option, used for the parse here too) stays as it is. */
const ETCD3_PROTO_CALL = '(0, proto_loader_1.loadSync)(`${__dirname}/../proto/rpc.proto`, {';

type ProtoUtil = {loadProtosWithOptionsSync(file: string, options: object): {toJSON(): object}};

export function etcd3ProtoJson(): string {
	const loaderDir = path.dirname(require.resolve('@grpc/proto-loader/package.json', {paths: [path.dirname(require.resolve('etcd3'))]}));
	const util = require(path.join(loaderDir, 'build/src/util.js')) as ProtoUtil;
	const protoFile = path.join(path.dirname(require.resolve('etcd3/package.json')), 'proto/rpc.proto');
	return JSON.stringify(util.loadProtosWithOptionsSync(protoFile, {keepCase: true}).toJSON());
}

/** Files the bundle (and the tests, test/loader/) load as these modules instead. */
export const REPLACED_MODULES: Readonly<Record<string, string>> = {
	'dockerode/lib/session.js': "module.exports = function withSession(_docker, _auth, handler) { handler(new Error('image builds with a BuildKit session are not part of patroni-tui')); };",
	'dockerode/lib/buildkit.js': "module.exports = { followProgress() { throw new Error('BuildKit progress is not part of patroni-tui'); } };",
	'docker-modem/lib/ssh.js': "module.exports = function () { throw new Error('patroni-tui reaches the Docker engine over its unix socket; ssh:// is not supported'); };",
};

let connectionPoolEdits: InkPatch['edits'] | undefined;

/** Edits to the clients' own files, each found by its exact text (a changed dependency fails the build). */
export const CLIENT_PATCHES: readonly InkPatch[] = [
	{
		file: 'etcd3/lib/connection-pool.js',
		// The comment marks the edit as ours in the bundle (the tests look for it). Parsed when first asked for: a test
		// process that never loads etcd3 does not pay the ~50 ms.
		get edits() {
			return (connectionPoolEdits ??= [[ETCD3_PROTO_CALL, `(0, proto_loader_1.fromJSON)(/* patroni-tui: parsed at build time */ ${etcd3ProtoJson()}, {`]]);
		},
	},
	{
		file: '@grpc/proto-loader/build/src/index.js',
		edits: [
			[
				'const descriptor = require("protobufjs/ext/descriptor");',
				`// patroni-tui: loaded when a description is first asked for (see scripts/build/bundled-clients.ts)
let loadedDescriptor;
const loadDescriptor = () => (loadedDescriptor ??= require("protobufjs/ext/descriptor"));`,
			],
			[
				`    const messageDescriptor = message.toDescriptor('proto3');
    return {
        format: 'Protocol Buffer 3 DescriptorProto',
        type: messageDescriptor.$type.toObject(messageDescriptor, descriptorOptions),
        fileDescriptorProtos: fileDescriptors,
    };`,
				"    return describedWhenAsked('Protocol Buffer 3 DescriptorProto', message, fileDescriptors);",
			],
			[
				`    const enumDescriptor = enumType.toDescriptor('proto3');
    return {
        format: 'Protocol Buffer 3 EnumDescriptorProto',
        type: enumDescriptor.$type.toObject(enumDescriptor, descriptorOptions),
        fileDescriptorProtos: fileDescriptors,
    };
}`,
				`    return describedWhenAsked('Protocol Buffer 3 EnumDescriptorProto', enumType, fileDescriptors);
}
// patroni-tui: a definition whose description (and its files') is made when first asked for
function describedWhenAsked(format, reflected, fileDescriptors) {
    let type;
    return {
        format,
        get type() {
            loadDescriptor();
            if (type === undefined) {
                const described = reflected.toDescriptor('proto3');
                type = described.$type.toObject(described, descriptorOptions);
            }
            return type;
        },
        get fileDescriptorProtos() {
            return fileDescriptors();
        },
    };
}`,
			],
			[
				`    const descriptorList = root.toDescriptor('proto3').file;
    const bufferList = descriptorList.map(value => Buffer.from(descriptor.FileDescriptorProto.encode(value).finish()));
    for (const [name, obj] of getAllHandledReflectionObjects(root, '')) {
        def[name] = createDefinition(obj, name, options, bufferList);`,
				`    let bufferList;
    const fileDescriptors = () => (bufferList ??= (loadDescriptor(), root.toDescriptor('proto3').file.map(value => Buffer.from(loadDescriptor().FileDescriptorProto.encode(value).finish()))));
    for (const [name, obj] of getAllHandledReflectionObjects(root, '')) {
        def[name] = createDefinition(obj, name, options, fileDescriptors);`,
			],
			['descriptor.FileDescriptorSet.decode(descriptorSet)', 'loadDescriptor().FileDescriptorSet.decode(descriptorSet)'],
			['descriptor.FileDescriptorSet.fromObject(descriptorSet)', 'loadDescriptor().FileDescriptorSet.fromObject(descriptorSet)'],
		],
	},
	{
		file: 'axios/lib/utils.js',
		edits: [
			[
				"const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
				"// patroni-tui: looked up when first needed (see scripts/build/bundled-clients.ts)\nlet FormDataCtor;\nconst formDataCtor = () => (FormDataCtor ??= typeof G.FormData !== 'undefined' ? G.FormData : null);",
			],
			['  if (FormDataCtor && thing instanceof FormDataCtor) return true;', '  if (formDataCtor() && thing instanceof FormDataCtor) return true;'],
		],
	},
	{
		file: 'axios/lib/adapters/fetch.js',
		edits: [['const adapter = getFetch();', '// patroni-tui: built by getFetch when asked for (see scripts/build/bundled-clients.ts)\nconst adapter = undefined;']],
	},
	{
		file: '@grpc/grpc-js/build/src/channel-credentials.js',
		edits: [
			[
				`    else {
        connectionOptions.servername = remoteHost;
    }`,
				`    else if (!require("net").isIP(remoteHost)) {
        // patroni-tui: no SNI for an IP address (see scripts/build/bundled-clients.ts)
        connectionOptions.servername = remoteHost;
    }`,
			],
		],
	},
];
