/** Which component draws which pane, and from which part of the snapshot. */
import type {PaneName} from '../source/keymap.js';
import type {ClusterSnapshot} from '../source/model/snapshot-types.js';
import type {OperationRecord} from '../source/operations/runner.js';
import {ContainersPane} from './containers-pane.js';
import {EtcdPane} from './etcd-pane.js';
import {EventsPane, type EventLine} from './events-pane.js';
import {HaproxyPane} from './haproxy-pane.js';
import {LagPane} from './lag-pane.js';
import {MembersPane} from './members-pane.js';
import {OperationsPane} from './operations-pane.js';
import {paneMemo} from './pane-memo.js';
import {TimelinePane} from './timeline-pane.js';

// Drawn again only when what they show changed (see pane-memo.ts).
const Members = paneMemo(MembersPane);
const Lag = paneMemo(LagPane);
const Timeline = paneMemo(TimelinePane);
const Etcd = paneMemo(EtcdPane);
const Haproxy = paneMemo(HaproxyPane);
const Containers = paneMemo(ContainersPane);
const Events = paneMemo(EventsPane);
const Operations = paneMemo(OperationsPane);

export type PaneContentProps = {
	readonly pane: PaneName;
	readonly snapshot: ClusterSnapshot;
	readonly lagHistory: Readonly<Record<string, readonly number[]>>;
	readonly events: readonly EventLine[];
	readonly operations: readonly OperationRecord[];
	readonly isReadOnly: boolean;
	readonly selectedIndex: number;
	readonly isFocused: boolean;
	/** The space inside the frame. */
	readonly width: number;
	readonly height: number;
};

export function PaneContent({pane, snapshot, lagHistory, events, operations, isReadOnly, selectedIndex, isFocused, width, height}: PaneContentProps) {
	const {sources} = snapshot;
	const common = {width, height, selectedIndex, isFocused};
	switch (pane) {
		case 'members':
			return <Members members={snapshot.members} health={sources.rest} {...common} />;
		case 'lag':
			return <Lag members={snapshot.members} lagHistory={lagHistory} health={sources.postgres} {...common} />;
		case 'timeline':
			return <Timeline timeline={snapshot.timeline} history={snapshot.history} health={sources.rest} {...common} />;
		case 'etcd':
			return <Etcd scope={snapshot.scope} dcsKeys={snapshot.dcsKeys} leaderTtlLeft={snapshot.leaderTtlLeft} health={sources.dcs} {...common} />;
		case 'haproxy':
			return <Haproxy backends={snapshot.backends} leader={snapshot.leader} at={snapshot.at} health={sources.haproxy} {...common} />;
		case 'containers':
			return <Containers containers={snapshot.containers} at={snapshot.at} health={sources.docker} {...common} />;
		case 'events':
			return <Events events={events} height={height} selectedIndex={selectedIndex} isFocused={isFocused} />;
		case 'operations':
			return <Operations operations={operations} isReadOnly={isReadOnly} width={width} height={height} />;
	}
}
