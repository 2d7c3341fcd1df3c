import {createDockerClient, dockerSocketPath} from '../clients/docker.js';
import {ConfigError} from '../config-error.js';
import {visible} from '../model/visible.js';
import {askYesNo} from './confirm.js';
import {errorText} from './health.js';
import {MAX_CLUSTERS, type LabConfig} from './lab-config.js';
import {LabRefusal} from './lab-marker.js';
import {resolveLabConfig, writeLabSettings} from './lab-settings.js';
import {destroyQuestion, labDestroy, labDown} from './lab-teardown.js';
import {labUp, type LabContext} from './lab.js';
import {formatLabStatus, labStatus} from './lab-status.js';

export type LabFlags = {
	readonly scope?: string | undefined;
	readonly stateDir?: string | undefined;
	readonly portOffset?: number | undefined;
	readonly dcs?: string | undefined;
	readonly synchronousMode?: boolean | undefined;
	/** --tls (true), --no-tls (false), or neither (undefined: as the lab was made). */
	readonly tls?: boolean | undefined;
	/** --standby: a standby cluster beside the lab's (lab-clusters.ts); absent or false: as the lab was made. */
	readonly standby?: boolean | undefined;
	/** --clusters N as typed (meow gives text, so "--clusters abc" is refused as written). */
	readonly clusters?: string | number | undefined;
	readonly dockerSocket?: string | undefined;
	readonly json?: boolean | undefined;
	readonly timeout?: number | undefined;
	/** destroy without asking (it asks only when stdin is a terminal). */
	readonly yes?: boolean | undefined;
};

export const LAB_ACTIONS = ['up', 'down', 'status', 'destroy'] as const;
export type LabAction = (typeof LAB_ACTIONS)[number];

export function isLabAction(value: string | undefined): value is LabAction {
	return LAB_ACTIONS.includes(value as LabAction);
}

/**
 * What the command line says of TLS: the last of --tls and --no-tls, or undefined when neither is there. meow reads
 * an absent boolean as false, which would make `lab up` on a TLS lab a request for one without.
 */
export function tlsRequest(argv: readonly string[]): boolean | undefined {
	const end = argv.indexOf('--');
	const given = (end === -1 ? argv : argv.slice(0, end)).filter(token => token === '--tls' || token === '--no-tls');
	return given.length === 0 ? undefined : given.at(-1) === '--tls';
}

function context(flags: LabFlags): LabContext {
	const socketPath = dockerSocketPath(flags.dockerSocket);
	return {docker: createDockerClient(socketPath), socketPath, log: line => process.stderr.write(`lab: ${line}\n`)};
}

export function labConfigFromFlags(flags: LabFlags, isStrict = false): {config: LabConfig; portOffset: number} {
	return resolveLabConfig(
		{
			scope: flags.scope,
			stateDir: flags.stateDir,
			portOffset: flags.portOffset,
			dcs: flags.dcs,
			// meow reads an absent boolean flag as false: only a given --synchronous-mode is a request.
			synchronousMode: flags.synchronousMode || undefined,
			tls: flags.tls,
			standby: flags.standby || undefined,
			clusters: clustersFlag(flags.clusters),
		},
		isStrict,
	);
}

/** --clusters' number, or a sentence showing what was typed. */
export function clustersFlag(value: string | number | undefined): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value).trim();
	if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_CLUSTERS) {
		throw new ConfigError(`--clusters: expected a whole number from 1 to ${MAX_CLUSTERS}, got ${JSON.stringify(String(value))}`);
	}
	return Number(text);
}

async function printStatus(config: LabConfig, ctx: LabContext, asJson: boolean): Promise<void> {
	const docker = await ctx.docker.ping().then(() => ctx.docker, () => undefined);
	if (!docker) process.stderr.write(`lab: no Docker engine answers on ${ctx.socketPath}; container states unknown\n`);
	const status = await labStatus(config, docker);
	process.stdout.write((asJson ? JSON.stringify(status, null, 2) : formatLabStatus(status)) + '\n');
}

/** Runs one lab action; returns the process exit code. Errors are printed as sentences, never as stacks. */
export async function runLab(action: LabAction, flags: LabFlags): Promise<number> {
	try {
		const {config, portOffset} = labConfigFromFlags(flags, action === 'up');
		const ctx = context(flags);
		switch (action) {
			case 'up': {
				const started = Date.now();
				const health = await labUp(config, ctx, {
					timeoutMs: (flags.timeout ?? 180) * 1000,
					onCommit: () => writeLabSettings(config, portOffset),
				});
				ctx.log(`healthy in ${((Date.now() - started) / 1000).toFixed(1)} s: leader ${health.leader}`);
				await printStatus(config, ctx, Boolean(flags.json));
				return 0;
			}
			case 'down':
				await labDown(config, ctx);
				ctx.log('down: no lab container is left');
				return 0;
			case 'destroy': {
				const isAsked = !flags.yes && Boolean(process.stdin.isTTY);
				const outcome = await labDestroy(config, ctx, async plan => !isAsked || askYesNo(destroyQuestion(plan), process.stdin, process.stderr));
				const said = {destroyed: 'destroyed', declined: 'nothing deleted', nothing: `no lab '${config.scope}' in ${config.stateDir}: nothing to delete`} as const;
				ctx.log(said[outcome]);
				return outcome === 'declined' ? 1 : 0;
			}
			case 'status':
				await printStatus(config, ctx, Boolean(flags.json));
				return 0;
		}
	} catch (error) {
		// A failure quotes the containers' logs: shown line by line, with any control character escaped.
		process.stderr.write(`patroni-tui lab ${action}: ${errorText(error).split('\n').map(visible).join('\n')}\n`);
		// A bad flag or a broken lab file (lab.json, secrets.json) is the caller's to fix: exit 2, as for the monitor.
		// A refusal (a directory or a container that is not this lab's) changed nothing either: 2.
		return error instanceof ConfigError || error instanceof LabRefusal ? 2 : 1;
	}
}
