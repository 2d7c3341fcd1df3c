import {useSyncExternalStore} from 'react';

/** What the app needs of the monitor: a view that is replaced whenever anything changed, and a subscription. */
export type MonitorStore<View> = {readonly getView: () => View; readonly subscribe: (listener: () => void) => () => void};

/** The one consuming hook: the monitor runs the sources outside React; this re-renders when its view changes. */
export function useMonitor<View>(store: MonitorStore<View>): View {
	return useSyncExternalStore(store.subscribe, store.getView, store.getView);
}
