// Docker is optional: asked for (--docker-socket, DOCKER_HOST) it is watched and its failure is an alert; asked
// for by nobody and with no socket at the default path, it is off, said why, and the cluster is healthy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, it} from 'node:test';
import {isFailing, sourceBadge, sourceNotice} from '../../components/source-health.js';
import {helpLines} from '../../components/help-overlay.js';
import {chooseDocker} from '../../source/docker-choice.js';
import {buildSources, offReasons} from '../../source/monitor-sources.js';
import {buildSnapshot} from '../../source/model/snapshot.js';
import {emptySourceStates, type SourceStates} from '../../source/model/source-state.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';

const recorded = JSON.parse(fs.readFileSync('test/fixtures/source-states-healthy-3.0.2.json', 'utf8')) as {states: SourceStates};
const NOW = recorded.states.rest.updatedAt! + 500;
const REASON = 'no engine socket at /var/run/docker.sock, and none asked for (--docker-socket, DOCKER_HOST)';
const noSocket = () => false;

describe('Docker is optional', () => {
	it('is off when nothing asks for it and the default socket is not there, and says why', () => {
		assert.deepEqual(chooseDocker(undefined, {}, noSocket), {offReason: REASON});
		assert.deepEqual(chooseDocker(undefined, {}, path => path === '/var/run/docker.sock'), {socketPath: '/var/run/docker.sock'});
	});

	it('is on when asked for, whether or not the socket is there: a flag, then DOCKER_HOST', () => {
		assert.deepEqual(chooseDocker('/nowhere/docker.sock', {DOCKER_HOST: 'unix:///other.sock'}, noSocket), {socketPath: '/nowhere/docker.sock'});
		assert.deepEqual(chooseDocker(undefined, {DOCKER_HOST: 'unix:///run/user/1000/docker.sock'}, noSocket), {socketPath: '/run/user/1000/docker.sock'});
		assert.deepEqual(chooseDocker(undefined, {DOCKER_HOST: ''}, noSocket), {offReason: REASON}, 'an empty DOCKER_HOST asks for nothing');
	});

	it('off: no Docker source is built, and the reason goes to the monitor', () => {
		const config = resolveMonitorConfig({scope: 's', etcd: '127.0.0.1:1'}, {}, noSocket);
		assert.equal(config.dockerSocket, undefined);
		assert.equal(config.dockerOffReason, REASON);
		const sources = buildSources(config, () => undefined);
		assert.equal(sources.docker, undefined);
		assert.deepEqual(offReasons(config), {haproxy: 'no --haproxy-stats or --haproxy-socket given', docker: REASON});
		const asked = resolveMonitorConfig({scope: 's', etcd: '127.0.0.1:1', dockerSocket: '/nowhere.sock'}, {}, noSocket);
		assert.equal(asked.dockerSocket, '/nowhere.sock');
		assert.ok(buildSources(asked, () => undefined).docker, 'asked for: the source runs, and its failure will be an alert');
	});

	it('off: the recorded healthy lab stays healthy, with no alert; the snapshot (and --json) says Docker is off and why', () => {
		const states = {...structuredClone(recorded.states), docker: emptySourceStates({docker: false}, {docker: REASON}).docker};
		const snapshot = buildSnapshot(states, {scope: 'labtest', now: NOW});
		assert.equal(snapshot.state, 'healthy');
		assert.deepEqual(snapshot.alerts, []);
		assert.deepEqual(snapshot.sources.docker, {name: 'docker', isEnabled: false, offReason: REASON, isStale: false});
		assert.equal(snapshot.members.find(member => member.name === 'node1')?.container, undefined);
		assert.equal(JSON.parse(JSON.stringify(snapshot)).sources.docker.offReason, REASON);
	});

	it('asked for and failing: an alert, as before', () => {
		const failing = {...structuredClone(recorded.states), docker: {isEnabled: true, error: 'connect ENOENT /nowhere.sock', errorAt: NOW}};
		const snapshot = buildSnapshot(failing, {scope: 'labtest', now: NOW});
		assert.notEqual(snapshot.state, 'healthy');
		assert.ok(snapshot.alerts.some(alert => /docker/i.test(alert.message)), snapshot.alerts.map(alert => alert.message).join('; '));
	});

	it('is drawn as "Docker off" in the sources line; the help and the pane notice give the reason', () => {
		const health = {name: 'docker', isEnabled: false, offReason: REASON, isStale: false} as const;
		assert.deepEqual(sourceBadge(health), {text: 'Docker off', tone: 'muted'});
		assert.equal(isFailing(health), false);
		assert.equal(sourceNotice(health)?.text, `Docker is switched off: ${REASON}`);
		const sources = buildSnapshot({...recorded.states, docker: {isEnabled: false, offReason: REASON}}, {scope: 'labtest', now: NOW}).sources;
		const help = helpLines(false, sources).map(line => line.text);
		assert.deepEqual(help.slice(-2), ['Sources', `  Docker off: ${REASON}`]);
	});
});
