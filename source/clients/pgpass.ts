/**
 * libpq's password file (fe-connect.c, passwordFromFile, PostgreSQL 15): PGPASSFILE, else ~/.pgpass; lines of
 * host:port:database:user:password, `*` for any value, `\` escaping `:` and `\`, `#` starting a comment; the first
 * line that matches wins. A file group or others may read is ignored, as libpq ignores it. Our own reading rather
 * than pg's: pg's (the pgpass package) is deprecated and writes its warnings on the terminal the monitor draws on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type PgpassQuery = {readonly host: string; readonly port: number; readonly database: string; readonly user: string};

/** A password, or why the file gave none (said beside "no password" so the user knows it was looked at). */
export type PgpassAnswer = {readonly password?: string; readonly note?: string};

export function pgpassFile(env: NodeJS.ProcessEnv): string {
	return env['PGPASSFILE'] || path.join(env['HOME'] || os.homedir(), '.pgpass');
}

/** The rest of the line after `field` when the line's next field matches it, else undefined. */
function afterField(line: string, field: string): string | undefined {
	if (line.startsWith('*:')) return line.slice(2);
	let index = 0;
	let matched = 0;
	for (let isEscaped = false; index < line.length; index++) {
		const char = line[index]!;
		if (char === '\\' && !isEscaped) {
			isEscaped = true;
			continue;
		}
		if (char === ':' && !isEscaped) return matched === field.length ? line.slice(index + 1) : undefined;
		isEscaped = false;
		if (char !== field[matched]) return undefined;
		matched++;
	}
	return undefined;
}

/** The password field ends at an unescaped `:` (libpq's de-escaping). */
function unescapePassword(rest: string): string {
	let password = '';
	for (let index = 0; index < rest.length && rest[index] !== ':'; index++) {
		if (rest[index] === '\\' && index + 1 < rest.length) index++;
		password += rest[index];
	}
	return password;
}

export function pgpassPassword(query: PgpassQuery, env: NodeJS.ProcessEnv = process.env): PgpassAnswer {
	const file = pgpassFile(env);
	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
	} catch {
		return {};
	}
	if (!stat.isFile()) return {note: `${file} is not a plain file`};
	if ((stat.mode & 0o077) !== 0) return {note: `${file} was ignored: group or others may read it (chmod 0600)`};
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		return {note: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`};
	}
	const fields = [query.host, String(query.port), query.database, query.user];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\r$/, '');
		if (line === '' || line.startsWith('#')) continue;
		let rest: string | undefined = line;
		for (const field of fields) rest = rest === undefined ? undefined : afterField(rest, field);
		if (rest !== undefined) return {password: unescapePassword(rest)};
	}
	return {};
}
