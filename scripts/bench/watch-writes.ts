/**
 * An observer outside the monitor (a process of its own, so a busy render cannot delay its clock): watches etcd
 * prefixes and prints one JSON line per write, stamped the moment the event arrives.
 * Usage: node watch-writes.js http://127.0.0.1:13079 /service/bench/ [/service/other/ ...]
 */
import {Etcd3} from 'etcd3';

const [endpoint, ...prefixes] = process.argv.slice(2);
const client = new Etcd3({hosts: endpoint!});
for (const prefix of prefixes) {
	const watcher = await client.watch().prefix(prefix).create();
	watcher.on('put', kv => {
		const at = performance.timeOrigin + performance.now();
		process.stdout.write(JSON.stringify({at, key: kv.key.toString(), value: kv.value.toString()}) + '\n');
	});
	watcher.on('delete', kv => {
		const at = performance.timeOrigin + performance.now();
		process.stdout.write(JSON.stringify({at, key: kv.key.toString(), deleted: true}) + '\n');
	});
}
process.stdout.write(JSON.stringify({ready: true}) + '\n');
process.on('SIGTERM', () => {
	client.close();
	process.exit(0);
});
