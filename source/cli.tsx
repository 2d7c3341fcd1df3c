import meow from 'meow';
import {commandRefusal, kebab, unknownFlag, type FlagTable} from './argv-check.js';
import {ConfigError} from './config.js';
import {defaultEventLogPath} from './event-log-file.js';
import {checkFlagValues} from './flag-values.js';
import {catchStrayErrors, reportInternalError} from './internal-error.js';
import {isLabAction, LAB_ACTIONS, runLab, tlsRequest} from './lab/lab-cli.js';
import {resolveMonitorTarget, type MonitorFlags} from './resolve-config.js';
import {restoreTerminal} from './quit.js';
import {printSnapshot, runInteractive} from './run-monitor.js';

const HELP = `
	Usage
	  $ patroni-tui [options]                   watch a Patroni cluster
	  $ patroni-tui lab up|down|status|destroy  the local three-node lab
	  $ patroni-tui demo                        lab up, then watch it

	Where the cluster is
	  --lab                  attach to the local lab
	  -c, --config FILE      patronictl's config or a Patroni node's YAML (also PATRONICTL_CONFIG_FILE,
	                         ~/.config/patroni/patronictl.yaml), read as Patroni reads it; PATRONI_*
	                         variables override it, and alone (or PATRONI_CONFIGURATION) stand for it
	  --scope NAME           cluster scope (none: the fleet of every scope in the namespace; one scope
	                         there is opened as if named)
	  --all                  the fleet even when a scope is named or there is only one
	  --namespace PATH       Patroni's namespace (default: /service/)
	  --etcd HOST:PORT,...   etcd endpoints (https://HOST:PORT for TLS)   --etcd-api etcd3|etcd2
	  --etcd-cacert FILE     CA to verify etcd with (default: the config's, else Node's store)
	  --etcd-cert FILE       client certificate for etcd   --etcd-key FILE  its key
	  --etcd-user NAME       etcd user (password: the config's, or PATRONI_TUI_ETCD_PASSWORD; never a flag)
	  --rest URL,...         Patroni REST API URLs (http://127.0.0.1:8008)
	  --pg-user NAME         PostgreSQL user (password: the config file or PGPASSWORD)
	  --haproxy-stats URL    HAProxy stats CSV (http://127.0.0.1:7000/;csv)
	  --haproxy-cacert FILE  CA to verify an https stats page with (default: Node's store)
	  --haproxy-socket PATH  HAProxy admin socket
	  --haproxy-primary H:P  HAProxy's primary listener (the write probe and replication check write there)
	  --docker-socket PATH   Docker engine socket (default: DOCKER_HOST, else /var/run/docker.sock if it
	                         exists; with neither, Docker is off)

	Monitor options
	  --interval SECONDS     REST, SQL and HAProxy poll interval, 0.1 to 3600 (default: 1; etcd is watched)
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
	  --tls                  run the lab on TLS: its own CA, etcd with client certificates and a root
	                         user, REST on https, PostgreSQL hostssl only (kept by the lab; --no-tls)
	  --standby              add a standby cluster <scope>-standby replicating through HAProxy (kept)
	  --clusters N           N primary clusters in all, 1 to 10: <scope>-2 ... of one member each (kept)
	  --timeout SECONDS      how long lab up waits for a healthy cluster, 1 to 3600 (default: 180)
	  --yes                  lab destroy without asking (it asks only when stdin is a terminal)
`;

/**
 * Every flag, monitor and lab alike (--lab reads --state-dir and --port-offset): meow parses by it and the check of
 * what was typed knows only these. Numbers are given to meow as text and read by flag-values.ts, so "--interval abc"
 * is refused as "abc", not as NaN.
 */
const FLAGS = {
	lab: {type: 'boolean'},
	config: {type: 'string', shortFlag: 'c'},
	scope: {type: 'string'},
	all: {type: 'boolean'},
	namespace: {type: 'string'},
	etcd: {type: 'string'},
	etcdApi: {type: 'string'},
	etcdCacert: {type: 'string'},
	etcdCert: {type: 'string'},
	etcdKey: {type: 'string'},
	etcdUser: {type: 'string'},
	rest: {type: 'string'},
	pgUser: {type: 'string'},
	haproxyStats: {type: 'string'},
	haproxySocket: {type: 'string'},
	haproxyPrimary: {type: 'string'},
	haproxyCacert: {type: 'string'},
	dockerSocket: {type: 'string'},
	interval: {type: 'string'},
	calmInterval: {type: 'string'},
	lagBytes: {type: 'string'},
	lagSeconds: {type: 'string'},
	logFile: {type: 'string'},
	logMaxBytes: {type: 'string'},
	readOnly: {type: 'boolean'},
	json: {type: 'boolean'},
	stateDir: {type: 'string'},
	portOffset: {type: 'string'},
	dcs: {type: 'string'},
	synchronousMode: {type: 'boolean'},
	tls: {type: 'boolean'},
	standby: {type: 'boolean'},
	clusters: {type: 'string'},
	timeout: {type: 'string'},
	yes: {type: 'boolean'},
} as const satisfies FlagTable;

/** The command line read and checked: unknown flags, stray arguments and bad values are refused before anything runs. */
function parse(argv: readonly string[]) {
	const unknown = unknownFlag(argv, FLAGS);
	if (unknown) throw new ConfigError(unknown);
	let cli;
	try {
		cli = meow(HELP, {importMeta: import.meta, argv: [...argv], flags: FLAGS});
	} catch (error) {
		// meow's own refusal of a repeated flag: "The flag --calmInterval can only be set once."
		const repeated = /--(\w+) can only be set once/.exec((error as Error).message);
		if (repeated) throw new ConfigError(`--${kebab(repeated[1]!)}: given more than once`);
		throw error;
	}
	const given = cli.flags as Readonly<Record<string, unknown>>;
	if (given['help']) cli.showHelp(0);
	if (given['version']) cli.showVersion();
	const refusal = commandRefusal(cli.input, LAB_ACTIONS);
	if (refusal) throw new ConfigError(refusal);
	const {interval, calmInterval, lagBytes, lagSeconds, logMaxBytes, portOffset, timeout} = checkFlagValues(cli.flags);
	// --tls is three-valued (given, --no-tls, neither): meow's false cannot tell the last two apart.
	return {input: cli.input, flags: {...cli.flags, interval, calmInterval, lagBytes, lagSeconds, logMaxBytes, portOffset, timeout, tls: tlsRequest(argv)}};
}

async function monitor(flags: MonitorFlags & {readonly json?: boolean}): Promise<number> {
	const target = resolveMonitorTarget(flags);
	const isJson = flags.json || !process.stdout.isTTY;
	if (target.kind === 'cluster') return isJson ? printSnapshot(target.config) : runInteractive(target.config);
	// The fleet's code (and its screen) loads only when there is no one cluster to watch.
	const {printFleet, runFleetInteractive} = await import('./run-fleet.js');
	return isJson ? printFleet(target) : runFleetInteractive(target, Boolean(flags.all));
}

async function run({input, flags}: ReturnType<typeof parse>): Promise<number> {
	const [command, action] = input;
	// commandRefusal has let through only a lab action.
	if (command === 'lab') return isLabAction(action) ? runLab(action, flags) : 2;
	if (command === 'demo') {
		const code = await runLab('up', {...flags, json: false});
		// A lab of several clusters opens as the fleet of them.
		return code === 0 ? monitor({...flags, lab: true, ...(flags.standby || flags.clusters !== undefined ? {all: true} : {})}) : code;
	}
	return monitor(flags);
}

/**
 * Bad configuration is one sentence and exit 2, before anything connects; anything else is a defect: one line on
 * stderr, its stack in internal-errors.log beside the event log, exit 1.
 */
/** The event log file the command line names, once parsed: where a stray defect's stack goes too. */
let strayLogFile: string | undefined;

async function main(argv: readonly string[]): Promise<number> {
	let logFile: string | undefined;
	try {
		const parsed = parse(argv);
		logFile = parsed.flags.logFile;
		strayLogFile = logFile;
		return await run(parsed);
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`patroni-tui: ${error.message}\n`);
			return 2;
		}
		process.stderr.write(reportInternalError(error, logFile ?? defaultEventLogPath()) + '\n');
		return 1;
	}
}

catchStrayErrors(() => strayLogFile ?? defaultEventLogPath(), restoreTerminal);

// Not awaited at the top level: the installed bundle is CommonJS (source/launch/code-cache.ts).
void main(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
