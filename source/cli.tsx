#!/usr/bin/env node
import meow from 'meow';
import {isLabAction, LAB_ACTIONS, runLab} from './lab/lab-cli.js';

const cli = meow(
	`
	Usage
	  $ patroni-tui [options]              watch a Patroni cluster
	  $ patroni-tui lab up|down|status|destroy
	  $ patroni-tui demo                   lab up, then watch it

	Lab options
	  --scope NAME           cluster scope (default: lab)
	  --state-dir DIR        data, configs and passwords (default: ~/.local/state/patroni-tui/lab)
	  --port-offset N        move every lab port by N
	  --dcs etcd3|etcd2      which etcd API the lab's Patroni uses (default: etcd3)
	  --synchronous-mode     run the lab with Patroni's synchronous_mode
	  --timeout SECONDS      how long lab up waits for a healthy cluster (default: 180)
	  --docker-socket PATH   the Docker engine's socket (default: DOCKER_HOST or /var/run/docker.sock)
	  --json                 machine-readable output
`,
	{
		importMeta: import.meta,
		flags: {
			scope: {type: 'string'},
			stateDir: {type: 'string'},
			portOffset: {type: 'number'},
			dcs: {type: 'string'},
			synchronousMode: {type: 'boolean'},
			timeout: {type: 'number'},
			dockerSocket: {type: 'string'},
			json: {type: 'boolean'},
		},
	},
);

async function main(): Promise<number> {
	const [command, action] = cli.input;
	if (command === 'lab') {
		if (!isLabAction(action)) {
			process.stderr.write(`patroni-tui lab: say one of ${LAB_ACTIONS.join(', ')}\n`);
			return 2;
		}
		return runLab(action, cli.flags);
	}
	if (command === 'demo') {
		const code = await runLab('up', cli.flags);
		return code;
	}
	if (command !== undefined) {
		process.stderr.write(`patroni-tui: unknown command "${command}"\n`);
		return 2;
	}
	return runLab('status', cli.flags);
}

process.exitCode = await main();
