import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {patroniRefusal, sameSetting, settingDiff} from '../../source/operations/parameter-plan.js';
import {checkParameter, findSetting, searchSettings, validateParameter, type ParameterCheck, type PgSetting} from '../../source/operations/pg-settings.js';

/** pg_settings as the lab's PostgreSQL 15 leader returned it. */
const settings = JSON.parse(fs.readFileSync('test/fixtures/pg-settings-15.json', 'utf8')) as PgSetting[];

function accepted(name: string, raw: string): ParameterCheck & {isValid: true} {
	const check = checkParameter(settings, name, raw);
	assert.ok(check.isValid, `${name} = ${raw}: ${check.isValid ? '' : check.reason}`);
	return check;
}

function refused(name: string, raw: string): string {
	const check = checkParameter(settings, name, raw);
	assert.equal(check.isValid, false, `${name} = ${raw} should be refused`);
	return check.isValid ? '' : check.reason;
}

describe('validateParameter on pg_settings from PostgreSQL 15', () => {
	it('accepts integers in range and keeps a bare number a number', () => {
		assert.deepEqual(accepted('max_connections', '120'), {isValid: true, name: 'max_connections', value: 120, setting: 120});
		assert.equal(accepted('MAX_CONNECTIONS', ' 100 ').name, 'max_connections', 'names are case-insensitive');
		assert.equal(accepted('max_connections', '0x10').setting, 16, 'hex, as strtol reads it');
		assert.equal(accepted('max_connections', '1e2').setting, 100);
		assert.equal(accepted('max_connections', '100.5').setting, 100, 'rounded half to even, like rint()');
	});

	it('refuses a wrong type with a sentence naming the parameter and the value', () => {
		assert.equal(refused('max_connections', 'abc'), 'max_connections takes an integer, not "abc".');
		assert.match(refused('max_connections', '12 connections'), /plain number without a unit/);
		assert.match(refused('checkpoint_completion_target', 'half'), /takes a number, not "half"/);
		assert.match(refused('max_connections', ''), /needs a value/);
	});

	it('refuses out of range, saying the range', () => {
		assert.equal(refused('max_connections', '300000'), 'max_connections must be between 1 and 262143: "300000" is out of range.');
		assert.match(refused('max_connections', '0'), /between 1 and 262143/);
		assert.match(refused('checkpoint_completion_target', '1.5'), /between 0 and 1/);
		assert.match(refused('max_connections', '99999999999'), /32-bit integer/);
	});

	it('converts memory units to the base unit (8kB blocks, kB, MB) before the range check', () => {
		assert.equal(accepted('shared_buffers', '64MB').setting, 8192, '64MB in 8kB pages');
		assert.equal(accepted('shared_buffers', '64 MB').setting, 8192, 'a space before the unit is allowed');
		assert.equal(accepted('shared_buffers', '64MB').value, '64MB', 'a value with a unit is sent as typed');
		assert.equal(accepted('shared_buffers', '1GB').setting, 131072);
		assert.equal(accepted('work_mem', '4MB').setting, 4096);
		assert.equal(accepted('work_mem', '1.5MB').setting, 1536);
		assert.equal(accepted('wal_keep_size', '1GB').setting, 1024, 'unit MB');
		assert.equal(accepted('shared_buffers', '8192').setting, 8192, 'a bare number is in the base unit');
		assert.match(refused('shared_buffers', '100kB'), /shared_buffers must be between 128kB and .*: "100kB" is out of range/);
		assert.match(refused('work_mem', '32kB'), /work_mem must be between 64kB and/);
		assert.match(refused('shared_buffers', '64mb'), /memory units TB, GB, MB, kB, B \(case matters\), not "mb"/);
		assert.match(refused('shared_buffers', '64s'), /memory units/);
	});

	it('converts time units (s, ms, min) and keeps -1 for "disabled"', () => {
		assert.equal(accepted('statement_timeout', '30s').setting, 30_000, 'unit ms');
		assert.equal(accepted('statement_timeout', '1min').setting, 60_000);
		assert.equal(accepted('statement_timeout', '1500').setting, 1500);
		assert.equal(accepted('autovacuum_naptime', '2min').setting, 120, 'unit s');
		assert.equal(accepted('autovacuum_naptime', '1500ms').setting, 2, 'rounded to whole seconds');
		assert.equal(accepted('log_min_duration_statement', '-1').setting, -1);
		assert.equal(accepted('vacuum_cost_delay', '2.5ms').setting, 2.5, 'a real with a time unit');
		assert.match(refused('autovacuum_naptime', '0s'), /autovacuum_naptime must be between 1s and/);
		assert.match(refused('vacuum_cost_delay', '1s'), /between 0 and 100ms/);
		assert.match(refused('statement_timeout', '5 sec'), /time units d, h, min, s, ms, us/);
	});

	it('accepts enum values case-insensitively and PostgreSQL\'s hidden spellings', () => {
		assert.equal(accepted('wal_level', 'LOGICAL').value, 'logical');
		assert.equal(accepted('wal_level', 'hot_standby').value, 'replica');
		assert.equal(accepted('synchronous_commit', 'true').value, 'on');
		assert.equal(refused('wal_level', 'maximal'), 'wal_level must be one of minimal, replica, logical; "maximal" is not.');
		assert.match(refused('log_statement', 'yes'), /one of none, ddl, mod, all/, 'no boolean spellings where on/off are not values');
	});

	it('accepts the boolean spellings PostgreSQL accepts, and only those', () => {
		for (const raw of ['on', 'ON', 'true', 't', 'yes', 'y', '1']) assert.equal(accepted('track_commit_timestamp', raw).value, 'on', raw);
		for (const raw of ['off', 'of', 'false', 'f', 'no', 'n', '0']) assert.equal(accepted('track_commit_timestamp', raw).value, 'off', raw);
		for (const raw of ['o', 'enabled', '2', 'yess']) assert.match(refused('track_commit_timestamp', raw), /is a boolean: use on or off/, raw);
	});

	it('refuses unknown and internal parameters', () => {
		assert.equal(refused('max_connectionz', '100'), '"max_connectionz" is not a PostgreSQL parameter this server knows.');
		assert.match(refused('pg_stat_statements.max', '1000'), /once the extension is loaded/);
		assert.match(refused('block_size', '16384'), /block_size is fixed .* cannot be set/);
		assert.equal(validateParameter(undefined, '1', 'nope').isValid, false);
	});

	it('takes any text for a string parameter', () => {
		assert.deepEqual(accepted('application_name', 'probe'), {isValid: true, name: 'application_name', value: 'probe', setting: 'probe'});
	});
});

describe('searchSettings for the picker', () => {
	const names = (query: string) => searchSettings(settings, query).map(setting => setting.name);

	it('puts the exact name first, then names starting with the query', () => {
		const found = names('max_connections');
		assert.equal(found[0], 'max_connections');
		assert.ok(found.includes('superuser_reserved_connections') === false, 'the whole query must match');
		assert.equal(names('shared_buf')[0], 'shared_buffers');
		assert.equal(names('wal_')[0], 'wal_buffers', 'prefix matches sorted by name; wal_block_size is internal');
	});

	it('matches every word in the name or the description', () => {
		assert.ok(names('max conn').includes('max_connections'));
		assert.ok(names('time between automatic checkpoints').includes('checkpoint_timeout'));
		assert.ok(names('MEMORY query').includes('work_mem'), 'case-insensitive, description words count');
		assert.deepEqual(names('no such thing anywhere'), []);
	});

	it('lists everything that can be set, sorted by name, for an empty query', () => {
		const all = names('');
		assert.equal(all.length, settings.filter(setting => setting.context !== 'internal').length);
		assert.ok(!all.includes('block_size'));
		assert.deepEqual(all, [...all].sort((a, b) => a.localeCompare(b)));
		assert.equal(findSetting(settings, 'Work_Mem')?.unit, 'kB');
	});
});

describe('what Patroni would do with a value, and the diff shown before sending', () => {
	const setting = (name: string) => findSetting(settings, name)!;

	it('refuses what Patroni sets itself or would silently drop', () => {
		assert.match(patroniRefusal(setting('port'), 5433) ?? '', /Patroni sets port itself/);
		assert.match(patroniRefusal(setting('max_connections'), 20) ?? '', /below 25/);
		assert.match(patroniRefusal(setting('wal_keep_size'), 8) ?? '', /below 16MB/);
		assert.match(patroniRefusal(setting('wal_level'), 'minimal') ?? '', /replica or logical/);
		assert.equal(patroniRefusal(setting('max_connections'), 120), undefined);
	});

	it('shows the DCS change diff-style with what runs and whether a restart is needed', () => {
		assert.equal(
			settingDiff({key: 'shared_buffers', before: '32MB', after: '64MB', needsRestart: true, setting: setting('shared_buffers')}),
			['postgresql:', '  parameters:', '-   shared_buffers: "32MB"', '+   shared_buffers: "64MB"', '# running on the leader: 32MB', '# takes effect after a restart of every member (context postmaster)'].join('\n'),
		);
		const added = settingDiff({key: 'work_mem', before: undefined, after: '8MB', needsRestart: false, setting: setting('work_mem')});
		assert.match(added, /^\+   work_mem: "8MB"$/m);
		assert.doesNotMatch(added, /^-/m);
		assert.match(added, /running on the leader: 4MB \(not set in the DCS config\)\n# applied by a reload \(context user\)/);
		assert.equal(sameSetting(8192, '8192'), true);
		assert.equal(sameSetting('On', 'on'), true);
	});
});
