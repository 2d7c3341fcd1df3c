/** The merged picture of the cluster that every pane draws from. Pure data: also what `--json` prints. */
import type {DcsKey, HaproxyServer, PostgresSslUse} from './views.js';
import type {StandbyInfo} from './standby.js';

export const SOURCE_NAMES = ['dcs', 'rest', 'postgres', 'haproxy', 'docker'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export const SOURCE_LABELS: Readonly<Record<SourceName, string>> = {
	dcs: 'etcd',
	rest: 'REST',
	postgres: 'SQL',
	haproxy: 'HAProxy',
	docker: 'Docker',
};

/** How fresh one source's data is. `ageMs` is measured at snapshot time. */
export type SourceHealth = {
	readonly name: SourceName;
	readonly isEnabled: boolean;
	/** Why it is off, when it is: "no engine socket at /var/run/docker.sock, and none asked for (…)". */
	readonly offReason?: string;
	readonly updatedAt?: number;
	readonly ageMs?: number;
	readonly error?: string;
	readonly isStale: boolean;
};

/** One member's role as each source sees it; they can disagree, and the disagreement is the news. */
export type RoleViews = {
	readonly dcs?: string;
	readonly rest?: string;
	readonly postgres?: 'primary' | 'replica';
	readonly haproxy?: 'primary' | 'replica' | 'down';
};

/** What proved a container is this cluster's; a name alone never does. */
export type ContainerProof = {
	readonly by: 'labels' | 'environment' | 'file' | 'spilo' | 'port';
	/** Said after "proved by": "the lab's labels (scope lab, member node1)". */
	readonly text: string;
};

export type MemberContainer = {
	readonly id: string;
	readonly name: string;
	readonly state: string;
	readonly startedAt?: string;
	readonly restartCount?: number;
	readonly proof: ContainerProof;
};

export type MemberRow = {
	readonly name: string;
	readonly host?: string;
	readonly port?: number;
	readonly apiUrl?: string;
	/** The role we draw: 'leader' when the DCS (or, failing that, REST) names it leader; else the REST role. */
	readonly role: 'leader' | 'replica' | 'sync_standby' | 'standby_leader' | 'unknown';
	readonly roles: RoleViews;
	/** Patroni's state: running, streaming, starting, stopped, crashed, creating replica, ... */
	readonly state?: string;
	readonly timeline?: number;
	readonly receiveLagBytes?: number;
	readonly replayLagBytes?: number;
	readonly receiveLagSeconds?: number;
	readonly replayLagSeconds?: number;
	/** pg_stat_replication's state and sync_state for this member, as the leader reports them. */
	readonly replicationState?: string;
	readonly syncState?: string;
	readonly pendingRestart: boolean;
	readonly pendingRestartReason?: string;
	readonly scheduledRestart?: string;
	readonly tags: Readonly<Record<string, unknown>>;
	readonly container?: MemberContainer;
	readonly isInDcs: boolean;
	readonly restError?: string;
	readonly postgresError?: string;
	/** What the monitor's SQL connection to it uses (PostgreSQL source). */
	readonly postgresSsl?: PostgresSslUse;
	readonly version?: string;
	/** Gone from the DCS after this monitor saw it there (`at`: last seen), until it is back or dismissed. */
	readonly lost?: SeenAt;
	/** While its REST API or PostgreSQL fails: when each last answered. */
	readonly restAnswered?: SeenAt;
	readonly sqlAnswered?: SeenAt;
	/** A lost or failing member's last good values, in place of those no source gives now: drawn greyed. */
	readonly remembered?: RememberedValues;
};

/** A moment and its age at snapshot time. */
export type SeenAt = {readonly at: number; readonly ageMs: number};

export type RememberedValues = Partial<
	Pick<MemberRow, 'role' | 'state' | 'host' | 'port' | 'apiUrl' | 'timeline' | 'receiveLagBytes' | 'replayLagBytes' | 'receiveLagSeconds' | 'replayLagSeconds' | 'replicationState' | 'syncState'>
>;

export type HistoryRow = {
	readonly timeline: number;
	readonly lsn: number;
	readonly reason: string;
	readonly at?: string;
	readonly newLeader?: string;
};

export type AlertSeverity = 'critical' | 'warning' | 'info';

export type Alert = {
	/** Stable across snapshots while the condition holds: used to log "raised" and "cleared". */
	readonly id: string;
	readonly severity: AlertSeverity;
	readonly message: string;
	readonly member?: string;
};

export type ClusterState = 'healthy' | 'degraded' | 'no leader' | 'paused' | 'unknown';

export type InfraContainer = MemberContainer & {readonly role: 'etcd' | 'haproxy' | 'member' | 'other'; readonly member?: string};

export type ClusterSnapshot = {
	readonly scope: string;
	readonly at: number;
	readonly state: ClusterState;
	readonly leader?: string;
	/** Who each source says the leader is; `postgres` lists every member not in recovery. */
	readonly leaderBy: {readonly dcs?: string; readonly rest?: string; readonly haproxy?: readonly string[]; readonly postgres?: readonly string[]};
	readonly timeline?: number;
	readonly isPaused: boolean;
	readonly scheduledSwitchover?: {readonly at: string; readonly from?: string; readonly to?: string};
	readonly members: readonly MemberRow[];
	readonly history: readonly HistoryRow[];
	readonly dcsKeys: readonly DcsKey[];
	readonly leaderTtlLeft?: number;
	readonly backends: readonly HaproxyServer[];
	readonly containers: readonly InfraContainer[];
	readonly alerts: readonly Alert[];
	readonly sources: Readonly<Record<SourceName, SourceHealth>>;
	/** What the monitor was told to take on trust (ctl.insecure): said on screen and in --json for as long as it runs. */
	readonly warnings?: readonly ConfigWarning[];
	/** Set when this is a standby cluster: what it follows and how far behind (standby.ts). */
	readonly standby?: StandbyInfo;
};

/** `short` fits the header's first line; `message` says what it means. */
export type ConfigWarning = {readonly id: string; readonly short: string; readonly message: string};
