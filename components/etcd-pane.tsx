/** The scope's keys in etcd: the tree, the selected key's value, and how long the leader lease has left. */
import {Box} from 'ink';
import {formatSeconds} from '../source/model/format.js';
import type {SourceHealth} from '../source/model/snapshot-types.js';
import type {DcsKey} from '../source/model/views.js';
import {ETCD_SIDE_BY_SIDE_WIDTH} from '../source/panes.js';
import {sortedKeys, treeRows, valueLines} from './dcs-tree.js';
import {Line, Span} from './line.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type EtcdPaneProps = {
	readonly scope: string;
	readonly dcsKeys: readonly DcsKey[];
	readonly leaderTtlLeft?: number | undefined;
	readonly health?: SourceHealth | undefined;
	readonly width: number;
	readonly height: number;
	/** Index into the keys sorted by path. */
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

// Patroni renews the leader key every loop_wait (10 s by default) against a 30 s TTL: under 10 s it is late.
const LEASE_WARN_SECONDS = 10;

export function EtcdPane({scope, dcsKeys, leaderTtlLeft, health, width, height, selectedIndex, isFocused}: EtcdPaneProps) {
	const notice = sourceNotice(health);
	const keys = sortedKeys(dcsKeys);
	const room = Math.max(0, height - (notice ? 1 : 0) - 1);
	const hasLeaderKey = keys.some(key => key.key === 'leader');
	const selected = clampIndex(selectedIndex, keys.length);
	// Side by side from a width where both halves still read; below it the tree goes over the value. (The page keys
	// know this too: a page is the tree's height.)
	const isSideBySide = width >= ETCD_SIDE_BY_SIDE_WIDTH;
	const treeWidth = isSideBySide ? Math.min(30, Math.max(18, Math.floor(width * 0.4))) : width;
	const treeHeight = isSideBySide ? room : Math.min(treeRows(keys).length, Math.max(1, Math.floor(room / 2)));
	const empty = keys.length === 0 ? emptyText(health, `no keys under scope ${scope}`) : undefined;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			<Line>
				scope <Span isBold>{scope}</Span> · {keys.length} keys ·{' '}
				<LeaseText hasLeaderKey={hasLeaderKey} ttlLeft={leaderTtlLeft} isEmpty={keys.length === 0} />
			</Line>
			{empty ? (
				<Line tone={empty.tone}>{empty.text}</Line>
			) : (
				<Box flexDirection={isSideBySide ? 'row' : 'column'} height={room}>
					<KeyTree keys={keys} selected={selected} width={treeWidth} height={treeHeight} isFocused={isFocused} />
					<KeyValue
						dcsKey={keys[selected]!}
						width={isSideBySide ? width - treeWidth - 1 : width}
						height={isSideBySide ? room : room - treeHeight}
						marginLeft={isSideBySide ? 1 : 0}
					/>
				</Box>
			)}
		</Box>
	);
}

function LeaseText({hasLeaderKey, ttlLeft, isEmpty}: {readonly hasLeaderKey: boolean; readonly ttlLeft: number | undefined; readonly isEmpty: boolean}) {
	if (!hasLeaderKey) return <Span tone={isEmpty ? 'muted' : 'bad'}>no leader key</Span>;
	if (ttlLeft === undefined) return <Span tone="muted">leader lease ?</Span>;
	return <Span tone={ttlLeft < LEASE_WARN_SECONDS ? 'warn' : 'good'}>leader lease {formatSeconds(ttlLeft)} left</Span>;
}

type KeyTreeProps = {readonly keys: readonly DcsKey[]; readonly selected: number; readonly width: number; readonly height: number; readonly isFocused: boolean};

function KeyTree({keys, selected, width, height, isFocused}: KeyTreeProps) {
	const rows = treeRows(keys);
	const selectedRow = Math.max(0, rows.findIndex(row => row.keyIndex === selected));
	const {start, end} = scrollWindow(rows.length, height, selectedRow);
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			{rows.slice(start, end).map((row, offset) => {
				const isSelected = row.keyIndex === selected;
				return (
					<Line key={start + offset} isInverse={isSelected && isFocused} tone={row.keyIndex === undefined ? 'muted' : undefined}>
						{isSelected ? '› ' : '  '}
						{'  '.repeat(row.depth)}
						{row.text}
					</Line>
				);
			})}
		</Box>
	);
}

type KeyValueProps = {readonly dcsKey: DcsKey; readonly width: number; readonly height: number; readonly marginLeft: number};

function KeyValue({dcsKey, width, height, marginLeft}: KeyValueProps) {
	if (height <= 0 || width <= 0) return null;
	const facts = [
		dcsKey.modRevision && `rev ${dcsKey.modRevision}`,
		dcsKey.lease && `lease ${dcsKey.lease}`,
		dcsKey.ttlLeft !== undefined && `ttl ${formatSeconds(dcsKey.ttlLeft)}`,
	].filter(Boolean);
	return (
		<Box flexDirection="column" width={width} height={height} marginLeft={marginLeft} overflowY="hidden">
			<Line isBold>
				{dcsKey.key}
				{facts.length > 0 ? <Span tone="muted">{` · ${facts.join(' · ')}`}</Span> : null}
			</Line>
			{valueLines(dcsKey)
				.slice(0, height - 1)
				.map((line, index) => (
					<Line key={index}>{line || ' '}</Line>
				))}
		</Box>
	);
}
