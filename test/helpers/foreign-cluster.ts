/**
 * A Patroni cluster the project did not make: Debian's etcd, Patroni and PostgreSQL started here as plain processes
 * (no container, no code from source/lab/), run as user postgres, on 127.0.0.1 ports no lab uses, REST basic auth on.
 * Its member names (node1..3) collide on purpose with the test lab's containers; the TLS variant (`tls` in its spec,
 * foreign-cluster-tls.ts) has names of its own and runs every channel on TLS. Every pid it starts goes into a
 * pid file, so scripts/test.sh's trap can stop what a crashed run left (only processes whose command line names
 * this cluster's directory).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {chownTree, etcdArgs, FOREIGN_ROOT, foreignMembers, HOST, patroniYaml, patronictlYaml, postgresUser, type ForeignMember, type ForeignSecrets, type ForeignSpec, type ForeignTls} from './foreign-cluster-files.js';
import {enableEtcdAuth, isEtcdHealthy, makeForeignCerts} from './foreign-cluster-tls.js';
import {waitFor} from './lab.js';
import {restStatus} from './rest-witness.js';
import {trustEndpoints} from './witness-tls.js';

export {FOREIGN_ROOT, FOREIGN_TLS, FOREIGN_V2, FOREIGN_V3, type ForeignMember, type ForeignSpec, type ForeignTls} from './foreign-cluster-files.js';

const isAlive = (pid: number) => {
	try {
		// A zombie still takes signals: it is gone all the same.
		return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
};
const commandLine = (pid: number) => {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return '';
	}
};

/** Every pid the pid file lists, and each member's postmaster (a Patroni restarts PostgreSQL under new pids). */
function listedPids(dir: string): number[] {
	const pidFile = path.join(dir, 'pids');
	const listed = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
	const members = fs.existsSync(dir) ? fs.readdirSync(dir).map(entry => path.join(dir, entry, 'data', 'postmaster.pid')).filter(file => fs.existsSync(file)) : [];
	return [...listed, ...members.map(file => Number(fs.readFileSync(file, 'utf8').split('\n')[0]))];
}

/**
 * Kills, by pid, what is left of a cluster (a crashed run's, or stragglers after a stop): the pids listed and the
 * postmasters' pid files name, and only those whose command line names the cluster's folder.
 */
export async function killLeftovers(dir: string): Promise<void> {
	const left = listedPids(dir).filter(pid => Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandLine(pid).includes(dir));
	for (const pid of left) process.kill(pid, 'SIGKILL');
	await waitFor(`what is left of ${dir} (${left.join(', ')}) to be gone`, async () => (left.some(isAlive) ? undefined : true), 10_000, 100);
}

export class ForeignCluster {
	readonly dir: string;
	readonly members: readonly ForeignMember[];
	readonly secrets: ForeignSecrets;
	readonly patronictlYaml: string;
	readonly etcdEndpoint: string;
	/** The TLS files, once start() made them (a spec with `tls` only). */
	tls: ForeignTls | undefined;
	readonly #user = postgresUser();
	readonly #processes = new Map<string, ChildProcess>();
	#exits: string[] = [];

	constructor(readonly spec: ForeignSpec) {
		this.dir = path.join(FOREIGN_ROOT, spec.scope);
		this.etcdEndpoint = `${HOST}:${spec.etcdPorts.client}`;
		const secret = () => crypto.randomBytes(12).toString('hex');
		this.secrets = {restUser: 'patroni', restPassword: secret(), superuserPassword: secret(), replicationPassword: secret(), ...(spec.tls ? {etcdRootPassword: secret()} : {})};
		this.members = foreignMembers(spec, this.dir);
		this.patronictlYaml = path.join(this.dir, 'patronictl.yaml');
	}

	member(name: string): ForeignMember {
		return this.members.find(member => member.name === name) ?? assertNever(`no member ${name} in ${this.spec.scope}`);
	}

	get etcdUrl(): string {
		return `${this.spec.tls ? 'https' : 'http'}://${this.etcdEndpoint}`;
	}

	/** etcd (with TLS: its root user, auth on), then the first member until it leads, then the others until they stream. */
	async start(): Promise<void> {
		await killLeftovers(this.dir);
		fs.rmSync(this.dir, {recursive: true, force: true});
		// The root folder must let postgres through; each cluster's own folder is postgres's alone.
		fs.mkdirSync(FOREIGN_ROOT, {recursive: true, mode: 0o755});
		fs.chmodSync(FOREIGN_ROOT, 0o755);
		fs.mkdirSync(this.dir, {mode: 0o700});
		await this.#checkPortsFree();
		const tls = this.spec.tls ? {certs: await makeForeignCerts(this.dir), etcdRootPassword: this.secrets.etcdRootPassword!} : undefined;
		this.tls = tls;
		// The REST witnesses (rest-witness.ts) then read these https endpoints with the cluster's CA and client certificate.
		if (tls) trustEndpoints(this.members.map(member => member.restUrl), {ca: tls.certs.ca.cert, cert: tls.certs.user.cert, key: tls.certs.user.key});
		this.#writeFiles(tls);
		this.#spawn('etcd', '/usr/bin/etcd', etcdArgs(this.spec, this.dir, tls?.certs));
		const isHealthy = async () => (tls ? isEtcdHealthy(this.etcdUrl, tls.certs, tls.etcdRootPassword) : (await fetch(`${this.etcdUrl}/health`)).ok || undefined);
		await this.#until(`etcd on ${this.etcdUrl}`, isHealthy, 20_000);
		if (tls) await enableEtcdAuth(this.etcdUrl, tls.certs, tls.etcdRootPassword);
		for (const member of this.members) {
			this.startMember(member.name);
			await this.waitForMember(member.name, member === this.members[0] ? 'leader' : 'replica');
		}
		await this.waitForStreaming();
	}

	/** Starts a member's Patroni (again): it starts PostgreSQL from the data it finds. */
	startMember(name: string): void {
		const member = this.member(name);
		this.#spawn(name, '/usr/bin/patroni', [member.configFile]);
	}

	/** kill -9 of the member's Patroni (the pid we hold) and of its postmaster (postmaster.pid's first line). */
	async killMember(name: string): Promise<void> {
		const patroni = this.#processes.get(name);
		const postmaster = this.postmasterPid(name);
		if (patroni?.pid) process.kill(patroni.pid, 'SIGKILL');
		if (postmaster !== undefined && isAlive(postmaster)) process.kill(postmaster, 'SIGKILL');
		await waitFor(`${name}'s Patroni and postmaster to be gone`, async () => ([patroni?.pid, postmaster].some(pid => pid !== undefined && isAlive(pid)) ? undefined : true), 10_000, 50);
	}

	postmasterPid(name: string): number | undefined {
		const file = path.join(this.member(name).dataDir, 'postmaster.pid');
		if (!fs.existsSync(file)) return undefined;
		const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
		// A file left by a killed postmaster may name a pid that is now someone else's.
		if (!Number.isInteger(pid) || pid <= 0 || !commandLine(pid).includes(this.member(name).dataDir)) return undefined;
		this.#remember(pid);
		return pid;
	}

	/** Waits until the member's own REST API says it runs with `role`. */
	async waitForMember(name: string, role: 'leader' | 'replica', timeoutMs = 90_000): Promise<void> {
		const member = this.member(name);
		await this.#until(`${this.spec.scope}'s ${name} to run as ${role}`, async () => {
			const body = await restStatus(member.restUrl);
			const isRole = role === 'leader' ? body.role === 'master' || body.role === 'primary' : body.role === 'replica';
			return body.state === 'running' && isRole ? true : undefined;
		}, timeoutMs).catch((error: Error) => {
			throw new Error(`${error.message}\n--- ${name}'s log ---\n${this.logTail(name)}`);
		});
	}

	/** Until the leader's REST API lists every other member streaming (Patroni's `replication`, from pg_stat_replication). */
	async waitForStreaming(timeoutMs = 90_000): Promise<string> {
		return this.#until(`${this.spec.scope}: a leader with every replica streaming`, async () => {
			for (const member of this.members) {
				const body = await restStatus(member.restUrl).catch(() => ({role: undefined, state: undefined, replication: undefined}));
				if (body.role !== 'master' && body.role !== 'primary') continue;
				const streaming = (body.replication ?? []).filter(row => row.state === 'streaming').map(row => row.application_name);
				return body.state === 'running' && this.members.every(other => other === member || streaming.includes(other.name)) ? member.name : undefined;
			}
			return undefined;
		}, timeoutMs);
	}

	/** waitFor, but a process of ours that exited by itself ends the wait at once, with its log. */
	async #until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
		const outcome = await waitFor<{value?: T; exited?: string}>(what, async () => {
			if (this.#exits.length > 0) return {exited: this.#exits.join('\n')};
			const value = await probe();
			return value === undefined ? undefined : {value};
		}, timeoutMs, 200);
		if (outcome.exited !== undefined) throw new Error(`${what}: ${outcome.exited}`);
		return outcome.value as T;
	}

	logTail(name: string, lines = 30): string {
		const file = path.join(this.dir, `${name}.log`);
		return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
	}

	/**
	 * SIGTERM to every Patroni (each stops its PostgreSQL); then a fast shutdown for any postmaster still there (a
	 * Patroni stopped while it was restarting PostgreSQL leaves one, under a pid read only now); then etcd; SIGKILL
	 * for what outlives its grace, and for anything else the pid file or a postmaster.pid still names.
	 */
	async stop(): Promise<void> {
		const patronis = [...this.#processes].filter(([name]) => name !== 'etcd').map(([, child]) => child.pid!);
		await this.#terminate(patronis.filter(isAlive), 'SIGTERM', 30_000);
		const postmasters = this.members.map(member => this.postmasterPid(member.name)).filter(pid => pid !== undefined);
		await this.#terminate(postmasters.filter(isAlive), 'SIGINT', 15_000);
		const etcd = this.#processes.get('etcd')?.pid;
		if (etcd !== undefined) await this.#terminate([etcd].filter(isAlive), 'SIGTERM', 10_000);
		await killLeftovers(this.dir);
		this.#processes.clear();
		fs.rmSync(this.dir, {recursive: true, force: true});
	}

	async #terminate(pids: readonly number[], signal: NodeJS.Signals, graceMs: number): Promise<void> {
		for (const pid of pids) process.kill(pid, signal);
		await waitFor('processes to stop', async () => (pids.some(isAlive) ? undefined : true), graceMs, 100).catch(() => {
			for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
		});
	}

	#remember(pid: number): void {
		fs.appendFileSync(path.join(this.dir, 'pids'), `${pid}\n`);
	}

	/** A process of this cluster, as user postgres (the pid is the program's own: no runuser in between to signal). */
	#spawn(name: string, program: string, args: readonly string[]): void {
		const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
		const {uid, gid, home} = this.#user;
		const child = spawn(program, args, {uid, gid, cwd: this.dir, env: {PATH: '/usr/bin:/bin', HOME: home, USER: 'postgres', LANG: 'C.UTF-8'}, stdio: ['ignore', log, log], detached: true});
		fs.closeSync(log);
		child.unref();
		if (child.pid === undefined) throw new Error(`could not start ${program}`);
		this.#remember(child.pid);
		this.#processes.set(name, child);
		child.once('exit', (code, signal) => {
			if (this.#processes.get(name) === child && signal !== 'SIGKILL' && signal !== 'SIGTERM') this.#exits.push(`${name} exited (${code ?? signal}):\n${this.logTail(name)}`);
		});
	}

	async #checkPortsFree(): Promise<void> {
		const {etcdPorts, restPorts, pgPorts} = this.spec;
		for (const port of [etcdPorts.client, etcdPorts.peer, ...restPorts, ...pgPorts]) {
			await new Promise<void>((resolve, reject) => {
				const server = createServer().once('error', () => reject(new Error(`port ${HOST}:${port} is taken: the foreign cluster ${this.spec.scope} needs it`)));
				server.listen(port, HOST, () => server.close(() => resolve()));
			});
		}
	}

	/** Each member's Patroni YAML and the minimal patronictl.yaml, all postgres's (0600), the TLS files too. */
	#writeFiles(tls: ForeignTls | undefined): void {
		for (const member of this.members) {
			fs.mkdirSync(member.dataDir, {recursive: true, mode: 0o700});
			fs.writeFileSync(member.configFile, patroniYaml(this.spec, member, this.secrets, tls), {mode: 0o600});
		}
		fs.writeFileSync(this.patronictlYaml, patronictlYaml(this.spec, this.secrets, tls), {mode: 0o600});
		chownTree(this.dir, this.#user);
	}
}

function assertNever(message: string): never {
	throw new Error(message);
}
