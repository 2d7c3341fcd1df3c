/**
 * What the foreign-cluster suite proved, gathered across its files (each runs in a process of its own) in one
 * JSON file and written by 99-report.test.ts into docs/reliability.md, below the fault suite's table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ForeignRow = {
	readonly order: number;
	/** etcd3-tls: the TLS cluster (30-tls.test.ts), on the v3 API. */
	readonly api: 'etcd3' | 'etcd2' | 'etcd3-tls';
	readonly case: string;
	/** What passing it proves, and with which outside tool. */
	readonly proves: string;
	readonly tookMs: number;
	readonly outcome: 'pass' | 'FAIL';
	readonly notes?: string;
};

export const FOREIGN_RESULTS_FILE = path.join(os.tmpdir(), 'patroni-tui-test-foreign-results.json');

type Results = {readonly startedAt: number; readonly rows: readonly ForeignRow[]};

export function readForeignResults(): Results {
	return fs.existsSync(FOREIGN_RESULTS_FILE) ? (JSON.parse(fs.readFileSync(FOREIGN_RESULTS_FILE, 'utf8')) as Results) : {startedAt: Date.now(), rows: []};
}

/** The first file starts a fresh table; a file run alone adds to whatever table is there. */
export function startForeignResults(): void {
	fs.writeFileSync(FOREIGN_RESULTS_FILE, JSON.stringify({startedAt: Date.now(), rows: []}));
}

function record(row: ForeignRow): void {
	const results = readForeignResults();
	const rows = results.rows.filter(existing => existing.case !== row.case || existing.api !== row.api);
	fs.writeFileSync(FOREIGN_RESULTS_FILE, JSON.stringify({...results, rows: [...rows, row]}, null, 2));
}

export type Notes = {text?: string};

/** Runs one case and records its row whatever happens; a failure's first line goes into the notes. */
export async function foreignCase(order: number, api: ForeignRow['api'], name: string, proves: string, body: (notes: Notes) => Promise<void>): Promise<void> {
	const started = Date.now();
	const notes: Notes = {};
	try {
		await body(notes);
		record({order, api, case: name, proves, tookMs: Date.now() - started, outcome: 'pass', ...(notes.text ? {notes: notes.text} : {})});
	} catch (error) {
		const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
		record({order, api, case: name, proves, tookMs: Date.now() - started, outcome: 'FAIL', notes: [notes.text, why].filter(Boolean).join('; ')});
		throw error;
	}
}

/** A file's set-up (lab up, cluster start, monitor start): a row only when it fails, since then no case runs. */
export async function foreignSetup(api: ForeignRow['api'], body: () => Promise<void>): Promise<void> {
	const started = Date.now();
	try {
		await body();
	} catch (error) {
		const why = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' ');
		record({order: 0, api, case: 'set-up: the test lab up, the cluster started, the monitor started', proves: 'nothing: no case of this API ran', tookMs: Date.now() - started, outcome: 'FAIL', notes: why});
		throw error;
	}
}

export function renderForeignSection(rows: readonly ForeignRow[], runtime: string): string {
	const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
	const apis: ReadonlyArray<ForeignRow['api']> = ['etcd3', 'etcd2', 'etcd3-tls'];
	const sorted = [...rows].sort((a, b) => apis.indexOf(a.api) - apis.indexOf(b.api) || a.order - b.order);
	const label = {etcd3: 'v3', etcd2: 'v2', 'etcd3-tls': 'v3 TLS'} as const;
	return [
		'## Foreign clusters: a cluster the lab did not make',
		'',
		'test/foreign/ builds its clusters without any code from `source/lab/`: Debian\'s etcd 3.4, Patroni 3.0.2 and',
		'PostgreSQL 15 as plain processes run as user postgres, on 127.0.0.1 ports no lab uses, REST basic auth on —',
		'scope `dummy` on etcd\'s v3 API and `dummy2` on its v2 API (`etcd --enable-v2`, Patroni\'s `etcd:` section),',
		'members named node1..3 like the test lab\'s containers `patroni-tui-labtest-node1..3`, which run on the same',
		'Docker engine meanwhile. The built command runs in tmux (160x48) with nothing but a minimal patronictl.yaml',
		'(scope, namespace, etcd hosts, `restapi.authentication`) and PGPASSWORD; every outcome is read with tools we',
		'did not write: Debian\'s patronictl, psql and etcdctl, the docker CLI, Patroni\'s REST API through Node\'s fetch.',
		'Scope `billing-tls` (members pg-a..pg-c, no lab beside it) runs every channel on TLS: etcd on https with',
		'`--client-cert-auth` and its root user, REST on https (`verify_client: optional`), PostgreSQL `hostssl` only;',
		'its patronictl.yaml carries etcd3\'s protocol, CA, client certificate and user, `ctl`\'s certificates and the',
		'superuser\'s `sslmode: verify-full`, as a user writes it.',
		'',
		'```sh',
		'npm run build && npm run test:foreign',
		'```',
		'',
		'| case | etcd API | took | outcome | proves | notes |',
		'|---|---|---:|---|---|---|',
		...sorted.map(row => `| ${cell(row.case)} | ${label[row.api]} | ${(row.tookMs / 1000).toFixed(1)} s | ${row.outcome} | ${cell(row.proves)} | ${cell(row.notes ?? '')} |`),
		'',
		`Generated ${new Date().toISOString()} by test/foreign/99-report.test.ts; the suite took ${runtime}.`,
		'',
	].join('\n');
}
