/**
 * esbuild plugins that let the clients (etcd3, dockerode, pg) live inside the bundle. Loaded from node_modules
 * they were most of the start-up time (about 0.6 s of module loading on the benchmark machine: grpc-js,
 * proto-loader parsing etcd's rpc.proto, ssh2, dockerode's BuildKit session).
 * - etcd3 reads its .proto from its own folder at load: the definitions are parsed here, at build time, and handed
 *   to proto-loader's fromJSON, which builds the same package definition without reading or parsing any file.
 * - dockerode's image-build session and BuildKit progress (gRPC) and docker-modem's ssh:// transport (ssh2, with
 *   native parts) are never used: patroni-tui talks to the Docker engine over its unix socket only. They are
 *   replaced by modules that say so if they are ever reached.
 */
import {createRequire} from 'node:module';
import path from 'node:path';
import fs from 'node:fs/promises';
import type {Plugin} from 'esbuild';
import {applyInkPatch} from './ink-patches.js';

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

const NOT_BUNDLED: Record<string, string> = {
	'dockerode/lib/session.js': "module.exports = function withSession(_docker, _auth, handler) { handler(new Error('image builds with a BuildKit session are not part of patroni-tui')); };",
	'dockerode/lib/buildkit.js': "module.exports = { followProgress() { throw new Error('BuildKit progress is not part of patroni-tui'); } };",
	'docker-modem/lib/ssh.js': "module.exports = function () { throw new Error('patroni-tui reaches the Docker engine over its unix socket; ssh:// is not supported'); };",
};

export const bundledClients: Plugin = {
	name: 'bundled-clients',
	setup(builder) {
		builder.onLoad({filter: /node_modules\/etcd3\/lib\/connection-pool\.js$/}, async ({path: file}) => {
			const patch = {file: 'etcd3/lib/connection-pool.js', edits: [[ETCD3_PROTO_CALL, `(0, proto_loader_1.fromJSON)(${etcd3ProtoJson()}, {`]] as const};
			return {contents: applyInkPatch(patch, await fs.readFile(file, 'utf8')), loader: 'js'};
		});
		for (const [module, stub] of Object.entries(NOT_BUNDLED)) {
			builder.onLoad({filter: new RegExp(`node_modules/${module.replaceAll('.', '\\.')}$`)}, () => ({contents: stub, loader: 'js'}));
		}
	},
};
