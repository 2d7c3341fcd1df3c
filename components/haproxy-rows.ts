/** What each HAProxy server's state means for a Patroni cluster (the grouping per listener: source/haproxy-listeners.ts). */
import type {HaproxyServer} from '../source/model/views.js';
import type {Tone} from './palette.js';

/** A listener that sends writes, by the names people give them; exactly one server should be up behind it. */
export function isWriteListener(proxy: string): boolean {
	return /primary|master|leader|write|rw/i.test(proxy);
}

export function isUp(server: HaproxyServer): boolean {
	return server.status === 'UP' || server.status.startsWith('UP ');
}

/**
 * A server DOWN because Patroni answered "not my role" (an L7 status) is the routing working: only a failed
 * connection or timeout is an outage worth red.
 */
export function statusTone(server: HaproxyServer): Tone | undefined {
	if (server.status === 'UP') return 'good';
	if (server.status.startsWith('UP ') || server.status.startsWith('DOWN ')) return 'warn';
	if (server.status === 'DOWN') return server.checkStatus.startsWith('L7STS') ? 'muted' : 'bad';
	if (/MAINT|DRAIN|NOLB/.test(server.status)) return 'warn';
	return 'muted';
}

/** `L7OK/200 2ms`, or the bare check status when there is no code. */
export function checkText(server: HaproxyServer): string {
	const code = server.checkCode ? `/${server.checkCode}` : '';
	const duration = server.checkDurationMs === null ? '' : ` ${server.checkDurationMs}ms`;
	return `${server.checkStatus || '–'}${code}${duration}`;
}
