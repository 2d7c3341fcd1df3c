/**
 * What proves that a container runs a member (or the etcd, or the HAProxy) of one cluster. Each rule returns
 * the proof it found or nothing; a name like "…-node1" proves nothing, since two clusters may both have a node1.
 */
import {LABEL_COMPONENT, LABEL_ENDPOINT, LABEL_LAB, LABEL_MEMBER, LABEL_POSTGRES, LABEL_REST_API} from './container-labels.js';
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

/**
 * A container the lab labelled for this scope whose endpoint labels name other endpoints than the DCS says of
 * its member (or, for etcd and HAProxy, than the monitor is configured with) is another lab's of the same scope
 * name: excluded from every rule, like one that names another scope. A label it lacks, or an endpoint the DCS
 * does not say, cannot disagree.
 */
export function namesOtherEndpoint(container: ContainerView, members: readonly MemberRef[], context: EvidenceContext): boolean {
	const {labels} = container;
	if (labels[LABEL_LAB] !== context.scope) return false;
	const member = members.find(found => found.name === labels[LABEL_MEMBER]);
	if (member && disagrees(labels[LABEL_REST_API], member.apiUrl)) return true;
	if (member?.host !== undefined && member.port !== undefined && disagrees(labels[LABEL_POSTGRES], `${hostText(member.host)}:${member.port}`)) return true;
	const component = labels[LABEL_COMPONENT];
	if (component !== 'etcd' && component !== 'haproxy') return false;
	const configured = context.endpoints[component];
	return labels[LABEL_ENDPOINT] !== undefined && configured.length > 0 && agreeing(labels[LABEL_ENDPOINT], configured) === undefined;
}

/**
 * The lab's labels prove a member only with its REST label agreeing with the member's api_url in the DCS. A
 * container labelled before that label existed is not proven by its labels alone (another lab of the same scope
 * name carries the same two): the later rules decide, its listening port usually.
 */
const byLabels: MemberRule = (member, container, {scope}) => {
	const {labels} = container;
	if (labels[LABEL_LAB] !== scope || labels[LABEL_MEMBER] !== member.name || !member.apiUrl) return undefined;
	const rest = agreeing(labels[LABEL_REST_API], [member.apiUrl]);
	if (!rest) return undefined;
	if (member.host !== undefined && member.port !== undefined && disagrees(labels[LABEL_POSTGRES], `${hostText(member.host)}:${member.port}`)) return undefined;
	return {by: 'labels', text: `the lab's labels (scope ${scope}, member ${member.name}, REST ${rest})`};
};

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

/**
 * etcd's or HAProxy's container: the lab's labels for this scope with an endpoint label agreeing with a configured
 * endpoint (without one, as on a container made before it, only the port decides), or a process listening where
 * the monitor reaches it.
 */
export function infraProof(container: ContainerView, component: 'etcd' | 'haproxy', context: EvidenceContext): ContainerProof | undefined {
	const {labels} = container;
	const labelled = labels[LABEL_LAB] === context.scope && labels[LABEL_COMPONENT] === component ? agreeing(labels[LABEL_ENDPOINT], context.endpoints[component]) : undefined;
	if (labelled) return {by: 'labels', text: `the lab's labels (scope ${context.scope}, ${component}, ${labelled})`};
	const what = component === 'etcd' ? 'the configured etcd endpoint' : 'the configured HAProxy address';
	for (const configured of context.endpoints[component]) {
		const endpoint = endpointOf(configured);
		const proof = endpoint && listensOn(container, endpoint, context.localAddresses, what);
		if (proof) return proof;
	}
	return undefined;
}

/** The first of a label's comma-separated endpoints that one of `known` names too, as host:port; none, undefined. */
function agreeing(label: string | undefined, known: readonly string[]): string | undefined {
	for (const text of label?.split(',') ?? []) {
		const ours = endpointOf(text.trim());
		if (ours && known.some(other => sameEndpoint(ours, endpointOf(other)))) return `${hostText(ours.host)}:${ours.port}`;
	}
	return undefined;
}

/** A label present whose endpoints all differ from `known` (both given): the two name different places. */
function disagrees(label: string | undefined, known: string | undefined): boolean {
	return label !== undefined && known !== undefined && endpointOf(known) !== undefined && agreeing(label, [known]) === undefined;
}

/** The same port, and the same host or "localhost" for a loopback address. */
function sameEndpoint(one: Endpoint, other: Endpoint | undefined): boolean {
	if (!other || one.port !== other.port) return false;
	const [a, b] = [plainAddress(one.host), plainAddress(other.host)];
	const isLoopback = (value: string) => value === 'localhost' || value.startsWith('127.') || value === '::1';
	return a === b || ((a === 'localhost' || b === 'localhost') && isLoopback(a) && isLoopback(b));
}

function hostText(host: string): string {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
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
