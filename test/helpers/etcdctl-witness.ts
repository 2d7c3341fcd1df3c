/** Debian's etcdctl, run as a separate program: an outside witness of what etcd holds (shares no code with source/). */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** etcdctl with API version `api` against `endpoint` (http://127.0.0.1:port); its standard output. */
export async function etcdctl(api: '2' | '3', endpoint: string, args: readonly string[]): Promise<string> {
	const {stdout} = await run('etcdctl', [`--endpoints=${endpoint}`, ...args], {env: {...process.env, ETCDCTL_API: api}, timeout: 10_000});
	return stdout;
}

/** The value of one v3 key, or undefined when etcd holds no such key. */
export async function etcd3Value(endpoint: string, key: string): Promise<string | undefined> {
	const printed = await etcdctl('3', endpoint, ['get', key, '--print-value-only']);
	return printed === '' ? undefined : printed.replace(/\n$/, '');
}
