/** Shapes of Patroni's REST API as Patroni 1.6 through 4.x answer them; every field beyond the name is optional. */

export type PatroniClusterMember = {
	readonly name: string;
	/** "leader", "replica", "sync_standby", "standby_leader"; Patroni 4 also says "primary" and "quorum_standby". */
	readonly role: string;
	readonly state?: string;
	readonly api_url?: string;
	readonly host?: string;
	readonly port?: number;
	readonly timeline?: number;
	readonly lag?: number | string;
	readonly receive_lag?: number | string;
	readonly replay_lag?: number | string;
	readonly lsn?: string;
	readonly receive_lsn?: string;
	readonly replay_lsn?: string;
	readonly pending_restart?: boolean;
	readonly pending_restart_reason?: Record<string, unknown>;
	readonly scheduled_restart?: Record<string, unknown>;
	readonly tags?: Record<string, unknown>;
};

export type PatroniCluster = {
	readonly members: readonly PatroniClusterMember[];
	readonly pause?: boolean;
	readonly scheduled_switchover?: {readonly at: string; readonly from?: string; readonly to?: string};
	readonly scope?: string;
};

/** GET /patroni (and GET /): one member's own view of itself. */
export type PatroniStatus = {
	readonly state?: string;
	readonly role?: string;
	readonly server_version?: number;
	readonly timeline?: number;
	readonly postmaster_start_time?: string;
	readonly pending_restart?: boolean;
	readonly pending_restart_reason?: Record<string, unknown>;
	readonly pause?: boolean;
	readonly xlog?: {
		readonly location?: number;
		readonly received_location?: number;
		readonly replayed_location?: number;
		readonly replayed_timestamp?: string | null;
		readonly paused?: boolean;
	};
	readonly replication?: ReadonlyArray<Record<string, unknown>>;
	readonly patroni?: {readonly version?: string; readonly scope?: string; readonly name?: string};
	readonly database_system_identifier?: string;
	readonly dcs_last_seen?: number;
	readonly tags?: Record<string, unknown>;
};

/** GET /history: [timeline, lsn, reason, timestamp, new leader] — the last two only from Patroni 1.6/2.x on. */
export type PatroniHistoryLine = readonly [number, number, string, string?, string?];
