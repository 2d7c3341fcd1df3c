/**
 * The fleet phase's patronictl side: `patronictl -c patronictl.yaml list <scope>` for every scope, one after
 * another, as someone without a fleet view would go round them; each timed wall to wall, and what it asked of
 * etcd counted through the counting relay (etcd-proxy.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import {LAB, patronictl, PATRONICTL_CONFIG} from './bench-lab.js';
import {countingProxy, proxiedPatronictlConfig} from './etcd-proxy.js';
import {summarize, type Summary} from './stats.js';

export type PatronictlRound = {
	readonly scopes: number;
	readonly totalMs: number;
	readonly perScope: Summary;
	/** Lists that failed, or did not name the leader the keys say. */
	readonly wrong: number;
	readonly etcdRequests: number;
};

const LEADER_ROW = (leader: string) => new RegExp(`\\|\\s*${leader}\\s*\\|[^\\n]*\\|\\s*Leader\\s*\\|`);

export async function patronictlRound(etcdPort: number, scopes: readonly string[], leaderOf: (scope: string) => string): Promise<PatronictlRound> {
	const proxy = await countingProxy({host: '127.0.0.1', port: etcdPort});
	const config = path.join(LAB.stateDir, 'patronictl-fleet.yaml');
	proxiedPatronictlConfig(PATRONICTL_CONFIG, config, proxy.port);
	const times: number[] = [];
	let wrong = 0;
	try {
		const startedAt = performance.now();
		for (const scope of scopes) {
			const before = performance.now();
			const out = await patronictl(['list', scope], config).catch(() => '');
			times.push(performance.now() - before);
			if (!out.includes(scope) || !LEADER_ROW(leaderOf(scope)).test(out)) wrong++;
		}
		const totalMs = performance.now() - startedAt;
		const etcdRequests = Object.values(proxy.counts).reduce((sum, count) => sum + count, 0);
		return {scopes: scopes.length, totalMs, perScope: summarize(times), wrong, etcdRequests};
	} finally {
		await proxy.close();
		fs.rmSync(config, {force: true});
	}
}
