/**
 * Which component draws which pane, and from which part of what the dashboard holds. The facts about a pane that
 * are not drawing (title, key, source, counts, page size) are in source/panes.ts; this is the drawing half.
 */
import type {ReactNode} from 'react';
import type {Thresholds} from '../source/model/alerts.js';
import type {ClusterSnapshot, SourceHealth} from '../source/model/snapshot-types.js';
import type {OperationRecord} from '../source/operations/runner.js';
import {paneOf, type PaneName} from '../source/panes.js';
import {ContainersPane} from './containers-pane.js';
import {EtcdPane} from './etcd-pane.js';
import {EventsPane, type EventLine} from './events-pane.js';
import {HaproxyPane} from './haproxy-pane.js';
import {LagPane} from './lag-pane.js';
import {MembersPane} from './members-pane.js';
import {OperationsPane} from './operations-pane.js';
import {paneMemo} from './pane-memo.js';
import {TimelinePane} from './timeline-pane.js';

/** Everything a pane may draw from; each pane's entry below takes only its part, so its memo can skip a frame. */
export type PaneViewProps = {
	readonly snapshot: ClusterSnapshot;
	/** The health of the pane's source (from the pane table), or none for our own logs. */
	readonly health: SourceHealth | undefined;
	readonly lagHistory: Readonly<Record<string, readonly number[]>>;
	readonly events: readonly EventLine[];
	readonly operations: readonly OperationRecord[];
	readonly isReadOnly: boolean;
	/** The alert thresholds: lag is coloured by them. */
	readonly thresholds: Thresholds;
	readonly selectedIndex: number;
	readonly isFocused: boolean;
	/** The space inside the frame. */
	readonly width: number;
	readonly height: number;
};

type PaneView = (props: PaneViewProps) => ReactNode;

// Drawn again only when what they show changed (see pane-memo.ts).
const Members = paneMemo(MembersPane);
const Lag = paneMemo(LagPane);
const Timeline = paneMemo(TimelinePane);
const Etcd = paneMemo(EtcdPane);
const Haproxy = paneMemo(HaproxyPane);
const Containers = paneMemo(ContainersPane);
const Events = paneMemo(EventsPane);
const Operations = paneMemo(OperationsPane);

const cursor = ({health, width, height, selectedIndex, isFocused}: Omit<PaneViewProps, 'snapshot'>) => ({health, width, height, selectedIndex, isFocused});

/** One entry a pane; `satisfies` makes a pane of the table without a component here (or the reverse) a type error. */
const PANE_VIEWS = {
	members: props => <Members members={props.snapshot.members} thresholds={props.thresholds} {...cursor(props)} />,
	lag: props => <Lag members={props.snapshot.members} lagHistory={props.lagHistory} thresholds={props.thresholds} {...cursor(props)} />,
	timeline: props => <Timeline timeline={props.snapshot.timeline} history={props.snapshot.history} {...cursor(props)} />,
	etcd: ({snapshot, ...props}) => <Etcd scope={snapshot.scope} dcsKeys={snapshot.dcsKeys} leaderTtlLeft={snapshot.leaderTtlLeft} {...cursor(props)} />,
	haproxy: ({snapshot, ...props}) => <Haproxy backends={snapshot.backends} leader={snapshot.leader} at={snapshot.at} {...cursor(props)} />,
	containers: props => <Containers containers={props.snapshot.containers} at={props.snapshot.at} {...cursor(props)} />,
	events: ({events, height, selectedIndex, isFocused}) => <Events events={events} height={height} selectedIndex={selectedIndex} isFocused={isFocused} />,
	operations: ({operations, isReadOnly, width, height}) => <Operations operations={operations} isReadOnly={isReadOnly} width={width} height={height} />,
} as const satisfies Readonly<Record<PaneName, PaneView>>;

export type PaneContentProps = Omit<PaneViewProps, 'health'> & {readonly pane: PaneName};

/** The pane's component, given the health of the source the pane table names for it. */
export function PaneContent({pane, ...props}: PaneContentProps) {
	const source = paneOf(pane).source;
	return PANE_VIEWS[pane]({...props, health: source ? props.snapshot.sources[source] : undefined});
}
