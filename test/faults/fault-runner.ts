/**
 * One fault, measured the same way every time: from a healthy lab, inject; time the first frame that shows it;
 * hold; repair (always, whatever failed); time the first healthy frame; and check that frames kept coming, that
 * the header never said healthy while the fault was on, and what a client writing through HAProxy lost (the
 * test's own write witness, looked up on the leader REST names afterwards).
 */
import assert from 'node:assert/strict';
import type {LabStatus} from '../../source/lab/lab-status.js';
import {restLeader, restStatus} from '../helpers/rest-witness.js';
import {startWriteWitness} from '../helpers/write-witness.js';
import {ensureLab, FAULT_LAB, labSecrets} from './fault-lab.js';
import {isHealthyFrame, stateOnScreen} from './frame-text.js';
import {unhandled} from './guards.js';
import type {Headless} from './headless.js';
import {measured, type RowFacts} from './report.js';

const MAX_GAP_MS = 2000;
const NAMES = ['node1', 'node2', 'node3'];
export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export type Fault = {
	readonly order: number;
	readonly name: string;
	readonly inject: () => Promise<void>;
	/** The frame shows the fault. */
	readonly shows: (frame: string) => boolean;
	/** Undefined for a fault that heals by itself (Patroni restarts PostgreSQL): recovery is timed from its detection. */
	readonly repair?: () => Promise<void>;
	/** How long after the injection the repair starts (at the earliest once the fault is on screen). */
	readonly holdMs?: number;
	/** Waited for after detection, before the repair: e.g. the failover the screen must show. */
	readonly during?: (row: RowFacts, injectedAt: number) => Promise<void>;
	readonly detectWithinMs?: number;
	readonly recoverWithinMs?: number;
};

export class FaultRunner {
	status: LabStatus;

	constructor(readonly app: Headless, status: LabStatus) {
		this.status = status;
	}

	readonly healthy = (frame: string) => isHealthyFrame(frame, NAMES);

	containerOf(name: string): string {
		return this.status.members.find(member => member.name === name)!.container!.id;
	}

	async restLeader(): Promise<string | undefined> {
		return restLeader(this.app.config.restSeeds).catch(() => undefined);
	}

	/** The replica a fault is done to: the last one by name, per REST. */
	async replica(): Promise<string> {
		const leader = await this.restLeader();
		return NAMES.filter(name => name !== leader).at(-1)!;
	}

	async run(fault: Fault): Promise<void> {
		await measured(fault.order, fault.name, async row => {
			// Each fault starts from a healthy lab, as Patroni and the screen both say.
			this.status = await ensureLab(FAULT_LAB);
			await this.app.recorder.waitFor('a healthy screen before the fault', this.healthy, performance.now() - 1, 120_000);
			// What a client writing through HAProxy lost: reported, not asserted (a killed async leader may lose some).
			const witness = startWriteWitness({primary: this.status.haproxy.primary, user: 'postgres', password: labSecrets(FAULT_LAB)!.superuserPassword, intervalMs: 20});
			try {
				await sleep(1000);
				await this.#measure(fault, row);
			} finally {
				const written = await witness.finish(this.status.members.map(member => member.restApi));
				row.lostWrites = `${written.missing} of ${written.acknowledged}`;
			}
		});
	}

	async #measure(fault: Fault, row: RowFacts): Promise<void> {
		const {recorder} = this.app;
		const injectedAt = performance.now();
		let repairedAt = injectedAt;
		let saidHealthy: string | undefined;
		let detectedAt: number;
		try {
			await fault.inject();
			detectedAt = await recorder.waitFor(fault.name, fault.shows, injectedAt, fault.detectWithinMs ?? 30_000);
			row.detectedMs = detectedAt - injectedAt;
			await fault.during?.(row, injectedAt);
			await sleep(Math.max(0, injectedAt + (fault.holdMs ?? 0) - performance.now()));
			if (fault.repair) saidHealthy = recorder.find(frame => stateOnScreen(frame) === 'healthy', detectedAt, performance.now());
		} finally {
			// Whatever failed, the fault is undone: the next scenario must start from a healthy lab.
			repairedAt = performance.now();
			await fault.repair?.();
		}
		assert.equal(saidHealthy, undefined, 'the header never said "● healthy" while the fault was on');
		// A fault that heals by itself is over once it has been seen: recovery is the first healthy frame after that.
		const from = fault.repair ? repairedAt : detectedAt;
		const recoveredAt = await recorder.waitFor(`recovery from ${fault.name}`, this.healthy, from, fault.recoverWithinMs ?? 120_000);
		row.recoveredMs = recoveredAt - from;
		row.longestGapMs = recorder.longestGap(injectedAt, recoveredAt);
		assert.ok(row.longestGapMs < MAX_GAP_MS, `frames kept coming: longest gap ${row.longestGapMs.toFixed(0)} ms`);
		assert.deepEqual(unhandled(), [], 'no unhandled rejection');
	}

	/** When no member's own REST API (GET /patroni) calls itself primary any more, or undefined after `ms`. */
	async #noPrimarySince(ms: number): Promise<number | undefined> {
		const deadline = performance.now() + ms;
		while (performance.now() < deadline) {
			const roles = await Promise.all(this.status.members.map(member => restStatus(member.restApi, 1000).then(own => own.role, () => 'unknown')));
			if (roles.every(role => role !== 'master' && role !== 'primary' && role !== 'leader')) return performance.now();
			await sleep(200);
		}
		return undefined;
	}

	/**
	 * Without its DCS, Patroni demotes the leader after retry_timeout, but the leader key (out of reach) still
	 * names it: the screen must say that nothing accepts writes, not only that etcd is failing.
	 */
	readonly demotionShown = async (row: RowFacts, injectedAt: number): Promise<void> => {
		const demotedAt = await this.#noPrimarySince(25_000);
		if (demotedAt === undefined) {
			row.notes = 'Patroni kept a primary while etcd was away';
			return;
		}
		const shownAt = await this.app.recorder.waitFor('"no member accepts writes"', frame => /no member accepts writes/.test(frame), demotedAt - 1000, 15_000);
		row.notes = `Patroni demoted the leader ${seconds(demotedAt - injectedAt)} in; the screen said "no member accepts writes" ${relative(shownAt - demotedAt)} REST did`;
	};

	/** After a leader's death: the new leader per REST, and when the screen named it. */
	readonly newLeaderShown = async (oldLeader: string, row: RowFacts, injectedAt: number): Promise<void> => {
		const deadline = performance.now() + 90_000;
		let newLeader: string | undefined;
		while (!newLeader || newLeader === oldLeader) {
			if (performance.now() > deadline) throw new Error(`no new leader per REST within 90 s (still ${newLeader ?? 'none'})`);
			await sleep(100);
			newLeader = await this.restLeader();
		}
		const namedAt = performance.now();
		const shownAt = await this.app.recorder.waitFor(`${newLeader} as leader on screen`, frame => /│ leader (\S+) │/.exec(frame)?.[1] === newLeader, injectedAt, 30_000);
		row.notes = `${oldLeader} killed; REST named ${newLeader} ${seconds(namedAt - injectedAt)} later, the screen ${relative(shownAt - namedAt)} REST`;
	};
}

/** "0.2 s after" / "0.1 s before": the screen is measured against an outside poll, which can be the later one. */
function relative(ms: number): string {
	return `${seconds(Math.abs(ms))} ${ms < 0 ? 'before' : 'after'}`;
}
