/**
 * What `lab up --tls` adds to each component's configuration, as Patroni 3.0.2, etcd 3.4, PostgreSQL 15 and
 * HAProxy 2.6 read it. The paths are the container's (CONTAINER_TLS) in the files containers read, the host's in
 * patronictl.yaml.
 */
import type {TlsPaths} from './tls-certs.js';

/** etcd's user with every right; Patroni, patronictl and the monitor log in as it. */
export const ETCD_ROOT_USER = 'root';

/** Patroni's etcd3/etcd section (dcs/etcd.py: protocol, cacert, cert + key, username, password). */
export function etcdTlsKeys(paths: TlsPaths, password: string): Record<string, string> {
	return {protocol: 'https', cacert: paths.ca, cert: paths.clientCert, key: paths.clientKey, username: ETCD_ROOT_USER, password};
}

/**
 * Patroni's REST API on https. verify_client optional: api.py's check_access (unsafe methods only) then answers 403
 * without a client certificate, while GETs (and HAProxy's OPTIONS checks) need none.
 */
export function restapiTlsKeys(paths: TlsPaths): Record<string, string> {
	return {certfile: paths.serverCert, keyfile: paths.serverKey, cafile: paths.ca, verify_client: 'optional'};
}

/** How a member (or patronictl) reaches other members' APIs (request.py reads ctl first, then restapi). */
export function ctlTlsKeys(paths: TlsPaths): Record<string, string> {
	return {cacert: paths.ca, certfile: paths.clientCert, keyfile: paths.clientKey};
}

/** libpq's settings for every connection Patroni makes (replication, pg_rewind, its own): the server is verified. */
export function libpqTlsKeys(paths: TlsPaths): Record<string, string> {
	return {sslmode: 'verify-full', sslrootcert: paths.ca};
}

export function postgresTlsParameters(paths: TlsPaths): Record<string, string> {
	return {ssl: 'on', ssl_cert_file: paths.serverCert, ssl_key_file: paths.serverKey};
}

/** Only SSL over TCP: a `host` line would let a client in without it. Unix sockets keep peer authentication. */
export function tlsHbaLines(host: string): string[] {
	return ['local all all peer', `hostssl replication replicator ${host}/32 scram-sha-256`, `hostssl all all ${host}/32 scram-sha-256`];
}

/** HAProxy's health checks on the members' https APIs, verifying them by the name in their certificate. */
export function haproxyCheckTls(paths: TlsPaths): string {
	return `check-ssl verify required ca-file ${paths.ca} check-sni localhost verifyhost localhost`;
}

export function haproxyStatsBindTls(paths: TlsPaths): string {
	return `ssl crt ${paths.haproxyPem}`;
}

/** etcd's client URL on https, asking every client for a certificate of the lab's CA; peers stay on loopback http. */
export function etcdTlsFlags(paths: TlsPaths): string[] {
	return [`--cert-file=${paths.serverCert}`, `--key-file=${paths.serverKey}`, `--trusted-ca-file=${paths.ca}`, '--client-cert-auth'];
}
