import {PatroniClient} from '../../source/clients/patroni.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import type {ClusterSnapshot} from '../../source/model/snapshot-types.js';
import type {OperationClients, OperationContext} from '../../source/operations/context.js';

/** An operation context on a given picture, with the real clients unless a test stands in its own. */
export function contextOn(observe: () => ClusterSnapshot, overrides: Partial<Omit<OperationContext, 'clients'>> = {}, clients: Partial<OperationClients> = {}): OperationContext {
	return {
		isReadOnly: false,
		observe,
		thresholds: DEFAULT_THRESHOLDS,
		restSeeds: [],
		clients: {patroni: url => new PatroniClient(url), postgres: {user: 'postgres'}, haproxy: {}, ...clients},
		...overrides,
	};
}
