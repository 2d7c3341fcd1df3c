/**
 * Milestones published on a diagnostics channel, for tools that watch the monitor from inside its process (the
 * benchmark's start-up probe, a profiler) without reaching into its modules. Free when no one subscribes.
 */
import dc from 'node:diagnostics_channel';

export const MONITOR_CHANNEL = 'patroni-tui:monitor';

export type MonitorMilestone = {readonly kind: 'complete'; readonly at: number};

const channel = dc.channel(MONITOR_CHANNEL);

export function publishMilestone(milestone: MonitorMilestone): void {
	if (channel.hasSubscribers) channel.publish(milestone);
}
