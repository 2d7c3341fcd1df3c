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

const require = createRequire(import.meta.url);

/** The options etcd3 hands proto-loader: keepCase is a parsing option, so the parse here must use it too. */
const ETCD3_PROTO_CALL = /\(0, proto_loader_1\.loadSync\)\(`\$\{__dirname\}\/\.\.\/proto\/rpc\.proto`, (\{[^}]*\})\)/;

type ProtoUtil = {loadProtosWithOptionsSync(file: string, options: object): {toJSON(): object}};

export function etcd3ProtoJson(): string {
	const loaderDir = path.dirname(require.resolve('@grpc/proto-loader/package.json', {paths: [path.dirname(require.resolve('etcd3'))]}));
	const util = require(path.join(loaderDir, 'build/src/util.js')) as ProtoUtil;
	const protoFile = path.join(path.dirname(require.resolve('etcd3/package.json')), 'proto/rpc.proto');
	return JSON.stringify(util.loadProtosWithOptionsSync(protoFile, {keepCase: true}).toJSON());
}

export function replaceWithin(source: string, pattern: RegExp, replace: (...groups: string[]) => string, what: string): string {
	const match = pattern.exec(source);
	if (!match) throw new Error(`bundle: ${what} not found; the dependency changed, see scripts/build/bundled-clients.ts`);
	return source.replace(pattern, (_all, ...groups: string[]) => replace(...groups));
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
			const source = await fs.readFile(file, 'utf8');
			const json = etcd3ProtoJson();
			const contents = replaceWithin(source, ETCD3_PROTO_CALL, options => `(0, proto_loader_1.fromJSON)(${json}, ${options})`, "etcd3's loadSync of rpc.proto");
			return {contents, loader: 'js'};
		});
		for (const [module, stub] of Object.entries(NOT_BUNDLED)) {
			builder.onLoad({filter: new RegExp(`node_modules/${module.replaceAll('.', '\\.')}$`)}, () => ({contents: stub, loader: 'js'}));
		}
	},
};
