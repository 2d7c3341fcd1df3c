import type {PostgresMemberView, ReplicationRow, SlotRow, WalReceiverRow} from '../model/views.js';

/**
 * Everything asked of one member, as one statement. The primary-only parts sit behind `not recovery`: on a
 * replica pg_current_wal_lsn() raises an error. A replica's checkpoint timeline can trail a failover by a whole
 * checkpoint_timeout, so the timeline its WAL receiver is streaming wins when there is one.
 */
export const MEMBER_STATEMENT = `
with state as (
	select pg_is_in_recovery() as recovery,
		case when pg_is_in_recovery() then null else pg_current_wal_lsn() end as current_lsn
)
select s.recovery as is_in_recovery,
	s.current_lsn::text as current_lsn,
	pg_last_wal_receive_lsn()::text as receive_lsn,
	pg_last_wal_replay_lsn()::text as replay_lsn,
	case when s.recovery then extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 end as replay_delay_seconds,
	coalesce(
		case when s.recovery then (select received_tli from pg_stat_wal_receiver) end,
		(select timeline_id from pg_control_checkpoint())
	)::int as timeline,
	case when not s.recovery then coalesce((
		select json_agg(json_build_object(
			'applicationName', r.application_name,
			'clientAddr', host(r.client_addr),
			'state', r.state,
			'syncState', r.sync_state,
			'sentLsn', r.sent_lsn::text,
			'writeLagBytes', pg_wal_lsn_diff(s.current_lsn, r.write_lsn),
			'flushLagBytes', pg_wal_lsn_diff(s.current_lsn, r.flush_lsn),
			'replayLagBytes', pg_wal_lsn_diff(s.current_lsn, r.replay_lsn),
			'writeLagSeconds', extract(epoch from r.write_lag)::float8,
			'flushLagSeconds', extract(epoch from r.flush_lag)::float8,
			'replayLagSeconds', extract(epoch from r.replay_lag)::float8
		) order by r.application_name, r.pid) from pg_stat_replication r
	), '[]') end as replication,
	case when s.recovery then (
		select json_build_object(
			'status', w.status,
			'senderHost', w.sender_host,
			'senderPort', w.sender_port,
			'latestEndLsn', w.latest_end_lsn::text,
			'behindBytes', pg_wal_lsn_diff(w.latest_end_lsn, pg_last_wal_replay_lsn()),
			'contactAgeSeconds', extract(epoch from clock_timestamp() - w.latest_end_time)::float8
		) from pg_stat_wal_receiver w
	) end as wal_receiver,
	case when not s.recovery then coalesce((
		select json_agg(json_build_object(
			'slotName', sl.slot_name,
			'active', sl.active,
			'restartLsn', sl.restart_lsn::text,
			'retainedBytes', pg_wal_lsn_diff(s.current_lsn, sl.restart_lsn)
		) order by sl.slot_name) from pg_replication_slots sl
	), '[]') end as slots
from state s`;

export type MemberRow = {
	readonly is_in_recovery: boolean;
	readonly current_lsn: string | null;
	readonly receive_lsn: string | null;
	readonly replay_lsn: string | null;
	readonly replay_delay_seconds: number | null;
	readonly timeline: number | null;
	readonly replication: ReplicationRow[] | null;
	readonly slots: SlotRow[] | null;
	/** A replica's WAL receiver (pg_stat_wal_receiver), absent on a primary or when none runs. */
	readonly wal_receiver?: WalReceiverRow | null;
};

/** Lists are left out on a replica rather than shown empty: "not asked" is not "nobody is streaming". */
export function memberView(row: MemberRow, at: number): PostgresMemberView {
	return {
		isInRecovery: row.is_in_recovery,
		currentLsn: row.current_lsn,
		receiveLsn: row.receive_lsn,
		replayLsn: row.replay_lsn,
		// Millisecond precision: finer only makes every poll look like a change.
		replayDelaySeconds: row.replay_delay_seconds === null ? null : Math.round(row.replay_delay_seconds * 1000) / 1000,
		timeline: row.timeline,
		...(row.replication ? {replication: row.replication} : {}),
		...(row.slots ? {slots: row.slots} : {}),
		...(row.wal_receiver ? {walReceiver: walReceiverView(row.wal_receiver)} : {}),
		at,
	};
}

/** Rounded as the replay delay is: finer only makes every poll look like a change. */
function walReceiverView(row: WalReceiverRow): WalReceiverRow {
	const age = row.contactAgeSeconds;
	return {...row, contactAgeSeconds: age === null ? null : Math.round(age * 10) / 10};
}
