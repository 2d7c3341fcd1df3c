/**
 * What proves that a container runs a member (or the etcd, or the HAProxy) of one cluster. Each rule returns
 * the proof it found or nothing; a name like "…-node1" proves nothing, since two clusters may both have a node1.
 */
import {LABEL_COMPONENT, LABEL_LAB, LABEL_MEMBER} from './container-labels.js';
import type {ContainerProof} from './snapshot-types.js';
import type {ContainerView, ListenAddress} from './views.js';

export type MemberRef = {readonly name: string; readonly host?: string; readonly port?: number; readonly apiUrl?: string};

/** Where the monitor reaches the cluster's etcd and HAProxy: "host:port" or URLs, as configured. */
export type InfraEndpoints = {readonly etcd: readonly string[]; readonly haproxy: readonly string[]};

export type EvidenceContext = {
	readonly scope: string;
	/** The host's own addresses (the Docker source reads them): a wildcard listener answers on these. */
	readonly localAddresses: readonly string[];
	readonly endpoints: InfraEndpoints;
};

type Endpoint = {readonly host: string; readonly port: number};

export type MemberRule = (member: MemberRef, container: ContainerView, context: EvidenceContext) => ContainerProof | undefined;

/** A container whose lab label or own Patroni settings name another scope is that cluster's, whatever else matches. */
export function namesOtherScope(container: ContainerView, scope: string): boolean {
	const lab = container.labels[LABEL_LAB];
	if (lab !== undefined && lab !== scope) return true;
	return (container.patroni ?? []).some(settings => settings.scope !== undefined && settings.scope !== scope);
}

const byLabels: MemberRule = (member, container, {scope}) =>
	container.labels[LABEL_LAB] === scope && container.labels[LABEL_MEMBER] === member.name
		? {by: 'labels', text: `the lab's labels (scope ${scope}, member ${member.name})`}
		: undefined;

const bySettings: MemberRule = (member, container, {scope}) => {
	const found = container.patroni?.find(settings => settings.scope === scope && settings.name === member.name);
	if (!found) return undefined;
	if (found.from === 'file') return {by: 'file', text: `its Patroni file ${found.source} (scope ${scope}, name ${member.name})`};
	return {by: 'environment', text: `its environment (${found.source} names scope ${scope}, member ${member.name})`};
};

/**
 * Spilo names Patroni after the hostname, which Docker sets to the short container id; the scope must match
 * too (spilo's SCOPE, PATRONI_SCOPE, or a label), or a hostname shared on one host would be proof enough.
 */
const bySpilo: MemberRule = (member, container, {scope}) => {
	const {hostname} = container;
	const settings = container.patroni ?? [];
	if (!hostname || hostname !== member.name || settings.some(found => found.name !== undefined && found.name !== member.name)) return undefined;
	const fromEnvironment = settings.find(found => found.from === 'environment' && found.scope === scope);
	const label = Object.entries(container.labels).find(([, value]) => value === scope)?.[0];
	const scopeText = fromEnvironment ? `${fromEnvironment.source}=${scope}` : label ? `label ${label}=${scope}` : undefined;
	if (!scopeText) return undefined;
	if (/^[0-9a-f]{12}$/.test(hostname) && container.id.startsWith(hostname)) {
		return {by: 'spilo', text: `spilo's convention (member = hostname = short id ${hostname}, ${scopeText})`};
	}
	return fromEnvironment?.source === 'SCOPE' ? {by: 'spilo', text: `spilo's convention (${scopeText}, member named after the hostname ${hostname})`} : undefined;
};

const byPort: MemberRule = (member, container, context) => {
	const wanted: Array<[Endpoint | undefined, string]> = [
		[member.apiUrl ? endpointOf(member.apiUrl) : undefined, 'REST API'],
		[member.host !== undefined && member.port !== undefined ? {host: member.host, port: member.port} : undefined, 'PostgreSQL'],
	];
	for (const [endpoint, what] of wanted) {
		const proof = endpoint && listensOn(container, endpoint, context.localAddresses, `the member's ${what}`);
		if (proof) return proof;
	}
	return undefined;
};

/** Strongest first: the first rule that finds exactly one container decides. */
export const MEMBER_RULES: readonly MemberRule[] = [byLabels, bySettings, bySpilo, byPort];

/** etcd's or HAProxy's container: the lab's labels for this scope, or a process listening where the monitor reaches it. */
export function infraProof(container: ContainerView, component: 'etcd' | 'haproxy', context: EvidenceContext): ContainerProof | undefined {
	if (container.labels[LABEL_LAB] === context.scope && container.labels[LABEL_COMPONENT] === component) {
		return {by: 'labels', text: `the lab's labels (scope ${context.scope}, ${component})`};
	}
	const what = component === 'etcd' ? 'the configured etcd endpoint' : 'the configured HAProxy address';
	for (const configured of context.endpoints[component]) {
		const endpoint = endpointOf(configured);
		const proof = endpoint && listensOn(container, endpoint, context.localAddresses, what);
		if (proof) return proof;
	}
	return undefined;
}

function listensOn(container: ContainerView, endpoint: Endpoint, localAddresses: readonly string[], what: string): ContainerProof | undefined {
	const found = (container.listening ?? []).find(
		listen =>
			listen.port === endpoint.port &&
			(listen.via === 'published' || container.networkMode === 'host') &&
			answersOn(listen, endpoint.host, localAddresses),
	);
	if (!found) return undefined;
	const how = found.via === 'socket' ? 'its process listening on' : 'its published port';
	return {by: 'port', text: `${how} ${endpoint.host}:${endpoint.port} (${what})`};
}

/** Whether a listener at `listen` takes connections for `host`: the same address, or every address of this host. */
export function answersOn(listen: ListenAddress, host: string, localAddresses: readonly string[]): boolean {
	const address = plainAddress(listen.address);
	const target = plainAddress(host);
	const isLoopback = (value: string) => value.startsWith('127.') || value === '::1';
	if (target === 'localhost') return isLoopback(address) || isWildcard(address);
	if (isWildcard(address)) return isLoopback(target) || localAddresses.map(plainAddress).includes(target);
	return address === target;
}

function isWildcard(address: string): boolean {
	return address === '' || address === '0.0.0.0' || address === '::';
}

/** Lower case, without brackets or the IPv4-mapped prefix: "[::FFFF:127.0.0.1]" is 127.0.0.1. */
function plainAddress(address: string): string {
	return address.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** "http://127.0.0.1:18008/patroni", "127.0.0.1:12479" or "[::1]:2379" → host and port; no port, no endpoint. */
export function endpointOf(text: string): Endpoint | undefined {
	try {
		const url = new URL(text.includes('://') ? text : `tcp://${text}`);
		const port = Number(url.port || (url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : Number.NaN));
		return url.hostname && Number.isInteger(port) ? {host: url.hostname, port} : undefined;
	} catch {
		return undefined;
	}
}
