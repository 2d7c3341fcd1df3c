/**
 * The labs' generated passwords must never reach a screen, a log or a command's output. Every text the suite
 * captures is passed through here; a finding names the password's purpose and where, never the password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Secret = {readonly lab: string; readonly purpose: string; readonly value: string};

const STATE_DIRS = ['patroni-tui-test-faults', 'patroni-tui-test-faultsync'].map(dir => path.join(os.tmpdir(), dir));
const PURPOSES = ['superuserPassword', 'replicationPassword', 'rewindPassword', 'restApiPassword'] as const;

/** Read each time: a lab's secrets.json appears at its first `lab up` and goes with `lab destroy`. */
function knownSecrets(): Secret[] {
	return STATE_DIRS.flatMap(dir => {
		const file = path.join(dir, 'secrets.json');
		if (!fs.existsSync(file)) return [];
		const secrets = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
		return PURPOSES.filter(purpose => secrets[purpose]).map(purpose => ({lab: path.basename(dir), purpose, value: secrets[purpose]!}));
	});
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
