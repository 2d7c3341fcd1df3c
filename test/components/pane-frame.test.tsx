/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Line} from '../../components/line.js';
import {PaneFrame} from '../../components/pane-frame.js';
import {lines, renderText, widest} from './render-text.js';

const long = 'x'.repeat(200);

describe('PaneFrame', () => {
	it('sets the title into the top border and doubles the border when focused', () => {
		const plain = lines(renderText(<PaneFrame title="1 Members" width={30} height={3} isFocused={false}><Line>hello</Line></PaneFrame>));
		assert.deepEqual(plain, ['╭─ 1 Members ────────────────╮', '│hello                       │', '╰────────────────────────────╯']);
		const focused = renderText(<PaneFrame title="1 Members" width={30} height={3} isFocused><Line>hello</Line></PaneFrame>);
		assert.match(focused, /^╔═ 1 Members ═+╗$/m);
	});

	it('puts a badge at the right of the top border', () => {
		const frame = renderText(<PaneFrame title="4 etcd" width={40} height={3} isFocused={false} badge={{text: '✗ 12s old', tone: 'bad'}} />);
		assert.match(lines(frame)[0]!, /^╭─ 4 etcd ─+ ✗ 12s old ─╮$/);
		assert.equal([...lines(frame)[0]!].length, 40);
	});

	it('cuts content to its width and height instead of wrapping', () => {
		const frame = renderText(
			<PaneFrame title="7 Events" width={20} height={4} isFocused={false}>
				<Line>{long}</Line>
				<Line>second</Line>
				<Line>third</Line>
				<Line>fourth</Line>
			</PaneFrame>,
		);
		const rows = lines(frame);
		assert.equal(rows.length, 4);
		assert.ok(widest(frame) <= 20);
		assert.match(rows[1]!, /^│x+…│$/);
		assert.equal(rows[2], '│second            │');
		assert.match(rows[3]!, /^╰─+╯$/);
	});

	it('degrades to its title when too small for a border, and never throws', () => {
		assert.equal(renderText(<PaneFrame title="2 Lag" width={3} height={1} isFocused={false} />), '2 …');
		for (const [width, height] of [[0, 0], [4, 3], [5, 2], [1, 10]] as const) {
			const frame = renderText(<PaneFrame title="6 Containers" width={width} height={height} isFocused><Line>{long}</Line></PaneFrame>);
			assert.ok(widest(frame) <= Math.max(width, 0), `${width}x${height}: ${frame}`);
		}
	});
});
