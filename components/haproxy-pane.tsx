/** HAProxy's listeners and the members behind each, flagging a write listener that routes to a non-leader. */
import {Box} from 'ink';
import {listeners} from '../source/haproxy-listeners.js';
import {fit, formatDuration} from '../source/model/format.js';
import type {SourceHealth} from '../source/model/snapshot-types.js';
import type {HaproxyServer} from '../source/model/views.js';
import {checkText, isUp, isWriteListener, statusTone} from './haproxy-rows.js';
import {Line, Span} from './line.js';
import {clampIndex, scrollWindow} from './scroll-window.js';
import {emptyText, sourceNotice} from './source-health.js';

export type HaproxyPaneProps = {
	readonly backends: readonly HaproxyServer[];
	/** Who the cluster says leads, to catch HAProxy sending writes elsewhere. */
	readonly leader?: string | undefined;
	/** The snapshot's time, to say how long ago a server changed state without reading the clock here. */
	readonly at: number;
	readonly health?: SourceHealth | undefined;
	readonly width: number;
	readonly height: number;
	/** Index over the servers (listener headings are not selectable). */
	readonly selectedIndex: number;
	readonly isFocused: boolean;
};

type Row = {readonly kind: 'listener'; readonly proxy: string; readonly up: number; readonly total: number; readonly sessions: number}
	| {readonly kind: 'server'; readonly server: HaproxyServer; readonly serverIndex: number; readonly isWrite: boolean};

export function HaproxyPane({backends, leader, at, health, width, height, selectedIndex, isFocused}: HaproxyPaneProps) {
	const notice = sourceNotice(health);
	const rows: Row[] = [];
	let serverIndex = 0;
	for (const listener of listeners(backends)) {
		const up = listener.servers.filter(isUp).length;
		const sessions = listener.backend?.currentSessions ?? listener.servers.reduce((sum, server) => sum + server.currentSessions, 0);
		rows.push({kind: 'listener', proxy: listener.proxy, up, total: listener.servers.length, sessions});
		for (const server of listener.servers) rows.push({kind: 'server', server, serverIndex: serverIndex++, isWrite: isWriteListener(listener.proxy)});
	}
	const selected = clampIndex(selectedIndex, serverIndex);
	const selectedRow = Math.max(0, rows.findIndex(row => row.kind === 'server' && row.serverIndex === selected));
	const {start, end} = scrollWindow(rows.length, height - (notice ? 1 : 0), selectedRow);
	const nameWidth = Math.min(14, Math.max(6, ...backends.map(server => server.server.length)));
	const isWide = width >= 60;
	const empty = rows.length === 0 ? emptyText(health, 'no listeners with servers') : undefined;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{notice ? <Line tone={notice.tone}>{notice.text}</Line> : null}
			{empty ? <Line tone={empty.tone}>{empty.text}</Line> : null}
			{rows.slice(start, end).map(row => {
				if (row.kind === 'listener') {
					const isWrong = isWriteListener(row.proxy) && row.up !== 1;
					return (
						<Line key={`listener-${row.proxy}`} isBold>
							{row.proxy}{' '}
							<Span tone={isWrong ? 'bad' : 'muted'}>{`${row.up}/${row.total} up${isWrong ? ' ✗' : ''} · ${row.sessions} session${row.sessions === 1 ? '' : 's'}`}</Span>
						</Line>
					);
				}
				const {server} = row;
				const isSelected = row.serverIndex === selected;
				const isSplit = row.isWrite && isUp(server) && leader !== undefined && server.server !== leader;
				return (
					<Line key={`${server.proxy}-${server.server}`} isInverse={isSelected && isFocused}>
						{isSelected ? '› ' : '  '}
						{fit(server.server, nameWidth)}{' '}
						<Span tone={statusTone(server)}>{fit(server.status, 9)}</Span>{' '}
						{/* Before the numbers, so a narrow pane cuts the numbers and keeps the alarm. */}
						{isSplit ? <Span tone="bad" isBold>{`≠ leader is ${leader} `}</Span> : null}
						{fit(checkText(server), 14)} sess {server.currentSessions}/{server.totalSessions}
						{isWide && server.lastChangeAt !== null ? <Span tone="muted">{` · ${formatDuration(at - server.lastChangeAt)} ago`}</Span> : null}
					</Line>
				);
			})}
		</Box>
	);
}
