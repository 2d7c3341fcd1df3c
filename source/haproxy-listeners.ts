/**
 * HAProxy's stats rows grouped per listener. Pure and free of presentation, because the pane table counts the
 * HAProxy pane's selectable rows with it (source/panes.ts) and the pane draws them with it: one grouping for both.
 */
import type {HaproxyServer} from './model/views.js';

export type Listener = {readonly proxy: string; readonly backend?: HaproxyServer; readonly servers: readonly HaproxyServer[]};

/** Listeners in HAProxy's order; FRONTEND rows dropped, BACKEND rows kept as the listener's summary. */
export function listeners(rows: readonly HaproxyServer[]): Listener[] {
	const byProxy = new Map<string, {backend?: HaproxyServer; servers: HaproxyServer[]}>();
	for (const row of rows) {
		if (row.server === 'FRONTEND') continue;
		const entry = byProxy.get(row.proxy) ?? {servers: []};
		if (row.server === 'BACKEND') entry.backend = row;
		else entry.servers.push(row);
		byProxy.set(row.proxy, entry);
	}
	// The stats page is a listener too, with no servers behind it: nothing to route, nothing to show.
	return [...byProxy].filter(([, entry]) => entry.servers.length > 0).map(([proxy, entry]) => ({proxy, ...entry}));
}
