/** @jsxRuntime automatic */
// PageUp and PageDown through the whole app: a page is the rows the focused pane shows in the frame it got.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {App} from '../../components/app.js';
import {healthySnapshot, member} from '../fixtures/snapshot-healthy.js';

const PAGE_DOWN = '\u001B[6~';
const PAGE_UP = '\u001B[5~';

function setup() {
	const members = Array.from({length: 20}, (_, index) => ({...member(1), name: `node${index + 1}`}));
	const view = {snapshot: {...healthySnapshot, members}, events: [], lagHistory: {at: 0, samples: {}}};
	const ui = render(<App monitor={{getView: () => view, subscribe: () => () => undefined}} isReadOnly />);
	const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
	/** One key, then the frame's change, then a moment for Ink to re-arm its input handler. */
	const press = async (key: string) => {
		const before = ui.lastFrame();
		ui.stdin.write(key);
		const deadline = Date.now() + 1000;
		while (ui.lastFrame() === before && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
		await new Promise(resolve => setTimeout(resolve, 20));
	};
	return {ui, frame, press};
}

describe('the page keys', () => {
	it('move by the rows the focused pane shows, not by a fixed step', async () => {
		const {ui, frame, press} = setup();
		// ink-testing-library's terminal is 100x24: the Members frame takes the body's 18 lines, 16 inside it, of
		// which the column headings take one and the selected member's details at least one: 14 rows a page.
		assert.match(frame(), /›.{2}node1 /);
		await press(PAGE_DOWN);
		assert.match(frame(), /›.{2}node15 /);
		await press(PAGE_DOWN);
		assert.match(frame(), /›.{2}node20 /, 'clamped to the last member');
		await press(PAGE_UP);
		assert.match(frame(), /›.{2}node6 /);
		ui.unmount();
	});
});
