/**
 * The TLS material a client presents and trusts, read from the files a Patroni or patronictl config names. Files
 * are read once, when the configuration is resolved, so a missing or unreadable one is a sentence before anything
 * connects; the paths stay for messages, the contents never go into one.
 */
import fs from 'node:fs';
import {ConfigError} from '../config-error.js';

/** One PEM file: where it is (for messages) and what it holds (never shown). */
export type PemFile = {readonly path: string; readonly pem: Buffer};

export type TlsClientSettings = {
	/** Trust only this CA bundle; without it, Node's own store (and NODE_EXTRA_CA_CERTS). */
	readonly ca?: PemFile;
	/** A client certificate and its key, for servers that ask for one. */
	readonly cert?: PemFile;
	readonly key?: PemFile;
	readonly keyPassword?: string;
	/** false: any certificate is taken (ctl.insecure), which the screen shows as a warning. */
	readonly verifyServer: boolean;
	/** false: the chain is checked but not the host name (urllib3's assert_hostname=False, libpq's verify-ca). */
	readonly verifyHostname: boolean;
};

export const VERIFY_FULLY: TlsClientSettings = {verifyServer: true, verifyHostname: true};

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * Reads one PEM file for `where` ("patronictl.yaml: etcd3.cacert"). A file that is missing, unreadable or holds no
 * PEM block is refused here, naming the key and the path, and never quoting the file.
 */
export function readPemFile(filePath: string, where: string): PemFile {
	let pem: Buffer;
	try {
		pem = fs.readFileSync(filePath);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (error as Error).message;
		throw new ConfigError(`${where}: cannot read ${filePath}: ${reason}`);
	}
	if (!PEM_BLOCK.test(pem.toString('latin1'))) throw new ConfigError(`${where}: ${filePath} holds no PEM block ("-----BEGIN ...-----")`);
	return {path: filePath, pem};
}

/** Node's tls/https options for these settings. */
export function nodeTlsOptions(settings: TlsClientSettings): {
	ca?: Buffer;
	cert?: Buffer;
	key?: Buffer;
	passphrase?: string;
	rejectUnauthorized: boolean;
	checkServerIdentity?: () => undefined;
} {
	return {
		...(settings.ca ? {ca: settings.ca.pem} : {}),
		...(settings.cert ? {cert: settings.cert.pem} : {}),
		...(settings.key ? {key: settings.key.pem} : {}),
		...(settings.keyPassword === undefined ? {} : {passphrase: settings.keyPassword}),
		rejectUnauthorized: settings.verifyServer,
		...(settings.verifyServer && !settings.verifyHostname ? {checkServerIdentity: () => undefined} : {}),
	};
}
