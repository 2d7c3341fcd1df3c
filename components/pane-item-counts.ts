/**
 * How many selectable rows each pane draws, counted the way the panes count them, so the app can clamp its
 * selection (ui-state's `itemCounts`) without knowing, say, that HAProxy's FRONTEND rows are not rows.
 */
import type {PaneName} from '../source/keymap.js';
import type {ClusterSnapshot} from '../source/model/snapshot-types.js';
import {listeners} from './haproxy-rows.js';

export function paneItemCounts(snapshot: ClusterSnapshot, eventCount: number, operationCount = 0): Record<PaneName, number> {
	return {
		members: snapshot.members.length,
		lag: snapshot.members.filter(member => member.role !== 'leader' && member.role !== 'standby_leader').length,
		timeline: snapshot.history.length,
		etcd: snapshot.dcsKeys.length,
		haproxy: listeners(snapshot.backends).reduce((sum, listener) => sum + listener.servers.length, 0),
		containers: snapshot.containers.length,
		events: eventCount,
		operations: operationCount,
	};
}
