/** @jsxRuntime automatic */
// (tsx only applies tsconfig.json to source/ and components/, so test files name their JSX runtime themselves.)
// Text from the cluster is drawn escaped (source/model/visible.ts): an escape sequence in a tag, a key or a
// message never reaches the terminal. Each frame is checked raw, with only Ink's own colour codes taken out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {Fragment, type ReactElement} from 'react';
import {EtcdPane} from '../../components/etcd-pane.js';
import {EventsPane} from '../../components/events-pane.js';
import {MembersPane} from '../../components/members-pane.js';
import {PaneFrame} from '../../components/pane-frame.js';
import {Line} from '../../components/line.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import type {DcsKey} from '../../source/model/views.js';
import {AT, health, healthySnapshot, member} from '../fixtures/snapshot-healthy.js';

const TITLE = '\u001b]0;x\u0007';
const CLEAR = '\u001b[2J';

/** The frame as the terminal gets it, less the colour codes Ink itself writes (SGR: ESC [ … m). */
function rawFrame(element: ReactElement): string {
	const instance = render(element);
	try {
		return (instance.lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
	} finally {
		instance.unmount();
	}
}

function assertNoControls(frame: string): void {
	const found = [...frame].filter(char => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/u.test(char));
	assert.deepEqual(found.map(char => char.codePointAt(0)!.toString(16)), [], 'no control character from the cluster in the frame');
}

describe('text from the cluster is drawn escaped', () => {
	it('a tag holding an OSC title and a clear-screen sequence, in the Tags column and the details', () => {
		const tagged = member(2, {tags: {note: `${TITLE}${CLEAR}boom`}});
		const members = healthySnapshot.members.map(row => (row.name === 'node2' ? tagged : row));
		const frame = rawFrame(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={members} health={health('rest', 100)} width={200} height={8} selectedIndex={1} isFocused />);
		assertNoControls(frame);
		assert.ok(frame.includes('\\x1b]0;x\\x07\\x1b[2Jboom'), frame);
	});

	it('a member name with an escape sequence and a right-to-left override', () => {
		const members = [member(1, {name: `node\u001b[31m1\u202e`})];
		const frame = rawFrame(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={members} health={health('rest', 100)} width={160} height={4} selectedIndex={0} isFocused />);
		assertNoControls(frame);
		assert.ok(frame.includes('node\\x1b[31m1\\u202e'), frame);
	});

	it('an etcd key whose name holds a carriage return, and a value holding a C1 CSI', () => {
		const keys: DcsKey[] = [
			{key: 'members/evil\rnode', value: `{"tags":{"x":"\u009b2J"}}`, parsed: {tags: {x: '\u009b2J'}}, modRevision: '7'},
			{key: 'plain', value: `raw\u009b2J\rtext`, parsed: undefined, modRevision: '8'},
		];
		for (const selectedIndex of [0, 1]) {
			const frame = rawFrame(<EtcdPane scope="lab" dcsKeys={keys} health={health('dcs', 100)} width={90} height={8} selectedIndex={selectedIndex} isFocused />);
			assertNoControls(frame);
			assert.ok(frame.includes('evil\\rnode'), frame);
			assert.ok(frame.includes(selectedIndex === 0 ? '"x": "\\x9b2J"' : 'raw\\x9b2J\\rtext'), frame);
		}
	});

	it("an event quoting Patroni's text, and a pane title and badge", () => {
		const events = rawFrame(<EventsPane events={[{at: AT, text: `switchover failed: ${CLEAR}no`, severity: 'warning'}]} height={2} selectedIndex={0} isFocused />);
		assertNoControls(events);
		assert.match(events, /switchover failed: \\x1b\[2Jno/);
		const framed = rawFrame(
			<PaneFrame title={`4 etcd${TITLE}`} width={60} height={4} isFocused={false} badge={{text: `✗ ${CLEAR}`}}>
				<Line>{['a ', <Fragment key="b">{`b${TITLE}`}</Fragment>]}</Line>
			</PaneFrame>,
		);
		assertNoControls(framed);
		assert.ok(framed.includes('4 etcd\\x1b]0;x\\x07'), framed);
		assert.ok(framed.includes('✗ \\x1b[2J'), framed);
		assert.ok(framed.includes('a b\\x1b]0;x\\x07'), framed);
	});

	it('no component draws text past the boundary: only line.tsx and pane-frame.tsx use Ink\'s Text', () => {
		const dir = path.resolve('components');
		const files = fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(file => /\.tsx?$/.test(file));
		const users = files.filter(file => /import \{[^}]*\bText\b[^}]*\} from 'ink'/.test(fs.readFileSync(path.join(dir, file), 'utf8')));
		assert.deepEqual(users.sort(), ['line.tsx', 'pane-frame.tsx']);
		for (const file of ['line.tsx', 'pane-frame.tsx']) {
			const text = fs.readFileSync(path.join(dir, file), 'utf8');
			assert.match(text, /visible(Node)?\(/, `${file} escapes what it draws`);
		}
	});
});
