/**
 * What each real system says, as the sources hand it over. One type per system; the snapshot merges them.
 * Everything here is plain data (JSON-serialisable), recorded from the real thing in tests.
 */
import type {PatroniCluster, PatroniHistoryLine, PatroniStatus} from '../clients/patroni-types.js';

/** One key under /<namespace>/<scope>/ in the DCS. `value` is the raw string; `parsed` is JSON when it is JSON. */
export type DcsKey = {
	/** Relative to the scope prefix: "leader", "members/node1", "config", "history", "status", ... */
	readonly key: string;
	readonly value: string;
	readonly parsed?: unknown;
	readonly modRevision?: string;
	/** etcd v3 lease id (hex) or, for v2, undefined; `ttlLeft` is the seconds the key has left, when known. */
	readonly lease?: string;
	readonly ttlLeft?: number;
};

/** The DCS as etcd holds it (v3 or v2 API), for one scope. */
export type DcsView = {
	readonly api: 'etcd3' | 'etcd2';
	readonly prefix: string;
	readonly keys: readonly DcsKey[];
	/** Name in the leader key, if any. */
	readonly leader?: string;
	/** Seconds left on the leader key's lease/ttl, when known. */
	readonly leaderTtlLeft?: number;
	/** etcd's revision (v3) or index (v2) of this read. */
	readonly revision?: string;
};

/** A member key's JSON as Patroni writes it (1.6 through 4.x). */
export type DcsMemberData = {
	readonly conn_url?: string;
	readonly api_url?: string;
	readonly state?: string;
	readonly role?: string;
	readonly version?: string;
	readonly timeline?: number;
	readonly xlog_location?: number;
	readonly receive_lsn?: number;
	readonly replay_lsn?: number;
	readonly replication_state?: string;
	readonly pending_restart?: boolean;
	readonly tags?: Record<string, unknown>;
};

/** Each member's Patroni REST API, asked directly. */
export type RestView = {
	/** GET /cluster from the first member that answered, and who that was. */
	readonly cluster?: PatroniCluster;
	readonly clusterFrom?: string;
	readonly members: Readonly<Record<string, {readonly status?: PatroniStatus; readonly error?: string; readonly at: number}>>;
	readonly history?: readonly PatroniHistoryLine[];
	readonly config?: Record<string, unknown>;
};

export type ReplicationRow = {
	readonly applicationName: string;
	readonly clientAddr: string | null;
	readonly state: string | null;
	readonly syncState: string | null;
	readonly sentLsn: string | null;
	readonly writeLagBytes: number | null;
	readonly flushLagBytes: number | null;
	readonly replayLagBytes: number | null;
	readonly writeLagSeconds: number | null;
	readonly flushLagSeconds: number | null;
	readonly replayLagSeconds: number | null;
};

export type SlotRow = {readonly slotName: string; readonly active: boolean; readonly restartLsn: string | null; readonly retainedBytes: number | null};

/** PostgreSQL itself, asked on each member directly (never through HAProxy). */
export type PostgresMemberView = {
	readonly isInRecovery?: boolean;
	readonly currentLsn?: string | null;
	readonly receiveLsn?: string | null;
	readonly replayLsn?: string | null;
	/** Seconds since the last replayed transaction (replicas). */
	readonly replayDelaySeconds?: number | null;
	readonly timeline?: number | null;
	readonly replication?: readonly ReplicationRow[];
	readonly slots?: readonly SlotRow[];
	/** A replica's WAL receiver: whom it streams from and how far behind what that sender last reported. */
	readonly walReceiver?: WalReceiverRow;
	/** What the monitor's own connection to it uses. */
	readonly ssl?: PostgresSslUse;
	readonly error?: string;
	readonly at: number;
};

/**
 * pg_stat_wal_receiver on a replica. `latestEndLsn` is the end of WAL its sender last reported, so `behindBytes`
 * (that minus the replay position) is how far the replica trails the server it streams from, asked of the replica
 * alone: for a standby leader, that is the primary cluster. `contactAgeSeconds`: since that report.
 */
export type WalReceiverRow = {
	readonly status: string;
	readonly senderHost: string | null;
	readonly senderPort: number | null;
	readonly latestEndLsn: string | null;
	readonly behindBytes: number | null;
	readonly contactAgeSeconds: number | null;
};

/** A connection's SSL: the TLS version ("TLSv1.3"; null: no SSL) and how far the server's certificate was checked. */
export type PostgresSslUse = {readonly protocol: string | null; readonly verified: 'none' | 'chain' | 'full'};

export type PostgresView = {readonly members: Readonly<Record<string, PostgresMemberView>>};

/** One row of HAProxy's stats (CSV) for a server behind a listener. */
export type HaproxyServer = {
	readonly proxy: string;
	readonly server: string;
	/** UP, DOWN, MAINT, DRAIN, NOLB, "UP 1/2", "DOWN 1/2", no check ... as HAProxy writes it. */
	readonly status: string;
	readonly checkStatus: string;
	readonly checkCode: string;
	readonly checkDurationMs: number | null;
	readonly currentSessions: number;
	readonly totalSessions: number;
	/** When the server's status last changed (epoch ms), from HAProxy's lastchg. */
	readonly lastChangeAt: number | null;
	readonly address: string;
};

export type HaproxyView = {readonly servers: readonly HaproxyServer[]; readonly via: 'http' | 'socket'};

export type ContainerView = {
	readonly id: string;
	readonly name: string;
	readonly hostname?: string;
	readonly image?: string;
	/** running, exited, paused, restarting, created, dead */
	readonly state: string;
	readonly startedAt?: string;
	readonly finishedAt?: string;
	readonly exitCode?: number;
	readonly restartCount?: number;
	readonly labels: Readonly<Record<string, string>>;
	/** Command line, to match Patroni/etcd/HAProxy containers by what they run. */
	readonly command?: string;
	/** Docker's network mode: with 'host' the container's processes listen on the host's own addresses. */
	readonly networkMode?: string;
	/** What the container's own Patroni settings say it runs: its environment, a Patroni YAML it mounts. */
	readonly patroni?: readonly ContainerPatroniSettings[];
	/** TCP addresses the container's processes listen on (host network), or that the engine publishes for it. */
	readonly listening?: readonly ListenAddress[];
};

/**
 * A scope and member name a container's settings give, read on the host by the Docker source (the model loads no
 * YAML): Patroni's PATRONI_SCOPE / PATRONI_NAME, spilo's SCOPE, PATRONI_CONFIGURATION, or a YAML file it mounts.
 */
export type ContainerPatroniSettings = {
	readonly from: 'environment' | 'file';
	/** The variable the scope came from, or the file's path inside the container. */
	readonly source: string;
	readonly scope?: string;
	readonly name?: string;
};

export type ListenAddress = {
	/** As the kernel or the engine gives it: 0.0.0.0 or :: for every address. */
	readonly address: string;
	readonly port: number;
	/** 'socket': a LISTEN socket held by one of its processes; 'published': a port the engine forwards to it. */
	readonly via: 'socket' | 'published';
};

export type DockerView = {
	readonly containers: readonly ContainerView[];
	/** The host's own addresses: a container listening on every address answers on these. */
	readonly localAddresses?: readonly string[];
};
