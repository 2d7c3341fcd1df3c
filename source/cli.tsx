import meow from 'meow';
import {ConfigError} from './config.js';
import {isLabAction, LAB_ACTIONS, runLab} from './lab/lab-cli.js';
import {resolveMonitorConfig, type MonitorFlags} from './resolve-config.js';
import {printSnapshot, runInteractive} from './run-monitor.js';

const cli = meow(
	`
	Usage
	  $ patroni-tui [options]                   watch a Patroni cluster
	  $ patroni-tui lab up|down|status|destroy  the local three-node lab
	  $ patroni-tui demo                        lab up, then watch it

	Where the cluster is
	  --lab                  attach to the local lab
	  -c, --config FILE      patronictl's config or a Patroni node's YAML (also PATRONICTL_CONFIG_FILE,
	                         ~/.config/patroni/patronictl.yaml), read as Patroni reads it; PATRONI_*
	                         variables override it, and alone (or PATRONI_CONFIGURATION) stand for it
	  --scope NAME           cluster scope
	  --namespace PATH       Patroni's namespace (default: /service/)
	  --etcd HOST:PORT,...   etcd endpoints        --etcd-api etcd3|etcd2
	  --rest URL,...         Patroni REST API URLs (http://127.0.0.1:8008)
	  --pg-user NAME         PostgreSQL user (password: the config file or PGPASSWORD)
	  --haproxy-stats URL    HAProxy stats CSV (http://127.0.0.1:7000/;csv)
	  --haproxy-socket PATH  HAProxy admin socket
	  --haproxy-primary H:P  HAProxy's primary listener (the write probe and replication check write there)
	  --docker-socket PATH   Docker engine socket (default: DOCKER_HOST, else /var/run/docker.sock if it
	                         exists; with neither, Docker is off)

	Monitor options
	  --interval SECONDS     poll interval for REST, SQL and HAProxy (default: 1; etcd is watched)
	  --calm-interval SECONDS  ...and redraw of ages, once nothing has changed for 30 s (default:
	                         3 x --interval; a change, an alert or an operation brings back --interval
	                         at once; news is always drawn at once)
	  --lag-bytes N          alert when a replica lags more bytes than this (default: 1048576)
	  --lag-seconds N        ...or more seconds than this (default: 10)
	  --log-file FILE        event log (default: ~/.local/state/patroni-tui/events.log)
	  --log-max-bytes N      rotate the event log past N bytes, keeping 3 old ones (default: 10485760)
	  --read-only            no key changes the cluster
	  --json                 print one snapshot and exit (also when stdout is not a terminal);
	                         exit code 0 when the cluster has a leader, 1 when not

	Lab options
	  --state-dir DIR        data, configs and passwords (default: ~/.local/state/patroni-tui/lab)
	  --port-offset N        move every lab port by N
	  --dcs etcd3|etcd2      which etcd API the lab's Patroni uses (default: etcd3)
	  --synchronous-mode     run the lab with Patroni's synchronous_mode
	  --timeout SECONDS      how long lab up waits for a healthy cluster (default: 180)
	  --yes                  lab destroy without asking (it asks only when stdin is a terminal)
`,
	{
		importMeta: import.meta,
		flags: {
			lab: {type: 'boolean'},
			config: {type: 'string', shortFlag: 'c'},
			scope: {type: 'string'},
			namespace: {type: 'string'},
			etcd: {type: 'string'},
			etcdApi: {type: 'string'},
			rest: {type: 'string'},
			pgUser: {type: 'string'},
			haproxyStats: {type: 'string'},
			haproxySocket: {type: 'string'},
			haproxyPrimary: {type: 'string'},
			dockerSocket: {type: 'string'},
			interval: {type: 'number'},
			calmInterval: {type: 'number'},
			lagBytes: {type: 'number'},
			lagSeconds: {type: 'number'},
			logFile: {type: 'string'},
			logMaxBytes: {type: 'number'},
			readOnly: {type: 'boolean'},
			json: {type: 'boolean'},
			stateDir: {type: 'string'},
			portOffset: {type: 'number'},
			dcs: {type: 'string'},
			synchronousMode: {type: 'boolean'},
			timeout: {type: 'number'},
			yes: {type: 'boolean'},
		},
	},
);

async function monitor(flags: MonitorFlags & {readonly json?: boolean}): Promise<number> {
	const config = resolveMonitorConfig(flags);
	return flags.json || !process.stdout.isTTY ? printSnapshot(config) : runInteractive(config);
}

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
		const code = await runLab('up', {...cli.flags, json: false});
		return code === 0 ? monitor({...cli.flags, lab: true}) : code;
	}
	if (command !== undefined) {
		process.stderr.write(`patroni-tui: unknown command "${command}" (see --help)\n`);
		return 2;
	}
	return monitor(cli.flags);
}

// Not awaited at the top level: the installed bundle is CommonJS (source/launch/code-cache.ts). Anything other than
// bad configuration is a defect, and is rethrown to end the process with its stack, as an await would have.
main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (!(error instanceof ConfigError)) throw error;
		process.stderr.write(`patroni-tui: ${error.message}\n`);
		process.exitCode = 2;
	},
);
