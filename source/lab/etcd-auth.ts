/**
 * etcd's users on a TLS lab, set up with Debian's etcdctl from the host over the lab's client certificate: root with
 * the password in secrets.json and the root role, and authentication on. etcd 3.4 keeps v2's users apart from v3's,
 * and Patroni's etcd v2 client (python-etcd) logs in with basic auth against v2's, so `--dcs etcd2` gets the same
 * root user there, with v2's guest role stripped (it may read and write everything once v2 auth is on). Each step
 * is asked first or harmless to repeat: a second `lab up` changes nothing. The password goes to etcdctl through its
 * environment (v3) or its standard input (v2), never its arguments, and etcdctl never prints it.
 */
import {spawn} from 'node:child_process';
import {LAB_HOST, type LabConfig} from './lab-config.js';
import {ETCD_ROOT_USER} from './render-tls.js';
import type {TlsPaths} from './tls-certs.js';

export const ETCDCTL = '/usr/bin/etcdctl';

type Outcome = {readonly code: number; readonly stdout: string; readonly stderr: string};
type Etcdctl = (args: readonly string[], input?: string) => Promise<Outcome>;

function runEtcdctl(env: NodeJS.ProcessEnv, baseArgs: readonly string[]): Etcdctl {
	return (args, input = '') =>
		new Promise((resolve, reject) => {
			const child = spawn(ETCDCTL, [...baseArgs, ...args], {env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 15_000});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', chunk => (stdout += String(chunk)));
			child.stderr.on('data', chunk => (stderr += String(chunk)));
			child.on('error', reject);
			child.on('close', code => resolve({code: code ?? 1, stdout, stderr}));
			child.stdin.end(input);
		});
}

/** etcdctl's own words, without its JSON retry warnings and v2's "stty" complaint about a stdin that is no terminal. */
function said(outcome: Outcome): string {
	const lines = outcome.stderr.split('\n').filter(line => line.trim() && !line.startsWith('{') && !line.startsWith('stty:'));
	return lines.slice(-2).join('; ') || `exit code ${outcome.code}`;
}

async function must(etcdctl: Etcdctl, what: string, args: readonly string[], input?: string): Promise<Outcome> {
	const outcome = await etcdctl(args, input);
	if (outcome.code !== 0) throw new Error(`etcdctl could not ${what}: ${said(outcome)}`);
	return outcome;
}

/** Only what the lab gives: an ETCDCTL_* of the caller's shell would point etcdctl elsewhere. */
function baseEnv(): NodeJS.ProcessEnv {
	return {PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8'};
}

function clientUrl(config: LabConfig): string {
	return `https://${LAB_HOST}:${config.ports.etcdClient}`;
}

/** Waits for etcd's v3 API to answer over TLS as root (before auth is on, the login is skipped). */
async function waitForEtcd(etcdctl: Etcdctl, deadline: number): Promise<void> {
	for (;;) {
		const outcome = await etcdctl(['endpoint', 'health']);
		if (outcome.code === 0) return;
		if (/authentication failed/.test(outcome.stderr)) {
			throw new Error(`etcd refuses the root password in secrets.json (authentication failed); "lab destroy" and "lab up --tls" make a new lab`);
		}
		if (Date.now() > deadline) throw new Error(`etcd did not answer on ${ETCDCTL} endpoint health: ${said(outcome)}`);
		await new Promise(resolve => setTimeout(resolve, 500));
	}
}

async function ensureV3Root(etcdctl: Etcdctl, password: string): Promise<void> {
	const found = await etcdctl(['user', 'get', ETCD_ROOT_USER]);
	if (found.code !== 0) {
		if (!/user name not found/.test(found.stderr)) throw new Error(`etcdctl could not look up user ${ETCD_ROOT_USER}: ${said(found)}`);
		await must(etcdctl, `add user ${ETCD_ROOT_USER}`, ['user', 'add', ETCD_ROOT_USER, '--interactive=false'], password);
	}
	await must(etcdctl, 'grant the root role', ['user', 'grant-role', ETCD_ROOT_USER, 'root']);
	await must(etcdctl, 'enable authentication', ['auth', 'enable']);
}

async function ensureV2Root(etcdctl: Etcdctl, password: string): Promise<void> {
	// -u root asks for the password on standard input; before v2 auth is on etcd ignores it.
	const asRoot = (args: readonly string[]) => etcdctl(['-u', ETCD_ROOT_USER, ...args], `${password}\n`);
	const found = await asRoot(['user', 'get', ETCD_ROOT_USER]);
	if (found.code !== 0) {
		if (!/does not exist/.test(found.stderr)) throw new Error(`etcdctl (v2) could not look up user ${ETCD_ROOT_USER}: ${said(found)}`);
		await must(etcdctl, `add the v2 user ${ETCD_ROOT_USER}`, ['user', 'add', ETCD_ROOT_USER], `${password}\n`);
	}
	const enabled = await asRoot(['auth', 'enable']);
	if (enabled.code !== 0 && !/already enabled/.test(enabled.stderr)) throw new Error(`etcdctl (v2) could not enable authentication: ${said(enabled)}`);
	const guest = await asRoot(['role', 'get', 'guest']);
	if (guest.code !== 0) throw new Error(`etcdctl (v2) could not read the guest role: ${said(guest)}`);
	if (guest.stdout.includes('/*')) {
		const revoked = await asRoot(['role', 'revoke', 'guest', '--path', '/*', '--readwrite']);
		if (revoked.code !== 0) throw new Error(`etcdctl (v2) could not take the guest role's rights: ${said(revoked)}`);
	}
}

/** Sets up etcd's root user and turns authentication on (v3, and v2 for --dcs etcd2), waiting for etcd until `deadline`. */
export async function ensureEtcdUsers(config: LabConfig, paths: TlsPaths, password: string, deadline: number): Promise<void> {
	const endpoint = clientUrl(config);
	const v3 = runEtcdctl(
		{
			...baseEnv(),
			ETCDCTL_API: '3',
			ETCDCTL_ENDPOINTS: endpoint,
			ETCDCTL_CACERT: paths.ca,
			ETCDCTL_CERT: paths.clientCert,
			ETCDCTL_KEY: paths.clientKey,
			ETCDCTL_USER: ETCD_ROOT_USER,
			ETCDCTL_PASSWORD: password,
		},
		[],
	);
	await waitForEtcd(v3, deadline);
	await ensureV3Root(v3, password);
	if (config.dcs !== 'etcd2') return;
	const v2 = runEtcdctl({...baseEnv(), ETCDCTL_API: '2'}, [
		`--endpoints=${endpoint}`,
		`--ca-file=${paths.ca}`,
		`--cert-file=${paths.clientCert}`,
		`--key-file=${paths.clientKey}`,
	]);
	await ensureV2Root(v2, password);
}
