/**
 * The foreign cluster seen through tools we did not write: Debian's patronictl, psql and etcdctl, and Patroni's
 * REST API through Node's fetch (test/helpers/rest-witness.ts). None shares code with source/.
 */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import type {ForeignCluster} from '../helpers/foreign-cluster.js';

const run = promisify(execFile);

export async function patronictl(cluster: ForeignCluster, args: readonly string[]): Promise<string> {
	const {stdout} = await run('patronictl', ['-c', cluster.patronictlYaml, ...args], {timeout: 30_000});
	return stdout;
}

export type PatronictlMember = {readonly Member: string; readonly Role: string; readonly State: string; readonly TL?: number | string; readonly 'Lag in MB'?: number | string};

export async function patronictlList(cluster: ForeignCluster): Promise<PatronictlMember[]> {
	return JSON.parse(await patronictl(cluster, ['list', '-f', 'json'])) as PatronictlMember[];
}

export async function patronictlLeader(cluster: ForeignCluster): Promise<string | undefined> {
	return (await patronictlList(cluster)).find(member => member.Role === 'Leader')?.Member;
}

/** One statement as the cluster's superuser on 127.0.0.1:port, rows as psql prints them unaligned. */
export async function psql(cluster: ForeignCluster, port: number, statement: string, database = 'postgres'): Promise<string[]> {
	const env = {...process.env, PGPASSWORD: cluster.secrets.superuserPassword, PGCONNECT_TIMEOUT: '3'};
	const {stdout} = await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', statement], {env, timeout: 15_000});
	return stdout.split('\n').filter(line => line !== '');
}

export async function psqlValue(cluster: ForeignCluster, port: number, statement: string, database = 'postgres'): Promise<string> {
	const [value] = await psql(cluster, port, statement, database);
	if (value === undefined) throw new Error(`no row from ${statement}`);
	return value;
}

/** The member keys etcdctl finds under the scope, on the API the cluster's Patroni uses. */
export async function memberKeys(cluster: ForeignCluster): Promise<string[]> {
	const prefix = `/service/${cluster.spec.scope}/members`;
	const endpoint = `--endpoints=http://${cluster.etcdEndpoint}`;
	if (cluster.spec.dcs === 'etcd3') {
		const {stdout} = await run('etcdctl', [endpoint, 'get', '--prefix', '--keys-only', `${prefix}/`], {env: {...process.env, ETCDCTL_API: '3'}, timeout: 10_000});
		return stdout.split('\n').filter(Boolean).map(key => key.slice(prefix.length + 1));
	}
	try {
		const {stdout} = await run('etcdctl', [endpoint, 'ls', prefix], {env: {...process.env, ETCDCTL_API: '2'}, timeout: 10_000});
		return stdout.split('\n').filter(Boolean).map(key => key.slice(prefix.length + 1));
	} catch (error) {
		// etcdctl (v2) exits 4 when the directory is gone with its last key.
		if ((error as {code?: number}).code === 4) return [];
		throw error;
	}
}
