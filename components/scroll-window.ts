/** Which slice of a list fits in `height` lines while keeping the selected row in view. */
export function scrollWindow(count: number, height: number, selected: number): {readonly start: number; readonly end: number} {
	const size = Math.max(0, Math.min(count, height));
	if (size === 0) return {start: 0, end: 0};
	const index = clampIndex(selected, count);
	// Keep the selection in the middle when the list is longer than the space, like a pager does.
	const start = Math.min(Math.max(0, index - Math.floor(size / 2)), count - size);
	return {start, end: start + size};
}

/** The selection the app keeps can outlive the rows (a member left): clamp rather than select nothing. */
export function clampIndex(index: number, count: number): number {
	if (count <= 0) return 0;
	return Math.min(Math.max(0, Math.floor(index)), count - 1);
}
