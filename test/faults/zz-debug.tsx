import path from 'node:path';
import {startDockerRelay} from './docker-proxy.js';
import {FAULT_LAB, monitorConfig, docker, ensureLab} from './fault-lab.js';
import {isHealthyFrame} from './frame-text.js';
import {startHeadless} from './headless.js';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const status = await ensureLab(FAULT_LAB);
const relay = await startDockerRelay('/tmp/zz-debug-docker.sock');
const app = startHeadless(monitorConfig(FAULT_LAB, {logFile: '/tmp/zz-debug.log', dockerSocket: relay.path}));
const healthy = (f: string) => isHealthyFrame(f, ['node1', 'node2', 'node3']);
await app.recorder.waitFor('healthy', healthy, 0, 60000);
const mode = process.argv[2];
if (mode === 'docker') { await relay.cut(); await sleep(15000); await relay.restore(); }
if (mode === 'etcd') { await docker(['pause', status.etcd.container!.id]); await sleep(20000); await docker(['unpause', status.etcd.container!.id]); }
if (mode === 'etcdstop') { await docker(['stop', '-t', '2', status.etcd.container!.id]); await sleep(10000); await docker(['start', status.etcd.container!.id]); }
await app.recorder.waitFor('healthy', healthy, performance.now(), 120000);
console.log('healthy again');
const keep = setInterval(() => console.log('resources', process.getActiveResourcesInfo().join(',')), 2000);
app.recorder.stop(); app.ui.unmount(); console.log('unmounted');
await app.runner.stop(); console.log('runner stopped');
await app.monitor.stop(); console.log('monitor stopped');
await relay.close(); console.log('relay closed');
clearInterval(keep);
