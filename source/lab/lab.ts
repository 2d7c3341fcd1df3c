import type Docker from 'dockerode';
import {pingDocker} from '../clients/docker.js';
import {
	containerLogTail,
	containerName,
	createLabContainer,
	listOwnContainersOf,
	otherLabText,
	removeLabContainer,
	specHash,
	type ContainerSpec,
	type LabContainer,
} from './containers.js';
import {readPemFile} from '../clients/tls-files.js';
import {ensureEtcdUsers} from './etcd-auth.js';
import {extraClustersProblems} from './extra-health.js';
import {extraSpecs} from './extra-specs.js';
import {labScopes} from './lab-clusters.js';
import {checkLabHealth, errorText, type LabHealth, type LabProbes} from './health.js';
import {ensureLabImage, labUser} from './image.js';
import {LABEL_ENDPOINT, LABEL_POSTGRES, LABEL_REST_API} from '../model/container-labels.js';
import {LAB_HOST, labScheme, memberName, memberPorts, type LabConfig} from './lab-config.js';
import {componentDir, writeLabFiles} from './lab-files.js';
import {claimStateDir, LabRefusal} from './lab-marker.js';
import {postgresLabSql, psqlLabSql} from './lab-sql.js';
import {findPostgresBinDir, labPorts, missingPackages, takenPorts, type PortUse} from './preflight.js';
import {CONTAINER_LAB_DIR, etcdCommand} from './render.js';
import {loadOrCreateSecrets, withEtcdRootPassword, type LabSecrets} from './secrets.js';
import {certificatesDigest, ensureLabCertificates, labTlsDir, type TlsPaths} from './tls-certs.js';

export type LabContext = {
	readonly docker: Docker;
	readonly socketPath: string;
	/** Progress for a person, one line at a time; never a secret. */
	readonly log: (line: string) => void;
};

export class LabError extends Error {
	override name = 'LabError';
}

/** The containers a lab is made of, as `lab up` creates them. */
export function desiredSpecs(config: LabConfig, image: string, digests: Record<string, string>): ContainerSpec[] {
	const user = labUser();
	const common = {image, user, ...(config.tls ? {tlsDir: labTlsDir(config.stateDir)} : {})};
	const scheme = labScheme(config);
	const members = Array.from({length: config.nodeCount}, (_, index): ContainerSpec => {
		const member = memberName(index);
		const ports = memberPorts(config, index);
		return {
			...common,
			name: containerName(config.scope, member),
			component: 'member',
			member,
			command: ['/usr/bin/patroni', `${CONTAINER_LAB_DIR}/patroni.yml`],
			hostDir: componentDir(config, member),
			configDigest: digests[member] ?? '',
			// As Patroni advertises them (restapi and postgresql connect_address, render.ts): its api_url and conn_url.
			endpointLabels: {[LABEL_REST_API]: `${scheme}://${LAB_HOST}:${ports.restApi}/patroni`, [LABEL_POSTGRES]: `${LAB_HOST}:${ports.postgres}`},
		};
	});
	return [
		{
			...common,
			name: containerName(config.scope, 'etcd'),
			component: 'etcd',
			command: etcdCommand(config),
			hostDir: componentDir(config, 'etcd'),
			configDigest: digests['etcd'] ?? '',
			endpointLabels: {[LABEL_ENDPOINT]: `${scheme}://${LAB_HOST}:${config.ports.etcdClient}`},
		},
		...members,
		{
			...common,
			name: containerName(config.scope, 'haproxy'),
			component: 'haproxy',
			command: ['/usr/sbin/haproxy', '-W', '-db', '-f', `${CONTAINER_LAB_DIR}/haproxy.cfg`],
			hostDir: componentDir(config, 'haproxy'),
			configDigest: digests['haproxy'] ?? '',
			// What the monitor is given for the lab's HAProxy (resolve-config.ts): its primary listener and its stats page.
			endpointLabels: {[LABEL_ENDPOINT]: `${LAB_HOST}:${config.ports.haproxyPrimary},${scheme}://${LAB_HOST}:${config.ports.haproxyStats}/;csv`},
		},
		// After HAProxy: the standby's first member takes its base backup through the primary listener.
		...extraSpecs(config, common, digests),
	];
}

async function preflight(config: LabConfig, context: LabContext): Promise<string> {
	const missing = missingPackages(config.tls);
	if (missing.length > 0) {
		throw new LabError(
			`The lab needs Debian's packages ${missing.join(', ')}. Install them with "sudo bash scripts/setup.sh" ` +
				`or "sudo apt-get install ${missing.join(' ')}".`,
		);
	}
	await pingDocker(context.docker, context.socketPath);
	return findPostgresBinDir()!;
}

/** Refuses, naming the port, when something other than this lab's running containers holds a lab port. */
async function refuseTakenPorts(config: LabConfig, running: readonly LabContainer[]): Promise<void> {
	const isOurs = (use: PortUse) =>
		running.some(container => container.scope === (use.scope ?? config.scope) && container.component === use.component && container.member === use.member);
	const toCheck = labPorts(config).filter(use => !isOurs(use));
	const taken = await takenPorts(toCheck);
	if (taken.length > 0) {
		const list = taken.map(use => `127.0.0.1:${use.port} (${use.purpose})`).join(', ');
		throw new LabError(`Port already in use: ${list}. Free it, or move the lab with --port-offset.`);
	}
}

/**
 * Makes the containers match the specs: reuse identical ones (starting them if stopped), replace changed ones.
 * `afterStart` runs once each is running, before the next is started (a TLS lab's etcd gets its users first).
 */
async function reconcile(
	config: LabConfig,
	specs: readonly ContainerSpec[],
	context: LabContext,
	onCommit: () => void,
	afterStart: (spec: ContainerSpec) => Promise<void>,
): Promise<void> {
	const {ours: existing, others} = await listOwnContainersOf(context.docker, labScopes(config), config.stateDir);
	// Another lab's container with one of our names: never removed for ours, and ours cannot be made beside it.
	const inTheWay = others.filter(container => specs.some(spec => spec.name === container.name));
	if (inTheWay.length > 0) {
		const list = inTheWay.map(container => otherLabText(container, container.scope, config.stateDir)).join('; ');
		throw new LabRefusal(`Another lab holds the container names this one needs: ${list}. Take that lab down, or use another --scope.`);
	}
	const wanted = new Set(specs.map(spec => spec.name));
	for (const container of existing) {
		const spec = specs.find(candidate => candidate.name === container.name);
		if (!wanted.has(container.name) || container.specHash !== (spec && specHash(config.scope, spec))) {
			context.log(`removing outdated container ${container.name}`);
			await removeLabContainer(context.docker, container.id);
		}
	}
	const current = (await listOwnContainersOf(context.docker, labScopes(config), config.stateDir)).ours;
	// A paused container still holds its ports: it is ours, to unpause, not another program in the way.
	await refuseTakenPorts(config, current.filter(container => container.state === 'running' || container.state === 'paused'));
	onCommit();
	for (const spec of specs) {
		await startSpec(config, spec, current, context);
		await afterStart(spec);
	}
}

async function startSpec(config: LabConfig, spec: ContainerSpec, current: readonly LabContainer[], context: LabContext): Promise<void> {
	const found = current.find(container => container.name === spec.name);
	if (found?.state === 'running') return;
	if (found?.state === 'paused') {
		context.log(`unpausing ${spec.name}`);
		await context.docker.getContainer(found.id).unpause();
		return;
	}
	const id = found?.id ?? (await createLabContainer(context.docker, config.scope, spec));
	context.log(`${found ? 'starting' : 'created and starting'} ${spec.name}`);
	await context.docker.getContainer(id).start();
}

async function describeFailure(config: LabConfig, context: LabContext, health: LabHealth | undefined): Promise<string> {
	const lines = [`The lab did not become healthy: ${health?.problems.join('; ') ?? 'no health check answered'}.`];
	for (const container of (await listOwnContainersOf(context.docker, labScopes(config), config.stateDir)).ours) {
		const info = await context.docker.getContainer(container.id).inspect().catch(() => undefined);
		if (info?.State.Running) continue;
		lines.push(`${container.name} is ${container.state} (exit code ${info?.State.ExitCode ?? '?'}); its last log lines:`);
		lines.push((await containerLogTail(context.docker, container.id, 20)).replace(/^/gm, '  '));
	}
	return lines.join('\n');
}

export type UpOptions = {
	readonly timeoutMs?: number;
	/** Called once every check has passed, just before containers are made or started. */
	readonly onCommit?: () => void;
};

/** A TLS lab's certificates, made the first time and kept; nothing for a lab without TLS. */
async function prepareTls(config: LabConfig, context: LabContext): Promise<TlsPaths | undefined> {
	if (!config.tls) return undefined;
	const paths = await ensureLabCertificates(labTlsDir(config.stateDir), labUser());
	context.log(`TLS: the lab's CA is ${paths.ca}`);
	return paths;
}

function healthProbes(secrets: LabSecrets, pgBinDir: string, tls: TlsPaths | undefined): LabProbes {
	if (!tls) return {sql: postgresLabSql(secrets.superuserPassword)};
	const restTls = {ca: readPemFile(tls.ca, "the lab's CA"), verifyServer: true, verifyHostname: true};
	return {sql: psqlLabSql(pgBinDir, secrets.superuserPassword, tls.ca), restTls};
}

/** Brings the lab up (idempotent) and waits until it is healthy, or throws saying why within the timeout. */
export async function labUp(config: LabConfig, context: LabContext, options: UpOptions = {}): Promise<LabHealth> {
	const pgBinDir = await preflight(config, context);
	// Before anything is written: a directory that is not ours (a home, a folder of notes) is refused, never filled.
	claimStateDir(config);
	const stored = loadOrCreateSecrets(config.stateDir);
	const secrets = config.tls ? withEtcdRootPassword(config.stateDir, stored) : stored;
	const tls = await prepareTls(config, context);
	const digests = writeLabFiles(config, secrets, labUser(), pgBinDir, tls ? certificatesDigest(tls) : '');
	const image = await ensureLabImage(context.docker, labUser());
	const timeoutMs = options.timeoutMs ?? 180_000;
	const afterStart = async (spec: ContainerSpec) => {
		if (!tls || spec.component !== 'etcd') return;
		try {
			await ensureEtcdUsers(config, tls, secrets.etcdRootPassword ?? '', Date.now() + timeoutMs);
		} catch (error) {
			throw new LabError(await describeFailure(config, context, {isHealthy: false, problems: [`etcd's users: ${errorText(error)}`]}));
		}
	};
	await reconcile(config, desiredSpecs(config, image, digests), context, options.onCommit ?? (() => undefined), afterStart);
	const probes = healthProbes(secrets, pgBinDir, tls);
	const deadline = Date.now() + timeoutMs;
	let health: LabHealth | undefined;
	let lastReport = '';
	while (Date.now() < deadline) {
		health = await labAndExtraHealth(config, probes);
		if (health.isHealthy) return health;
		const report = health.problems.join('; ');
		if (report !== lastReport) context.log(`waiting: ${report}`);
		lastReport = report;
		if (await anyContainerExited(config, context)) break;
		await new Promise(resolve => setTimeout(resolve, 1000));
	}
	throw new LabError(await describeFailure(config, context, health));
}

/** The lab's health, and (`--standby`, `--clusters`) the extra clusters': healthy when every one is. */
async function labAndExtraHealth(config: LabConfig, probes: LabProbes): Promise<LabHealth> {
	const [lab, extra] = await Promise.all([
		checkLabHealth(config, probes).catch((error: unknown): LabHealth => ({isHealthy: false, problems: [errorText(error)]})),
		extraClustersProblems(config, probes).catch((error: unknown) => [errorText(error)]),
	]);
	return {...lab, isHealthy: lab.isHealthy && extra.length === 0, problems: [...lab.problems, ...extra]};
}

async function anyContainerExited(config: LabConfig, context: LabContext): Promise<boolean> {
	const containers = (await listOwnContainersOf(context.docker, labScopes(config), config.stateDir)).ours;
	return containers.some(container => container.state === 'exited' || container.state === 'dead');
}
