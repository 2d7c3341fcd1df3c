// Flag values, checked before anything connects: each refusal names the flag and shows the value as typed.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ConfigError} from '../../source/config-error.js';
import {checkFlagValues} from '../../source/flag-values.js';

function refusal(flags: Record<string, unknown>): string {
	try {
		checkFlagValues(flags);
	} catch (error) {
		assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
		return error.message;
	}
	assert.fail(`accepted ${JSON.stringify(flags)}`);
}

describe('checkFlagValues', () => {
	it('intervals from 0.1 s to 1 h: no 1 ms poll, no timer so long Node makes it 1 ms', () => {
		assert.equal(refusal({interval: '0.001'}), '--interval: expected seconds from 0.1 to 3600, got "0.001"');
		assert.equal(refusal({interval: '99999999'}), '--interval: expected seconds from 0.1 to 3600, got "99999999"');
		assert.equal(refusal({interval: 'abc'}), '--interval: expected seconds from 0.1 to 3600, got "abc"');
		assert.equal(refusal({interval: '1s'}), '--interval: expected seconds from 0.1 to 3600, got "1s"');
		assert.equal(refusal({interval: 'Infinity'}), '--interval: expected seconds from 0.1 to 3600, got "Infinity"');
		assert.equal(refusal({interval: '0x10'}), '--interval: expected seconds from 0.1 to 3600, got "0x10"');
		assert.equal(refusal({calmInterval: '-1'}), '--calm-interval: expected seconds from 0.1 to 3600, got "-1"');
		assert.equal(refusal({calmInterval: '3601'}), '--calm-interval: expected seconds from 0.1 to 3600, got "3601"');
		assert.deepEqual(checkFlagValues({interval: '0.1', calmInterval: '3600'}), {interval: 0.1, calmInterval: 3600});
		assert.deepEqual(checkFlagValues({interval: '.5', calmInterval: '1e3'}), {interval: 0.5, calmInterval: 1000});
	});

	it('--timeout, --lag-bytes, --lag-seconds, --port-offset, --log-max-bytes', () => {
		assert.equal(refusal({timeout: '0'}), '--timeout: expected seconds from 1 to 3600, got "0"');
		assert.equal(refusal({timeout: '-5'}), '--timeout: expected seconds from 1 to 3600, got "-5"');
		assert.equal(refusal({timeout: '1e9'}), '--timeout: expected seconds from 1 to 3600, got "1e9"');
		assert.equal(refusal({lagBytes: '-1'}), '--lag-bytes: expected a whole number of bytes, 0 or more, got "-1"');
		assert.equal(refusal({lagBytes: '1.5'}), '--lag-bytes: expected a whole number of bytes, 0 or more, got "1.5"');
		assert.equal(refusal({lagBytes: 'NaN'}), '--lag-bytes: expected a whole number of bytes, 0 or more, got "NaN"');
		assert.equal(refusal({lagSeconds: '-0.5'}), '--lag-seconds: expected seconds, 0 or more, got "-0.5"');
		assert.equal(refusal({portOffset: '1.5'}), '--port-offset: expected a whole number from -10000 to 40000, got "1.5"');
		assert.equal(refusal({portOffset: '50000'}), '--port-offset: expected a whole number from -10000 to 40000, got "50000"');
		assert.equal(refusal({logMaxBytes: '100'}), '--log-max-bytes: expected a whole number of bytes, at least 4096, got "100"');
		assert.deepEqual(checkFlagValues({timeout: '180', lagBytes: '0', lagSeconds: '0.5', portOffset: '-100'}), {timeout: 180, lagBytes: 0, lagSeconds: 0.5, portOffset: -100});
	});

	it('a string flag given nothing, and choices', () => {
		assert.equal(refusal({scope: ''}), '--scope: expected a value, got nothing');
		assert.equal(refusal({stateDir: ''}), '--state-dir: expected a value, got nothing');
		assert.equal(refusal({etcdApi: 'v3'}), '--etcd-api: expected etcd3 or etcd2, got "v3"');
		assert.equal(refusal({dcs: 'consul'}), '--dcs: expected etcd3 or etcd2, got "consul"');
	});

	it('endpoints: host:port with a port from 1 to 65535, URLs http(s) with a host', () => {
		assert.equal(refusal({etcd: '127.0.0.1:0'}), '--etcd: expected host:port or http(s)://host:port, got "127.0.0.1:0"');
		assert.equal(refusal({etcd: '127.0.0.1:65536'}), '--etcd: expected host:port or http(s)://host:port, got "127.0.0.1:65536"');
		assert.equal(refusal({etcd: 'http://127.0.0.1:0'}), '--etcd: expected host:port or http(s)://host:port, got "http://127.0.0.1:0"');
		assert.equal(refusal({haproxyPrimary: '127.0.0.1:99999'}), '--haproxy-primary: expected host:port, got "127.0.0.1:99999"');
		assert.equal(refusal({haproxyPrimary: ':15000'}), '--haproxy-primary: expected host:port, got ":15000"');
		assert.equal(refusal({rest: 'http://127.0.0.1:70000'}), '--rest: expected http(s)://host:port, got "http://127.0.0.1:70000"');
		assert.equal(refusal({rest: 'http://127.0.0.1:0'}), '--rest: expected http(s)://host:port, got "http://127.0.0.1:0"');
		assert.equal(refusal({rest: 'http://'}), '--rest: expected http(s)://host:port, got "http://"');
		assert.equal(refusal({haproxyStats: 'http://127.0.0.1:0/;csv'}), '--haproxy-stats: expected an http(s):// URL such as http://127.0.0.1:7000/;csv, got "http://127.0.0.1:0/;csv"');
		assert.equal(refusal({haproxyStats: 'file:///etc/passwd'}), '--haproxy-stats: expected an http(s):// URL such as http://127.0.0.1:7000/;csv, got "file:///etc/passwd"');
		assert.deepEqual(checkFlagValues({etcd: '127.0.0.1:2379', rest: 'https://pg1:8008', haproxyStats: 'http://127.0.0.1:7000/;csv', haproxyPrimary: '127.0.0.1:5000'}), {});
	});
});
