import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {httpRequest, jsonOrText} from '../../source/clients/http.js';

// A real HTTP/1.0-style server on loopback that answers as Patroni does (one answer per connection), to check
// the client's side of the protocol: statuses, bodies, auth, deadlines. Patroni's own answers are in test/lab.
describe('httpRequest', () => {
	let server: http.Server;
	let base: string;
	const seen: Array<{method?: string; url?: string; authorization?: string; body: string}> = [];

	before(async () => {
		server = http.createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString()));
			request.on('end', () => {
				seen.push({method: request.method, url: request.url, authorization: request.headers.authorization, body});
				if (request.url === '/slow') return; // never answers
				if (request.url === '/moved') {
					// Anywhere but here: the same server's /followed stands for it, so a followed redirect is seen.
					response.writeHead(307, {location: `${base}/followed`, connection: 'close'});
					return response.end();
				}
				if (request.url === '/refuse') {
					response.writeHead(412, 'Precondition Failed', {connection: 'close'});
					return response.end('restart conditions are not satisfied');
				}
				response.writeHead(503, {'content-type': 'application/json', connection: 'close'});
				response.end(JSON.stringify({state: 'running', role: 'replica'}));
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	after(() => {
		server.closeAllConnections();
		server.close();
	});

	it('returns every status as an answer, with its text', async () => {
		const answer = await httpRequest({url: `${base}/patroni`, timeoutMs: 2000});
		assert.equal(answer.status, 503);
		assert.deepEqual(jsonOrText(answer.text), {state: 'running', role: 'replica'});
		const refused = await httpRequest({url: `${base}/refuse`, method: 'POST', body: {}, timeoutMs: 2000});
		assert.equal(refused.status, 412);
		assert.equal(refused.statusText, 'Precondition Failed');
		assert.equal(jsonOrText(refused.text), 'restart conditions are not satisfied');
	});

	it('sends a JSON body and basic auth', async () => {
		await httpRequest({url: `${base}/switchover`, method: 'POST', body: {leader: 'node1', candidate: 'node2'}, credentials: {username: 'admin', password: 's3cret'}, timeoutMs: 2000});
		const last = seen.at(-1)!;
		assert.equal(last.method, 'POST');
		assert.deepEqual(JSON.parse(last.body), {leader: 'node1', candidate: 'node2'});
		assert.equal(last.authorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
	});

	it('answers a redirect as it is, without following it and without sending the credentials on', async () => {
		const answer = await httpRequest({url: `${base}/moved`, method: 'POST', body: {}, credentials: {username: 'admin', password: 's3cret'}, timeoutMs: 2000});
		assert.equal(answer.status, 307);
		assert.ok(!seen.some(request => request.url === '/followed'), 'the redirect was followed');
	});

	it('gives up at its deadline, and at once when aborted', async () => {
		const started = performance.now();
		await assert.rejects(httpRequest({url: `${base}/slow`, timeoutMs: 200}), /no answer within 200 ms/);
		assert.ok(performance.now() - started < 1000);
		const controller = new AbortController();
		const pending = httpRequest({url: `${base}/slow`, timeoutMs: 5000, signal: controller.signal});
		setTimeout(() => controller.abort(), 50);
		await assert.rejects(pending, /aborted/);
	});

	it("says what Node says when nothing listens, and never the password", async () => {
		const closed = http.createServer();
		await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
		const {port} = closed.address() as AddressInfo;
		closed.close();
		await assert.rejects(
			httpRequest({url: `http://127.0.0.1:${port}/patroni`, credentials: {username: 'admin', password: 's3cret'}, timeoutMs: 2000}),
			(error: Error) => error.message === `connect ECONNREFUSED 127.0.0.1:${port}` && !error.message.includes('s3cret'),
		);
	});
});

describe('jsonOrText', () => {
	it('parses JSON and keeps anything else as written', () => {
		assert.deepEqual(jsonOrText('[[1, 50331808, "no recovery target specified"]]'), [[1, 50_331_808, 'no recovery target specified']]);
		assert.equal(jsonOrText('Successfully switched over to "node2"'), 'Successfully switched over to "node2"');
		assert.equal(jsonOrText('{not json'), '{not json');
	});
});
