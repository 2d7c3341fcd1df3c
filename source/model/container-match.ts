import {LABEL_COMPONENT, LABEL_COMPOSE_SERVICE, LABEL_MEMBER} from './container-labels.js';
import type {ContainerView} from './views.js';

export type MemberRef = {readonly name: string; readonly host?: string; readonly apiUrl?: string};

type Rule = (member: MemberRef, container: ContainerView) => boolean;

/** Strongest evidence first: a rule assigns a container only when it points at exactly one free container. */
const rules: readonly Rule[] = [
	(member, container) => container.labels[LABEL_MEMBER] === member.name,
	(member, container) =>
		container.name === member.name ||
		container.name.endsWith(`-${member.name}`) ||
		container.name.endsWith(`_${member.name}`) ||
		container.labels[LABEL_COMPOSE_SERVICE] === member.name,
	(member, container) => container.hostname !== undefined && memberHostnames(member).includes(container.hostname),
	// Spilo: Patroni's name defaults to the hostname, which Docker sets to the short container id.
	(member, container) => /^[0-9a-f]{12}$/.test(member.name) && container.id.startsWith(member.name),
];

export type MatchOptions = {
	/** Patroni's scope: among several candidates, those naming it (a label value, a part of the name) win. */
	readonly scope?: string;
};

/**
 * Which container runs which Patroni member. A member stays unmatched rather than guessed: when a rule finds
 * several containers (two clusters on one host, or host networking where every hostname is the host's), the
 * scope may narrow them, else the next rules may, and if none does the member gets no container.
 */
export function matchContainersToMembers(
	members: readonly MemberRef[],
	containers: readonly ContainerView[],
	{scope}: MatchOptions = {},
): Record<string, ContainerView | undefined> {
	const matched: Record<string, ContainerView | undefined> = Object.fromEntries(members.map(member => [member.name, undefined]));
	const taken = new Set<string>();
	for (const rule of rules) {
		for (const member of members) {
			if (matched[member.name]) continue;
			let candidates = containers.filter(container => !taken.has(container.id) && rule(member, container));
			if (candidates.length > 1 && scope) candidates = candidates.filter(container => namesScope(container, scope));
			if (candidates.length !== 1) continue;
			matched[member.name] = candidates[0];
			taken.add(candidates[0]!.id);
		}
	}
	return matched;
}

export function namesScope(container: ContainerView, scope: string): boolean {
	const dashed = (text: string) => `-${text.replace(/[_.]/g, '-')}-`;
	return Object.values(container.labels).includes(scope) || dashed(container.name).includes(dashed(scope));
}

/** Names a member's host goes by: its name, and the host part of its connection and REST addresses unless an IP. */
function memberHostnames(member: MemberRef): string[] {
	const names = [member.name];
	const apiHost = member.apiUrl ? hostOf(member.apiUrl) : undefined;
	for (const host of [member.host, apiHost]) {
		if (host && !isIpAddress(host) && host !== 'localhost') names.push(host);
	}
	return names;
}

function hostOf(url: string): string | undefined {
	try {
		return new URL(url).hostname;
	} catch {
		return undefined;
	}
}

function isIpAddress(host: string): boolean {
	return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}

export type InfraContainers = {readonly etcd: readonly ContainerView[]; readonly haproxy: readonly ContainerView[]};

/** etcd's and HAProxy's containers: by the lab's component label, else by what they run. */
export function findInfraContainers(containers: readonly ContainerView[]): InfraContainers {
	return {etcd: containers.filter(runs('etcd')), haproxy: containers.filter(runs('haproxy'))};
}

function runs(component: 'etcd' | 'haproxy'): (container: ContainerView) => boolean {
	const word = new RegExp(`\\b${component}\\b`);
	return container => {
		const label = container.labels[LABEL_COMPONENT];
		if (label !== undefined) return label === component;
		// A Patroni container's command may name its DCS or proxy; it is still a member, not infrastructure.
		const command = container.command ?? '';
		return word.test(command) && !/\bpatroni\b/.test(command);
	};
}
