import {renderToString} from 'ink';
import {Dashboard} from '../../components/dashboard.js';
import {healthySnapshot} from '../../test/fixtures/snapshot-healthy.js';
const props = (i: number) => ({snapshot: {...healthySnapshot, at: healthySnapshot.at + i}, lagHistory: {}, events: [], focusedPane: 'members' as const, selection: {members:0,lag:0,timeline:0,etcd:0,haproxy:0,containers:0,events:0,operations:0}, columns: 200, rows: 50, isReadOnly: false, isHelpOpen: false});
for (const [c, r] of [[80, 24], [200, 50]]) {
  const times: number[] = [];
  for (let i = 0; i < 60; i++) { const t = performance.now(); renderToString(<Dashboard {...props(i)} columns={c} rows={r} />, {columns: c}); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(`${c}x${r}: median ${times[30].toFixed(1)} ms p95 ${times[57].toFixed(1)} ms`);
}
