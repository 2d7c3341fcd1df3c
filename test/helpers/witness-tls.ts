/**
 * Which endpoints the outside witnesses reach over TLS, and with which lab's files: the fault suite's labs each
 * have a CA of their own, and a witness is handed only an address, so the lab registers its endpoints here once it
 * is up. An endpoint not registered is reached in the clear, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {LabStatus} from '../../source/lab/lab-status.js';

export type WitnessTlsFiles = {readonly ca: string; readonly cert: string; readonly key: string};

const byEndpoint = new Map<string, WitnessTlsFiles>();

/** `host:port` of a URL or of an address, the registry's key. */
function endpointOf(address: string): string {
	return /^[a-z]+:\/\//.test(address) ? new URL(address).host : address;
}

export function trustEndpoints(addresses: readonly string[], files: WitnessTlsFiles): void {
	for (const address of addresses) byEndpoint.set(endpointOf(address), files);
}

export function tlsFilesFor(address: string): WitnessTlsFiles | undefined {
	return byEndpoint.get(endpointOf(address));
}

/** Node's tls options for a registered endpoint (read at each call: `lab up` may have renewed the files). */
export function tlsOptionsFor(address: string): {ca: Buffer; cert: Buffer; key: Buffer} | undefined {
	const files = tlsFilesFor(address);
	return files && {ca: fs.readFileSync(files.ca), cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key)};
}

/** The CA and the client certificate `lab up --tls` made in <state>/tls for every client (etcdctl, curl, the witnesses). */
export function labTlsFiles(stateDir: string): WitnessTlsFiles {
	const dir = path.join(stateDir, 'tls');
	return {ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'client.crt'), key: path.join(dir, 'client.key')};
}

/** Registers a TLS lab's endpoints: REST, etcd, the stats page, every member's PostgreSQL and HAProxy's listeners. */
export function trustLab(status: LabStatus, stateDir: string): void {
	if (!status.tls.enabled) return;
	const postgres = [...status.members.map(member => member.postgres), status.haproxy.primary, status.haproxy.replicas].map(({host, port}) => `${host}:${port}`);
	trustEndpoints([...status.members.map(member => member.restApi), ...status.etcd.endpoints, status.haproxy.statsUrl, ...postgres], labTlsFiles(stateDir));
}
