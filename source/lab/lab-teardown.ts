/**
 * `lab down` and `lab destroy`: they remove only what `lab up` made for this state directory. A directory without
 * the lab's marker is refused (source/lab/lab-marker.ts); a container of the same scope that another state
 * directory's lab made is left running and named; destroy removes the entries `lab up` writes and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import {pingDocker} from '../clients/docker.js';
import {listOwnContainersOf, otherLabText, removeLabContainer, type LabContainer} from './containers.js';
import {labScopes} from './lab-clusters.js';
import type {LabConfig} from './lab-config.js';
import {inspectStateDir, labEntries, MARKER_FILE, refusal} from './lab-marker.js';
import {isPortFree, labPorts} from './preflight.js';
import type {LabContext} from './lab.js';

/** Refuses a directory this program did not make; `refusing` finishes the sentence ("refusing to delete it"). */
function ownStateDir(config: LabConfig, refusing: string): void {
	const finding = inspectStateDir(config.stateDir);
	if (finding.kind === 'foreign') throw refusal(config.stateDir, finding, refusing);
}

async function ownContainers(config: LabConfig, context: LabContext): Promise<LabContainer[]> {
	await pingDocker(context.docker, context.socketPath);
	const {ours, others} = await listOwnContainersOf(context.docker, labScopes(config), config.stateDir);
	for (const other of others) context.log(`leaving ${otherLabText(other, other.scope, config.stateDir)}: another lab's`);
	return ours;
}

async function removeContainers(config: LabConfig, context: LabContext, containers: readonly LabContainer[]): Promise<void> {
	await Promise.all(
		containers.map(async container => {
			context.log(`stopping ${container.name}`);
			await context.docker.getContainer(container.id).stop({t: 20}).catch(() => undefined);
			await removeLabContainer(context.docker, container.id);
		}),
	);
	// Only ours held the lab's ports: with none of them running, whatever holds a port now is not for us to wait on.
	if (!containers.some(container => container.state === 'running' || container.state === 'paused')) return;
	const deadline = Date.now() + 15_000;
	for (const use of labPorts(config)) {
		while (!(await isPortFree(use.port)) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200));
	}
}

/** Stops and removes this lab's containers, then waits until its ports are free again. */
export async function labDown(config: LabConfig, context: LabContext): Promise<void> {
	ownStateDir(config, 'take a lab down from it');
	await removeContainers(config, context, await ownContainers(config, context));
}

/** What destroy is about to remove, as its question says it. */
export type DestroyPlan = {readonly scope: string; readonly stateDir: string; readonly containers: number; readonly memberData: number; readonly entries: readonly string[]};

export function destroyQuestion(plan: DestroyPlan): string {
	const data = plan.memberData > 0 ? `, data of ${plan.memberData} member${plan.memberData === 1 ? '' : 's'}` : '';
	const where = plan.entries.length > 0 ? `in ${plan.stateDir}` : `(nothing left in ${plan.stateDir})`;
	return `Delete lab '${plan.scope}' ${where}: ${plan.containers} container${plan.containers === 1 ? '' : 's'}${data}?`;
}

/**
 * labDown, then what `lab up` wrote in the state directory (data, configs, passwords, the marker); the directory
 * goes when nothing else is left in it. `confirm` is asked first; false leaves everything as it was. With nothing
 * of the lab found, nothing is asked.
 */
export async function labDestroy(config: LabConfig, context: LabContext, confirm: (plan: DestroyPlan) => Promise<boolean>): Promise<'destroyed' | 'declined' | 'nothing'> {
	ownStateDir(config, 'delete it');
	const containers = await ownContainers(config, context);
	const present = new Set(fs.existsSync(config.stateDir) ? fs.readdirSync(config.stateDir) : []);
	const entries = labEntries(config).filter(name => present.has(name));
	// node1 of the lab's own cluster, <scope>-node1 of an extra one.
	const memberData = entries.filter(name => /(^|-)node\d+$/.test(name)).length;
	if (containers.length === 0 && entries.length === 0) return 'nothing';
	if (!(await confirm({scope: config.scope, stateDir: config.stateDir, containers: containers.length, memberData, entries}))) return 'declined';
	await removeContainers(config, context, containers);
	// The marker goes last: a removal that fails half-way leaves a directory a second destroy still knows as ours.
	for (const name of [...entries.filter(name => name !== MARKER_FILE), ...entries.filter(name => name === MARKER_FILE)]) {
		fs.rmSync(path.join(config.stateDir, name), {recursive: true, force: true});
	}
	const left = entries.length > 0 ? fs.readdirSync(config.stateDir) : [...present];
	if (entries.length > 0 && left.length === 0) {
		fs.rmdirSync(config.stateDir);
		context.log(`removed ${config.stateDir}`);
	} else if (left.length > 0) {
		context.log(`kept ${config.stateDir}: it also holds ${left.sort().join(', ')}, which lab up did not make`);
	}
	return 'destroyed';
}
