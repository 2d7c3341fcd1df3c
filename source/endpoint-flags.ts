/** The endpoint flags read and checked before anything connects: a bad one is a sentence naming the flag, and exit 2. */
import {ConfigError} from './config-error.js';
import {ETCD_DEFAULT_PORT, splitHostPort, uri} from './etcd-section.js';

function refuse(flag: string, expected: string, value: string): ConfigError {
	return new ConfigError(`--${flag}: expected ${expected}, got ${JSON.stringify(value)}`);
}

/** "a,b" → ["a", "b"]; nothing given is an empty list. */
export function list(value: string | undefined): string[] {
	return (value ?? '').split(',').map(item => item.trim()).filter(Boolean);
}

function httpUrl(value: string): URL | undefined {
	try {
		const url = new URL(value);
		// URL takes port 0, and a port past 65535 throws.
		return ['http:', 'https:'].includes(url.protocol) && url.hostname && url.port !== '0' ? url : undefined;
	} catch {
		return undefined;
	}
}

/** --etcd: host:port (port 2379 when left out, as Patroni and patronictl's --dcs-url do) or http(s)://host:port. */
export function etcdFlag(value: string | undefined): string[] {
	return list(value).map(item => {
		if (item.includes('://')) {
			const url = httpUrl(item);
			if (!url || (url.pathname !== '/' && url.pathname !== '')) throw refuse('etcd', 'host:port or http(s)://host:port', item);
			return `${url.protocol}//${url.hostname}:${url.port || ETCD_DEFAULT_PORT}`;
		}
		const address = splitHostPort(item, ETCD_DEFAULT_PORT);
		if (!address) throw refuse('etcd', 'host:port or http(s)://host:port', item);
		return uri('http', address);
	});
}

/** --rest: a member's API root, http(s)://host:port; host:port means http. */
export function restFlag(value: string | undefined): string[] {
	return list(value).map(item => {
		if (item.includes('://')) {
			const url = httpUrl(item);
			if (!url) throw refuse('rest', 'http(s)://host:port', item);
			return item.replace(/\/+$/, '');
		}
		const address = splitHostPort(item);
		if (!address) throw refuse('rest', 'http(s)://host:port', item);
		return uri('http', address);
	});
}

/** --haproxy-stats: the stats page's CSV URL, as HAProxy's `stats uri` serves it. */
export function haproxyStatsFlag(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	if (!httpUrl(value)) throw refuse('haproxy-stats', 'an http(s):// URL such as http://127.0.0.1:7000/;csv', value);
	return value;
}

export function hostPortFlag(flag: string, value: string | undefined): {host: string; port: number} | undefined {
	if (value === undefined) return undefined;
	const address = splitHostPort(value);
	if (!address) throw refuse(flag, 'host:port', value);
	return {host: address.host, port: address.port};
}
