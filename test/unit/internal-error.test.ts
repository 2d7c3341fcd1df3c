// A defect reaching the CLI's top: one line for the terminal, the stack in internal-errors.log beside the event log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {EventEmitter} from 'node:events';
import {catchStrayErrors, internalErrorsFile, reportInternalError} from '../../source/internal-error.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-internal-error-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('reportInternalError', () => {
	it('says one line, and writes the stack next to the event log', () => {
		const logFile = path.join(dir, 'state', 'events.log');
		const error = new TypeError("Cannot read properties of undefined (reading 'name')");
		const line = reportInternalError(error, logFile, new Date('2026-12-07T12:00:00Z'));
		const file = path.join(dir, 'state', 'internal-errors.log');
		assert.equal(internalErrorsFile(logFile), file);
		assert.equal(line, `patroni-tui: internal error: Cannot read properties of undefined (reading 'name') (details in ${file})`);
		assert.ok(!line.includes('\n') && !line.includes('    at '));
		const written = fs.readFileSync(file, 'utf8');
		assert.match(written, /^2026-12-07T12:00:00\.000Z internal error \(node v\d+/);
		assert.ok(written.includes(error.stack!), 'the whole stack');
		assert.equal(fs.statSync(file).mode & 0o777, 0o600);
		reportInternalError(new Error('second'), logFile);
		assert.match(fs.readFileSync(file, 'utf8'), /reading 'name'[\s\S]*Error: second/, 'appended, the first kept');
	});

	it('keeps to the first line of the message, escapes control characters, takes what is not an Error', () => {
		const logFile = path.join(dir, 'events.log');
		assert.match(reportInternalError(new Error('first\nsecond'), logFile), /^patroni-tui: internal error: first \(details/);
		assert.match(reportInternalError(new Error('tag \x1b]0;x\x07'), logFile), /internal error: tag \\x1b\]0;x\\x07 \(details/);
		assert.match(reportInternalError('a thrown string', logFile), /internal error: a thrown string \(details/);
	});

	it('still says one line when the details cannot be written', () => {
		const blocked = path.join(dir, 'blocked');
		fs.writeFileSync(blocked, 'a file where the folder would be');
		const line = reportInternalError(new Error('boom'), path.join(blocked, 'events.log'));
		assert.match(line, /^patroni-tui: internal error: boom \(its details could not be written to .*internal-errors\.log: (ENOTDIR|EEXIST)\)$/);
	});

	it('catches a throw or a rejection outside main(): terminal given back, one line, the stack written, exit 1', () => {
		for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
			const logFile = path.join(dir, event, 'events.log');
			const said: string[] = [];
			const calls: string[] = [];
			const fake = Object.assign(new EventEmitter(), {
				stderr: {write: (text: string) => said.push(text)},
				exit: (code?: number) => calls.push(`exit ${code}`),
			});
			catchStrayErrors(() => logFile, () => calls.push('restore'), fake as never);
			fake.emit(event, new Error(`stray ${event}`));
			assert.deepEqual(calls, ['restore', 'exit 1']);
			assert.equal(said.length, 1);
			assert.match(said[0]!, new RegExp(`^patroni-tui: internal error: stray ${event} \\(details in .*internal-errors\\.log\\)\\n$`));
			assert.match(fs.readFileSync(internalErrorsFile(logFile), 'utf8'), new RegExp(`Error: stray ${event}\\n\\s+at `));
		}
	});
});
