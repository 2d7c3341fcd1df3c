import {useCallback, useRef, useState} from 'react';

/**
 * useReducer whose latest state can be read at once: keys can arrive before Ink has re-subscribed the input
 * handler after a render, and a handler reading React state would then act on the state before the last key.
 */
export function useLatestReducer<State, Action>(reducer: (state: State, action: Action) => State, initial: State) {
	const latest = useRef(initial);
	const [state, setState] = useState(initial);
	const dispatch = useCallback(
		(action: Action) => {
			const next = reducer(latest.current, action);
			if (next === latest.current) return;
			latest.current = next;
			setState(next);
		},
		[reducer],
	);
	const read = useCallback(() => latest.current, []);
	return [state, dispatch, read] as const;
}
