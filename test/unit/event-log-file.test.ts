import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {ConfigError} from '../../source/config-error.js';
import {eventLogAppender, logMaxBytes} from '../../source/event-log-file.js';
import type {LogEvent} from '../../source/model/events.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-log-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

function event(index: number, text = `event ${index} ${'x'.repeat(60)}`): LogEvent {
	return {at: Date.UTC(2026, 0, 1, 0, 0, index), severity: 'info', text};
}

describe('the event log file', () => {
	it('rotates before a write would pass the limit, keeps three old files and removes nothing else', () => {
		const home = fs.mkdtempSync(path.join(dir, 'rotate-'));
		const file = path.join(home, 'events.log');
		// What must survive: an unrelated file, another log, and an events.log.4 (a run kept more once).
		for (const other of ['notes.txt', 'events.log.4', 'other.log']) fs.writeFileSync(path.join(home, other), other);
		const append = eventLogAppender(file, message => assert.fail(message), {scope: 'prod', maxBytes: 4096});
		for (let index = 0; index < 400; index++) append([event(index)]);
		const names = fs.readdirSync(home).sort();
		assert.deepEqual(names, ['events.log', 'events.log.1', 'events.log.2', 'events.log.3', 'events.log.4', 'notes.txt', 'other.log']);
		for (const other of ['notes.txt', 'events.log.4', 'other.log']) assert.equal(fs.readFileSync(path.join(home, other), 'utf8'), other);
		for (const name of ['events.log', 'events.log.1', 'events.log.2', 'events.log.3']) {
			assert.ok(fs.statSync(path.join(home, name)).size <= 4096, `${name} within the limit`);
		}
		// Newest last in events.log, the one before it in .1, and nothing lost between them.
		const last = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
		const previous = fs.readFileSync(`${file}.1`, 'utf8').trimEnd().split('\n');
		assert.match(last.at(-1)!, /event 399 /);
		assert.equal(Number(/event (\d+)/.exec(previous.at(-1)!)![1]) + 1, Number(/event (\d+)/.exec(last[0]!)![1]));
	});

	it('escapes control characters and escape sequences from the cluster', () => {
		const file = path.join(dir, 'escaped.log');
		eventLogAppender(file, message => assert.fail(message), {scope: 'prod\u001b[2J'})([event(1, 'tag \u001b]0;x\u0007\u001b[2J\rnode\u009b')]);
		const text = fs.readFileSync(file, 'utf8');
		assert.ok(text.includes('tag \\x1b]0;x\\x07\\x1b[2J\\rnode\\x9b'), text);
		assert.ok(text.includes('[prod\\x1b[2J] '), 'the scope escaped too');
		assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
	});

	it('names the scope on every line: two monitors on two clusters share one file and stay readable', () => {
		const file = path.join(dir, 'two-clusters.log');
		const billing = eventLogAppender(file, message => assert.fail(message), {scope: 'billing'});
		const orders = eventLogAppender(file, message => assert.fail(message), {scope: 'orders'});
		billing([event(1, 'member joined: node1')]);
		orders([event(2, 'member joined: node1')]);
		billing([event(3, 'leader changed: node1 → node2')]);
		assert.deepEqual(fs.readFileSync(file, 'utf8').trimEnd().split('\n'), [
			'2026-01-01T00:00:01.000Z info     [billing] member joined: node1',
			'2026-01-01T00:00:02.000Z info     [orders] member joined: node1',
			'2026-01-01T00:00:03.000Z info     [billing] leader changed: node1 → node2',
		]);
	});

	it('--log-max-bytes: a whole number of bytes, at least 4096', () => {
		assert.equal(logMaxBytes(undefined), 10 * 1024 * 1024);
		assert.equal(logMaxBytes(65536), 65536);
		for (const bad of [0, -1, 100, 4096.5, Number.NaN]) assert.throws(() => logMaxBytes(bad), ConfigError);
	});
});
