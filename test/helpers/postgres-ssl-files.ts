/**
 * Certificates for a throwaway PostgreSQL with ssl on, made with Debian's openssl: a CA and another CA, server
 * certificates for 127.0.0.1, for another host name and an expired one, a client certificate for the user
 * postgres, and HOME directories whose ~/.postgresql/ holds libpq's default files. Owned by postgres when run as
 * root, so the server can read its key (0600, as PostgreSQL wants).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type CertAndKey = {readonly cert: string; readonly key: string};
export type SslFiles = {
	readonly ca: string;
	readonly otherCa: string;
	readonly server: CertAndKey;
	readonly otherHost: CertAndKey;
	readonly expired: CertAndKey;
	readonly client: CertAndKey;
	/** empty: no ~/.postgresql; rootOk/rootOther: root.crt is the CA / the other CA; client: postgresql.crt and .key. */
	readonly homes: Readonly<Record<'empty' | 'rootOk' | 'rootOther' | 'client', string>>;
	readonly remove: () => void;
};

export function makeSslFiles(): SslFiles {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-ssl-files-'));
	const at = (name: string) => path.join(dir, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, {stdio: 'ignore'});
	const authority = (name: string, subject: string) => openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.crt`), '-subj', subject, '-days', '2');
	/** `days` -1 makes one that expired at once (notAfter a day before notBefore). */
	const signed = (name: string, commonName: string, altNames: string | undefined, days = '2'): CertAndKey => {
		openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${commonName}`);
		if (altNames) fs.writeFileSync(at(`${name}.ext`), `subjectAltName=${altNames}\n`);
		openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at(`${name}.crt`), '-days', days, ...(altNames ? ['-extfile', at(`${name}.ext`)] : []));
		return {cert: at(`${name}.crt`), key: at(`${name}.key`)};
	};
	authority('ca', '/CN=patroni-tui test CA');
	authority('other-ca', '/CN=another CA');
	const server = signed('server', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost');
	const otherHost = signed('other-host', 'other.example', 'DNS:other.example');
	const expired = signed('expired', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost', '-1');
	const client = signed('client', 'postgres', undefined);
	const home = (name: string, entries: Readonly<Record<string, string>>) => {
		const folder = at(`home-${name}`);
		fs.mkdirSync(path.join(folder, '.postgresql'), {recursive: true});
		for (const [file, from] of Object.entries(entries)) fs.copyFileSync(from, path.join(folder, '.postgresql', file));
		return folder;
	};
	const homes = {
		empty: home('empty', {}),
		rootOk: home('root-ok', {'root.crt': at('ca.crt')}),
		rootOther: home('root-other', {'root.crt': at('other-ca.crt')}),
		client: home('client', {'postgresql.crt': client.cert, 'postgresql.key': client.key}),
	};
	if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	spawnSync('find', [dir, '-name', '*.key', '-exec', 'chmod', '0600', '{}', '+']);
	return {ca: at('ca.crt'), otherCa: at('other-ca.crt'), server, otherHost, expired, client, homes, remove: () => fs.rmSync(dir, {recursive: true, force: true})};
}
