/**
 * Who the monitor is to etcd and whom it trusts: the config's etcd user and TLS files, with --etcd-user,
 * --etcd-cacert, --etcd-cert and --etcd-key over them. A password is never a flag (any user of the machine can read
 * a command line): it comes from the config or PATRONI_TUI_ETCD_PASSWORD.
 */
import {readPemFile, VERIFY_FULLY, type TlsClientSettings} from './clients/tls-files.js';
import {ConfigError} from './config-error.js';
import type {EtcdSettings} from './etcd-section.js';

export const ETCD_PASSWORD_VARIABLE = 'PATRONI_TUI_ETCD_PASSWORD';

export type EtcdAccessFlags = {
	readonly etcdCacert?: string;
	readonly etcdCert?: string;
	readonly etcdKey?: string;
	readonly etcdUser?: string;
};

export type EtcdAccess = {readonly username?: string; readonly password?: string; readonly tls?: TlsClientSettings};

function credentials(flags: EtcdAccessFlags, fromConfig: EtcdSettings | undefined, env: NodeJS.ProcessEnv): Pick<EtcdAccess, 'username' | 'password'> {
	const user = flags.etcdUser;
	if (user === undefined) {
		if (!fromConfig?.username) return {};
		const password = fromConfig.password ?? env[ETCD_PASSWORD_VARIABLE];
		return {username: fromConfig.username, ...(password === undefined ? {} : {password})};
	}
	if (user === '' || user.includes(':')) {
		throw new ConfigError(`--etcd-user: expected a user name alone; the password goes in ${ETCD_PASSWORD_VARIABLE} or the config, never in a flag`);
	}
	const password = env[ETCD_PASSWORD_VARIABLE] ?? (fromConfig?.username === user ? fromConfig.password : undefined);
	if (password === undefined) throw new ConfigError(`--etcd-user ${user}: no password for it: set ${ETCD_PASSWORD_VARIABLE}, or give the config (-c) whose etcd section has it`);
	return {username: user, password};
}

function tls(flags: EtcdAccessFlags, fromConfig: TlsClientSettings | undefined): TlsClientSettings | undefined {
	if (flags.etcdKey !== undefined && flags.etcdCert === undefined) throw new ConfigError('--etcd-key: give --etcd-cert with it (the key is of that certificate)');
	const ca = flags.etcdCacert === undefined ? fromConfig?.ca : readPemFile(flags.etcdCacert, '--etcd-cacert');
	const cert = flags.etcdCert === undefined ? fromConfig?.cert : readPemFile(flags.etcdCert, '--etcd-cert');
	// As etcd's `cert` key: without a key of its own, the certificate's file holds the key too.
	const key = flags.etcdCert === undefined ? fromConfig?.key : flags.etcdKey === undefined ? cert : readPemFile(flags.etcdKey, '--etcd-key');
	if (!ca && !cert) return undefined;
	return {...VERIFY_FULLY, ...(ca ? {ca} : {}), ...(cert && key ? {cert, key} : {})};
}

/**
 * `fromConfig` is the config's DCS section, or undefined when --etcd replaced it (its user and files go with it, as
 * patronictl's --dcs-url). The v3 client (gRPC) speaks TLS to every endpoint or to none, so there a mix is refused.
 */
export function etcdAccess(
	flags: EtcdAccessFlags,
	fromConfig: EtcdSettings | undefined,
	{api, endpoints}: {readonly api: 'etcd3' | 'etcd2'; readonly endpoints: readonly string[]},
	env: NodeJS.ProcessEnv,
): EtcdAccess {
	const settings = tls(flags, fromConfig?.tls);
	const secure = endpoints.filter(endpoint => endpoint.startsWith('https:'));
	if (api === 'etcd3' && secure.length > 0 && secure.length < endpoints.length) {
		throw new ConfigError(`etcd endpoints mix http and https (${endpoints.join(', ')}): give them all one scheme`);
	}
	if (settings && endpoints.length > 0 && secure.length === 0 && (flags.etcdCacert || flags.etcdCert)) {
		throw new ConfigError(`--etcd-cacert/--etcd-cert are for https etcd endpoints; ${endpoints.join(', ')} are http (write --etcd https://host:port)`);
	}
	return {...credentials(flags, fromConfig, env), ...(settings ? {tls: settings} : {})};
}
