/** Edits of recorded source states, for scenarios the recording does not hold. */
import type {SourceStates} from '../../source/model/source-state.js';

export type Mutable<T> = {-readonly [K in keyof T]: Mutable<T[K]>};

/**
 * Changes a member key as Patroni would rewrite it (value and parsed alike). REST's /cluster repeats the member
 * keys, so a state change belongs here; the /cluster copy is changed too, as the next poll would find it.
 */
export function editMemberKey(states: Mutable<SourceStates>, name: string, change: Record<string, unknown>): void {
	const key = states.dcs.data!.keys.find(candidate => candidate.key === `members/${name}`)!;
	key.parsed = {...(key.parsed as object), ...change};
	key.value = JSON.stringify(key.parsed);
	const copy = states.rest.data?.cluster?.members.find(row => row.name === name);
	if (copy && typeof change['state'] === 'string') copy.state = change['state'];
}
