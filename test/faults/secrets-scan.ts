/**
 * The labs' generated passwords, and a TLS lab's private keys, must never reach a screen, a log or a command's
 * output. Every text the suite captures is passed through here; a finding names the secret's purpose and where,
 * never the secret.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Secret = {readonly lab: string; readonly purpose: string; readonly value: string};

const STATE_DIRS = ['faults', 'faultsync', 'faultstls', 'faultsynctls'].map(scope => path.join(os.tmpdir(), `patroni-tui-test-${scope}`));
const PURPOSES = ['superuserPassword', 'replicationPassword', 'rewindPassword', 'restApiPassword', 'etcdRootPassword'] as const;
/** `lab up --tls` writes these with private keys in them (HAProxy's pem holds the server key after its certificate). */
const KEY_FILES = ['ca.key', 'server.key', 'client.key', 'haproxy.pem'];
/** A PEM body's base64 lines are 64 characters; a shorter last line could match by chance, so only full lines count. */
const PEM_LINE = /^[A-Za-z0-9+/]{64}$/;

function passwords(dir: string): Secret[] {
	const file = path.join(dir, 'secrets.json');
	if (!fs.existsSync(file)) return [];
	const secrets = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
	return PURPOSES.filter(purpose => secrets[purpose]).map(purpose => ({lab: path.basename(dir), purpose, value: secrets[purpose]!}));
}

/** Each full line of every private key's PEM body: any one of them in a text is a key leaking, whole or in part. */
function privateKeyLines(dir: string): Secret[] {
	return KEY_FILES.flatMap(name => {
		const file = path.join(dir, 'tls', name);
		if (!fs.existsSync(file)) return [];
		const keys = fs.readFileSync(file, 'utf8').match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g) ?? [];
		return keys.flatMap(pem => pem.split('\n').filter(line => PEM_LINE.test(line.trim())).map(line => ({lab: path.basename(dir), purpose: `private key in tls/${name}`, value: line.trim()})));
	});
}

/** Read each time: a lab's secrets.json and keys appear at its first `lab up` and go with `lab destroy`. */
function knownSecrets(): Secret[] {
	return STATE_DIRS.flatMap(dir => [...passwords(dir), ...privateKeyLines(dir)]);
}

const findings: string[] = [];
/** Every password seen so far: `lab destroy` removes secrets.json, and its own output must still be checked. */
const remembered = new Map<string, Secret>();
let readAt = 0;
let scannedTexts = 0;

/** Reads the labs' secrets.json now (frames are scanned at 100 Hz, so otherwise at most once a second). */
export function rememberSecrets(): void {
	for (const secret of knownSecrets()) remembered.set(secret.value, secret);
	readAt = Date.now();
}

/** Records (and returns) every password found in `text`. */
export function scanForSecrets(where: string, text: string): string[] {
	if (Date.now() - readAt > 1000) rememberSecrets();
	scannedTexts++;
	const found = [...remembered.values()].filter(secret => text.includes(secret.value)).map(secret => `${secret.lab} ${secret.purpose} in ${where}`);
	findings.push(...found);
	return found;
}

export function secretFindings(): readonly string[] {
	return findings;
}

export function scannedCount(): number {
	return scannedTexts;
}

/** A file the product wrote (the event log), scanned whole. */
export function scanFile(where: string, file: string): string[] {
	return fs.existsSync(file) ? scanForSecrets(where, fs.readFileSync(file, 'utf8')) : [];
}
