/** The containers proven to be this cluster's (its members', its etcd's and HAProxy's): state, uptime and restarts. */
import {Box} from 'ink';
import {fit, formatDuration} from '../source/model/format.js';
import type {InfraContainer, SourceHealth} from '../source/model/snapshot-types.js';
import {Line, Span} from './line.js';
import type {Tone} from './palette.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type ContainersPaneProps = {
	readonly containers: readonly InfraContainer[];
	/** The snapshot's time, to turn start times into uptimes without reading the clock here. */
	readonly at: number;
	readonly health?: SourceHealth | undefined;
	readonly width: number;
	readonly height: number;
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

export function ContainersPane({containers, at, health, width, height, selectedIndex, isFocused}: ContainersPaneProps) {
	const notice = sourceNotice(health);
	const room = height - (notice ? 1 : 0) - 1;
	const selected = clampIndex(selectedIndex, containers.length);
	const {start, end} = scrollWindow(containers.length, room, selected);
	// Narrow panes drop the shared `patroni-tui-lab-` prefix: the part after it is what tells them apart.
	const prefix = width < 60 ? commonDashPrefix(containers.map(container => container.name)) : '';
	const names = containers.map(container => container.name.slice(prefix.length));
	const nameWidth = Math.min(24, Math.max(4, ...names.map(name => name.length)));
	const empty = containers.length === 0 ? emptyText(health, "no container is proven to be this cluster's") : undefined;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			{empty ? <Line tone={empty.tone}>{empty.text}</Line> : <Line isBold>{`  ${fit('Name', nameWidth)} ${fit('Role', 8)} ${fit('State', 10)} Up`}</Line>}
			{containers.slice(start, end).map((container, offset) => {
				const index = start + offset;
				const isSelected = index === selected;
				return (
					<Line key={container.id} isInverse={isSelected && isFocused}>
						{isSelected ? '› ' : '  '}
						{fit(names[index]!, nameWidth)} {fit(container.role, 8)}{' '}
						<Span tone={containerTone(container.state)}>{fit(container.state, 10)}</Span> {uptime(container, at)}
						{container.restartCount ? <Span tone="warn">{` ↻${container.restartCount}`}</Span> : null}
					</Line>
				);
			})}
		</Box>
	);
}

export function containerTone(state: string): Tone | undefined {
	if (state === 'running') return 'good';
	if (state === 'restarting' || state === 'paused' || state === 'created') return 'warn';
	return 'bad';
}

function uptime(container: InfraContainer, at: number): string {
	if (container.state !== 'running' || !container.startedAt) return '–';
	const started = Date.parse(container.startedAt);
	return Number.isNaN(started) ? '–' : formatDuration(at - started);
}

function commonDashPrefix(names: readonly string[]): string {
	if (names.length < 2) return '';
	let prefix = names[0]!;
	for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
	return prefix.slice(0, prefix.lastIndexOf('-') + 1);
}
