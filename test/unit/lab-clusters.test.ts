// `lab up --standby` and `--clusters N`: the extra clusters' scopes, ports, configs, labels, files and status, and
// how a second `lab up` keeps them or refuses a contradiction.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import type Docker from 'dockerode';
import YAML from 'yaml';
import {createLabContainer} from '../../source/lab/containers.js';
import {clustersFlag} from '../../source/lab/lab-cli.js';
import {extraClusters, extraMemberPorts, labScopes} from '../../source/lab/lab-clusters.js';
import {DEFAULT_PORTS, labConfig} from '../../source/lab/lab-config.js';
import {labEntries, LabRefusal} from '../../source/lab/lab-marker.js';
import {resolveLabConfig, writeLabSettings} from '../../source/lab/lab-settings.js';
import {labStatus} from '../../source/lab/lab-status.js';
import {desiredSpecs} from '../../source/lab/lab.js';
import {labPorts} from '../../source/lab/preflight.js';
import {renderPatroniConfig, renderPatronictlConfig} from '../../source/lab/render.js';

const secrets = {superuserPassword: 's', replicationPassword: 'repl', rewindPassword: 'w', restApiUsername: 'u', restApiPassword: 'p'};
const fleet = labConfig({scope: 'labfleet', stateDir: '/tmp/patroni-tui-unit-fleet', portOffset: 1300, standby: true, clusters: 3});

describe('the extra clusters of a lab', () => {
	it('are a standby <scope>-standby of two members and <scope>-2 … <scope>-N of one each', () => {
		assert.deepEqual(
			extraClusters(fleet).map(cluster => [cluster.scope, cluster.kind, cluster.nodeCount]),
			[['labfleet-standby', 'standby', 2], ['labfleet-2', 'primary', 1], ['labfleet-3', 'primary', 1]],
		);
		assert.deepEqual(labScopes(fleet), ['labfleet', 'labfleet-standby', 'labfleet-2', 'labfleet-3']);
		assert.deepEqual(extraClusters(labConfig({stateDir: '/tmp/x'})), [], 'none without the flags');
		assert.equal(extraClusters(labConfig({scope: 'lab', stateDir: '/tmp/x', standby: true}))[0]?.scope, 'lab-standby');
	});

	it('take ports past the lab members, moved by --port-offset', () => {
		const [standby, second] = extraClusters(fleet);
		assert.deepEqual(extraMemberPorts(fleet, standby!, 1), {postgres: DEFAULT_PORTS.postgresBase + 1311, restApi: DEFAULT_PORTS.restApiBase + 1311});
		assert.deepEqual(extraMemberPorts(fleet, second!, 0), {postgres: DEFAULT_PORTS.postgresBase + 1312, restApi: DEFAULT_PORTS.restApiBase + 1312});
	});

	it("never share a port, within a lab or with the test labs' (offsets 0, 100, 300 … 1100, 1300), at the most clusters", () => {
		const offsets = [0, 100, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1300];
		const seen = new Map<number, string>();
		for (const offset of offsets) {
			const config = labConfig({scope: `l${offset}`, stateDir: '/tmp/x', portOffset: offset, standby: true, clusters: 10});
			for (const use of labPorts(config)) {
				const owner = `${config.scope} ${use.purpose}`;
				assert.equal(seen.get(use.port), undefined, `${use.port}: ${owner} and ${seen.get(use.port)}`);
				seen.set(use.port, owner);
			}
		}
		assert.equal(seen.size, offsets.length * (5 + 2 * (3 + 2 + 9)));
	});

	it("render the standby's Patroni with standby_cluster at the lab's HAProxy primary listener, basebackup only", () => {
		const [standby, second] = extraClusters(fleet);
		const document = YAML.parse(renderPatroniConfig(fleet, secrets, 1, '/usr/lib/postgresql/15/bin', standby));
		assert.equal(document.scope, 'labfleet-standby');
		assert.equal(document.namespace, '/service/');
		assert.equal(document.name, 'node2');
		assert.equal(document.postgresql.listen, `127.0.0.1:${DEFAULT_PORTS.postgresBase + 1311}`);
		assert.equal(document.restapi.connect_address, `127.0.0.1:${DEFAULT_PORTS.restApiBase + 1311}`);
		assert.deepEqual(document.bootstrap.dcs.standby_cluster, {host: '127.0.0.1', port: DEFAULT_PORTS.haproxyPrimary + 1300, create_replica_methods: ['basebackup']});
		assert.deepEqual(document.etcd3.hosts, [`127.0.0.1:${DEFAULT_PORTS.etcdClient + 1300}`], "the lab's etcd");
		// The lab's replication user: the standby leader connects to the lab's leader as it.
		assert.equal(document.postgresql.authentication.replication.username, 'replicator');
		assert.equal(document.postgresql.authentication.replication.password, 'repl');
		const small = YAML.parse(renderPatroniConfig(fleet, secrets, 0, '/bin', second));
		assert.equal(small.scope, 'labfleet-2');
		assert.equal(small.bootstrap.dcs.standby_cluster, undefined);
		const own = YAML.parse(renderPatroniConfig(fleet, secrets, 0, '/bin'));
		assert.equal(own.scope, 'labfleet');
		assert.equal(own.bootstrap.dcs.standby_cluster, undefined);
	});

	it('have a patronictl config each, naming their scope in the same etcd', () => {
		const document = YAML.parse(renderPatronictlConfig(fleet, secrets, 'labfleet-2'));
		assert.equal(document.scope, 'labfleet-2');
		assert.deepEqual(document.etcd3.hosts, [`127.0.0.1:${DEFAULT_PORTS.etcdClient + 1300}`]);
	});

	it("are made with their own scope's label and the lab's state directory, after HAProxy", async () => {
		const specs = desiredSpecs(fleet, 'patroni-tui-lab:1', {});
		assert.deepEqual(
			specs.map(spec => spec.name),
			[
				'patroni-tui-labfleet-etcd',
				'patroni-tui-labfleet-node1',
				'patroni-tui-labfleet-node2',
				'patroni-tui-labfleet-node3',
				'patroni-tui-labfleet-haproxy',
				'patroni-tui-labfleet-standby-node1',
				'patroni-tui-labfleet-standby-node2',
				'patroni-tui-labfleet-2-node1',
				'patroni-tui-labfleet-3-node1',
			],
		);
		let created: Docker.ContainerCreateOptions | undefined;
		const docker = {createContainer: async (options: Docker.ContainerCreateOptions) => ((created = options), {id: 'c0ffee'})} as unknown as Docker;
		await createLabContainer(docker, 'labfleet', specs.find(spec => spec.name === 'patroni-tui-labfleet-standby-node2')!);
		assert.equal(created?.Labels?.['io.patroni-tui.lab'], 'labfleet-standby');
		assert.equal(created?.Labels?.['io.patroni-tui.member'], 'node2');
		assert.equal(created?.Labels?.['io.patroni-tui.state-dir'], '/tmp/patroni-tui-unit-fleet');
		assert.equal(created?.Labels?.['io.patroni-tui.postgres'], `127.0.0.1:${DEFAULT_PORTS.postgresBase + 1311}`);
	});

	it('are in what destroy removes: their member folders and patronictl files', () => {
		const entries = labEntries(fleet);
		for (const name of ['labfleet-standby-node1', 'labfleet-standby-node2', 'labfleet-2-node1', 'labfleet-3-node1', 'patronictl-labfleet-standby.yaml', 'patronictl-labfleet-3.yaml']) {
			assert.ok(entries.includes(name), name);
		}
		assert.ok(!labEntries(labConfig({stateDir: '/tmp/x'})).some(name => name.startsWith('patronictl-')));
	});

	it("are in lab status: scope, members' ports, patronictl config; a lab without them shows neither key", async () => {
		const status = await labStatus(fleet, undefined);
		assert.equal(status.standby?.scope, 'labfleet-standby');
		assert.deepEqual(status.standby?.replicatesFrom, {host: '127.0.0.1', port: DEFAULT_PORTS.haproxyPrimary + 1300});
		assert.equal(status.standby?.patronictlConfig, '/tmp/patroni-tui-unit-fleet/patronictl-labfleet-standby.yaml');
		assert.deepEqual(status.standby?.members.map(member => member.postgres.port), [DEFAULT_PORTS.postgresBase + 1310, DEFAULT_PORTS.postgresBase + 1311]);
		assert.deepEqual(status.clusters?.map(cluster => [cluster.scope, cluster.members[0]?.restApi]), [
			['labfleet-2', `http://127.0.0.1:${DEFAULT_PORTS.restApiBase + 1312}`],
			['labfleet-3', `http://127.0.0.1:${DEFAULT_PORTS.restApiBase + 1313}`],
		]);
		const plain = await labStatus(labConfig({stateDir: '/tmp/x'}), undefined);
		assert.ok(!('standby' in plain) && !('clusters' in plain));
	});
});

describe('--standby and --clusters as flags', () => {
	it('refuse a count out of 1 to 10, as typed', () => {
		assert.equal(clustersFlag('3'), 3);
		assert.equal(clustersFlag(undefined), undefined);
		for (const typed of ['0', '11', 'abc', '1.5', '-2']) assert.throws(() => clustersFlag(typed), new RegExp(`--clusters: expected a whole number from 1 to 10, got "${typed.replace('.', '\\.')}"`));
		assert.throws(() => labConfig({clusters: 11}), /--clusters 11 is out of range/);
	});

	it("with --tls use the lab's CA and files: etcd's root user, REST on https, every libpq connection verify-full", () => {
		const tls = labConfig({scope: 'labfleet', stateDir: '/tmp/patroni-tui-unit-fleet', portOffset: 1300, tls: true, standby: true, clusters: 2});
		const [standby] = extraClusters(tls);
		const withRoot = {...secrets, etcdRootPassword: 'root-secret'};
		const document = YAML.parse(renderPatroniConfig(tls, withRoot, 0, '/bin', standby));
		assert.equal(document.etcd3.protocol, 'https');
		assert.equal(document.etcd3.username, 'root');
		assert.equal(document.restapi.certfile, '/tls/server.crt');
		// The standby's base backup and WAL stream through HAProxy to the lab's leader verify its certificate.
		assert.deepEqual(
			{sslmode: document.postgresql.authentication.replication.sslmode, sslrootcert: document.postgresql.authentication.replication.sslrootcert},
			{sslmode: 'verify-full', sslrootcert: '/tls/ca.crt'},
		);
		assert.ok(document.postgresql.pg_hba.every((line: string) => !line.startsWith('host ')), 'hostssl only');
		const ctl = YAML.parse(renderPatronictlConfig(tls, withRoot, 'labfleet-standby'));
		assert.equal(ctl.scope, 'labfleet-standby');
		assert.equal(ctl.ctl.cacert, '/tmp/patroni-tui-unit-fleet/tls/ca.crt');
		const spec = desiredSpecs(tls, 'patroni-tui-lab:1', {}).find(one => one.name === 'patroni-tui-labfleet-2-node1');
		assert.equal(spec?.tlsDir, '/tmp/patroni-tui-unit-fleet/tls', 'the certificates mounted');
		assert.equal(spec?.endpointLabels?.['io.patroni-tui.rest-api'], `https://127.0.0.1:${DEFAULT_PORTS.restApiBase + 1312}/patroni`);
	});

	it('are kept by a second lab up without them, and a contradiction is refused (exit 2) naming how the lab was made', () => {
		const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-tui-unit-fleet-'));
		try {
			writeLabSettings(labConfig({scope: 'labfleet', stateDir, portOffset: 1300, standby: true, clusters: 3}), 1300);
			const kept = resolveLabConfig({stateDir}, true).config;
			assert.equal(kept.standby, true);
			assert.equal(kept.clusters, 3);
			assert.equal(resolveLabConfig({stateDir, standby: true, clusters: 3}, true).config.clusters, 3);
			assert.throws(() => resolveLabConfig({stateDir, clusters: 2}, true), (error: Error) => error instanceof LabRefusal && /was made with --clusters 3\. Use that, or "lab destroy" it first/.test(error.message));
			writeLabSettings(labConfig({scope: 'plain', stateDir}), 0);
			assert.throws(() => resolveLabConfig({stateDir, standby: true}, true), (error: Error) => error instanceof LabRefusal && /was made with no --standby/.test(error.message));
			// down, status and destroy find the lab as it was made, whatever the flags.
			assert.equal(resolveLabConfig({stateDir, standby: true}).config.standby, false);
		} finally {
			fs.rmSync(stateDir, {recursive: true, force: true});
		}
	});
});
