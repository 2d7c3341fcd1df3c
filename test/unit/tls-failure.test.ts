import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {tlsFailureText, type TlsFailureContext} from '../../source/clients/tls-failure.js';
import type {RecordedCase} from './tls-failure-record.test.js';

// The errors Node, grpc-js and etcd 3.4 really gave (recorded by tls-failure-record.test.ts from real servers on
// loopback), each with the sentence it must become. undefined: no TLS or authentication failure, or one the
// library hid ("Last error: null"), which the etcd client's probe then finds (the "probe:" cases).
const cases = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/tls-errors.json'), 'utf8')) as RecordedCase[];

const EXPECTED: Record<string, string | undefined> = {
	'https: expired': "the server's certificate has expired",
	'https: not yet valid': "the server's certificate is not valid yet",
	'https: for another name': "the server's certificate is for elsewhere.invalid, not 127.0.0.1",
	'https: self-signed': "the server's certificate is self-signed, not signed by the CA in <certs>/ca.crt",
	"https: a CA's own certificate": "the server's certificate is not one for a server (unsuitable certificate purpose: a CA's own, or a client certificate?)",
	'https: signed by another CA': "the server's certificate is not signed by the CA in <certs>/other-ca.crt",
	"https: no CA file, Node's store": "the server's certificate is not signed by any CA Node trusts",
	'https: key of another certificate': 'the client key <certs>/foreign-client.key does not belong to the client certificate <certs>/client.crt',
	'https: encrypted key, no password': 'the client key <certs>/client-encrypted.key is encrypted and no password for it is configured',
	'https: encrypted key, wrong password': 'the client key <certs>/client-encrypted.key is encrypted and the configured password does not open it',
	// Node's TLS server just hangs up on plain text: nothing says it was TLS.
	'http to a TLS server': undefined,
	'https: Node wants a client certificate': 'the server wants a client certificate and none was sent',
	'https to a plain http server': 'https was used but the server answers plain http',
	'nothing listening': undefined,
	'grpc: expired': "etcd's certificate has expired",
	'grpc with a user: expired': undefined,
	'probe: expired': "etcd's certificate has expired (not after 2020-02-01)",
	'grpc: for another name': "etcd's certificate is not for 127.0.0.1",
	'grpc with a user: for another name': undefined,
	'probe: for another name': "etcd's certificate is for elsewhere.invalid, not 127.0.0.1",
	'grpc: signed by another CA': "etcd's certificate is not signed by the CA in <certs>/other-ca.crt",
	'grpc: etcd wants a client certificate': 'etcd wants a client certificate and none was sent',
	// Go says "bad certificate" whatever the reason: the likely ones are named, and our certificate's dates when out.
	'grpc: etcd refuses a client certificate of another CA': 'etcd refused our client certificate <certs>/foreign-client.crt (not signed by a CA it trusts, or not one for a client)',
	'grpc: etcd refuses an expired client certificate': 'etcd refused our client certificate <certs>/expired.crt: it has expired (not after 2020-02-01)',
	"grpc: https to etcd's plain port": 'etcd closed the connection before TLS was set up (does it speak TLS on this port?)',
	"probe: https to etcd's plain port": 'https was used but etcd answers plain http',
	"grpc: http to etcd's TLS port": undefined,
	"probe: http to etcd's TLS port": 'etcd speaks TLS but the endpoint says http',
	'grpc: wrong password': 'etcd refused the user root: wrong password or no such user (authentication failed)',
	'grpc: no user, auth on': 'etcd has authentication on: a user is needed',
	'grpc: nothing listening': undefined,
};

function contextOf(recorded: RecordedCase): TlsFailureContext {
	const {settings} = recorded;
	const peer = recorded.via.startsWith('node:') ? 'the server' : 'etcd';
	return {peer, scheme: settings.scheme, caFile: settings.ca, certFile: settings.cert, keyFile: settings.key, hasKeyPassword: settings.keyPassword === 'given', username: settings.user, clientCertOutOfDate: settings.certOutOfDate};
}

describe('tlsFailureText on recorded errors', () => {
	it('has an expectation for every recorded case, and a case for every expectation', () => {
		assert.deepEqual(cases.map(recorded => recorded.name).sort(), Object.keys(EXPECTED).sort());
	});

	for (const recorded of cases) {
		it(`${recorded.name} (${recorded.via})`, () => {
			assert.equal(tlsFailureText(recorded.error, contextOf(recorded)), EXPECTED[recorded.name]);
		});
	}

	it('a sentence holds paths and the user name, never a key or a password', () => {
		const texts = cases.map(recorded => tlsFailureText(recorded.error, {...contextOf(recorded), username: 'root'}) ?? '').join('\n');
		assert.doesNotMatch(texts, /PRIVATE KEY|password:|record-key-pw|throwaway-record-pw/);
	});
});

describe('tlsFailureText on what no recording here has', () => {
	const etcd: TlsFailureContext = {peer: 'etcd', scheme: 'http', username: 'root'};

	it("names etcd v2's 401 body and v3's other refusals", () => {
		assert.equal(tlsFailureText({errorCode: 110, message: 'The request requires user authentication', cause: 'Insufficient credentials'}, {...etcd, username: undefined}), 'etcd has authentication on: a user is needed');
		assert.equal(tlsFailureText(new Error('9 FAILED_PRECONDITION: etcdserver: authentication is not enabled'), etcd), 'etcd has authentication off, yet the user root is configured');
		assert.equal(tlsFailureText(new Error('7 PERMISSION_DENIED: etcdserver: permission denied'), etcd), 'the user root may not read this in etcd (permission denied)');
	});

	it('finds a reason in a cause or among an AggregateError\'s errors, and a date on the certificate', () => {
		const expired = Object.assign(new Error('certificate has expired'), {code: 'CERT_HAS_EXPIRED', cert: {valid_to: 'Feb  1 00:00:00 2020 GMT'}});
		assert.equal(tlsFailureText(new Error('etcd range failed', {cause: expired}), etcd), "etcd's certificate has expired (not after 2020-02-01)");
		assert.equal(tlsFailureText(new AggregateError([new Error('connect ECONNREFUSED'), expired]), etcd), "etcd's certificate has expired (not after 2020-02-01)");
	});

	it('leaves a bare reset to the probe: under load grpc-js says "read ECONNRESET" for https to a plain port', () => {
		assert.equal(tlsFailureText(new Error('14 UNAVAILABLE: No connection established. Last error: Error: read ECONNRESET. Resolution note: '), {...etcd, scheme: 'https'}), undefined);
	});

	it('says nothing for a timeout or a refused connection', () => {
		assert.equal(tlsFailureText(new Error('no answer within 2000 ms'), etcd), undefined);
		assert.equal(tlsFailureText(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2379'), {code: 'ECONNREFUSED'}), etcd), undefined);
		assert.equal(tlsFailureText(undefined, etcd), undefined);
	});
});
