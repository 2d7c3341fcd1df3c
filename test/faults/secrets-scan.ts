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
let cache: {at: number; secrets: Secret[]} | undefined;
let scannedTexts = 0;

/** Records (and returns) every password found in `text`; frames are scanned at 100 Hz, so the list is cached 1 s. */
export function scanForSecrets(where: string, text: string): string[] {
	if (!cache || Date.now() - cache.at > 1000) cache = {at: Date.now(), secrets: knownSecrets()};
	scannedTexts++;
	const found = cache.secrets.filter(secret => text.includes(secret.value)).map(secret => `${secret.lab} ${secret.purpose} in ${where}`);
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
