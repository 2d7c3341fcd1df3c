/** What a configuration makes the monitor take on trust, for the header and --json to say as long as it runs. */
import type {MonitorConfig} from './config.js';
import type {ConfigWarning} from './model/snapshot-types.js';

export function configWarnings(config: Pick<MonitorConfig, 'restTls'>): ConfigWarning[] {
	const {restTls} = config;
	if (!restTls.verifyServer) {
		return [{
			id: 'rest-tls-unverified',
			short: 'REST TLS not verified',
			message: "ctl.insecure: the members' REST API certificates are not checked, so whoever answers at a member's address is taken for it",
		}];
	}
	if (!restTls.verifyHostname) {
		return [{
			id: 'rest-tls-hostname-unverified',
			short: 'REST host names not verified',
			message: "ctl.insecure with a client certificate: the members' REST API certificates are checked against the CA, but not their host names",
		}];
	}
	return [];
}
