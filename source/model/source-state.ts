import type {SourceEvent} from '../sources/source.js';
import type {SourceName} from './snapshot-types.js';
import type {DcsView, DockerView, HaproxyView, PostgresView, RestView} from './views.js';

/** A source as the app holds it: the last good data (kept through errors, so it can be shown with its age). */
export type SourceState<T> = {
	readonly isEnabled: boolean;
	/** Why a source that is off is off ("no engine socket at …"); said in the help and the pane that would draw it. */
	readonly offReason?: string;
	readonly data?: T;
	readonly updatedAt?: number;
	readonly error?: string;
	readonly errorAt?: number;
};

export type SourceStates = {
	readonly dcs: SourceState<DcsView>;
	readonly rest: SourceState<RestView>;
	readonly postgres: SourceState<PostgresView>;
	readonly haproxy: SourceState<HaproxyView>;
	readonly docker: SourceState<DockerView>;
};

export const DISABLED: SourceState<never> = {isEnabled: false};

export function emptySourceStates(enabled: Partial<Record<SourceName, boolean>> = {}, offReasons: Partial<Record<SourceName, string>> = {}): SourceStates {
	const state = (name: SourceName) => {
		const isEnabled = enabled[name] ?? true;
		const offReason = offReasons[name];
		return isEnabled || offReason === undefined ? {isEnabled} : {isEnabled, offReason};
	};
	return {dcs: state('dcs'), rest: state('rest'), postgres: state('postgres'), haproxy: state('haproxy'), docker: state('docker')};
}

/** Folds one event into a source's state: data replaces data and clears the error; an error keeps the data. */
export function applySourceEvent<T>(state: SourceState<T>, event: SourceEvent<T>): SourceState<T> {
	if (event.kind === 'data') return {isEnabled: true, data: event.data, updatedAt: event.at};
	const {data, updatedAt} = state;
	return {isEnabled: true, ...(data === undefined ? {} : {data, updatedAt}), error: event.error, errorAt: event.at};
}
