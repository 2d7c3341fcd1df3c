/**
 * A TLS lab's patronictl.yaml made wrong in one way a user gets it wrong (a wrong etcd password, a client
 * certificate another CA signed, an expired one, a CA that did not sign the servers), and the monitor started on
 * it: what each source says while the monitor keeps running. The yaml is edited as text, section by section, so a
 * case changes only the lines it names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {SourceName} from '../../source/model/snapshot-types.js';
import type {Monitor} from '../../source/monitor.js';
import {resolveMonitorConfig} from '../../source/resolve-config.js';
import {createMonitor} from '../../source/run-monitor.js';
import {waitFor} from './lab.js';
import {makeExpiredCertBy, makeTestCerts} from './test-certs.js';

export type BrokenYaml = {readonly name: string; readonly file: string; readonly failing: readonly SourceName[]};

/** Replaces `key: …` inside one top-level section of the yaml (its indented lines only). */
export function replaceInSection(yaml: string, section: string, key: string, value: string): string {
	const lines = yaml.split('\n');
	const start = lines.findIndex(line => line === `${section}:`);
	if (start < 0) throw new Error(`no ${section}: section`);
	let index = start + 1;
	let isReplaced = false;
	for (; index < lines.length && /^\s/.test(lines[index]!); index++) {
		if (new RegExp(`^  ${key}: `).test(lines[index]!)) [lines[index], isReplaced] = [`  ${key}: ${value}`, true];
	}
	if (!isReplaced) throw new Error(`no ${section}.${key}`);
	return lines.join('\n');
}

/** Four broken copies of the lab's patronictl.yaml in `dir`, each with the sources it should leave failing. */
export async function brokenYamls(patronictlYaml: string, labTlsDir: string, dir: string): Promise<BrokenYaml[]> {
	const yaml = fs.readFileSync(patronictlYaml, 'utf8');
	const dcs = /^etcd:$/m.test(yaml) ? 'etcd' : 'etcd3';
	const certs = await makeTestCerts(path.join(dir, 'certs'));
	const expired = await makeExpiredCertBy({cert: path.join(labTlsDir, 'ca.crt'), key: path.join(labTlsDir, 'ca.key')}, path.join(dir, 'certs'));
	const cases: Array<[string, string, readonly SourceName[]]> = [
		['a wrong etcd password', replaceInSection(yaml, dcs, 'password', 'not-the-password'), ['dcs']],
		['a client certificate another CA signed', replaceInSection(replaceInSection(yaml, dcs, 'cert', certs.foreignClient.cert), dcs, 'key', certs.foreignClient.key), ['dcs']],
		["an expired client certificate of the lab's CA", replaceInSection(replaceInSection(yaml, dcs, 'cert', expired.cert), dcs, 'key', expired.key), ['dcs']],
		['a CA that did not sign the servers', replaceInSection(replaceInSection(yaml, dcs, 'cacert', certs.otherCa.cert), 'ctl', 'cacert', certs.otherCa.cert), ['dcs', 'rest']],
	];
	return cases.map(([name, text, failing], index) => {
		const file = path.join(dir, `broken-${index}.yaml`);
		fs.writeFileSync(file, text, {mode: 0o600});
		return {name, file, failing};
	});
}

export type FailureSeen = {readonly errors: Partial<Record<SourceName, string>>; readonly framesAfter: number};

/**
 * The monitor on a broken yaml (and `rest`, the members' URLs) until every source the case names fails, then 2 s more: the errors it shows, and
 * how many new views it made in those 2 s (a monitor that stopped drawing would make none).
 */
export async function monitorOn(broken: BrokenYaml, rest: readonly string[], logFile: string, warn: (message: string) => void): Promise<FailureSeen> {
	// --rest as a user gives it: the members are found without the DCS, so REST's own verdict shows beside etcd's.
	const monitor: Monitor = createMonitor(resolveMonitorConfig({config: broken.file, rest: rest.join(','), logFile}), warn);
	monitor.start();
	try {
		await waitFor(`${broken.name}: ${broken.failing.join(' and ')} failing`, async () => (broken.failing.every(name => monitor.getView().snapshot.sources[name].error) ? true : undefined), 30_000, 100);
		const views = new Set<unknown>();
		const until = Date.now() + 2000;
		while (Date.now() < until) {
			views.add(monitor.getView());
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		const {sources} = monitor.getView().snapshot;
		const errors = Object.fromEntries(Object.values(sources).filter(source => source.error).map(source => [source.name, source.error!]));
		return {errors, framesAfter: views.size};
	} finally {
		await monitor.stop();
	}
}
