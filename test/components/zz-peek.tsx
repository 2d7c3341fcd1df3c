/** @jsxRuntime automatic */
import {renderToString} from 'ink';
import {Dashboard} from '/work/main/components/dashboard.js';
import {healthySnapshot, LAG_HISTORY, EVENTS} from '/work/main/test/fixtures/snapshot-healthy.js';
import {degradedSnapshot} from '/work/main/test/fixtures/snapshot-degraded.js';
import {NO_SELECTION} from '/work/main/test/components/render-text.js';
const [cols, rows, which, focus, help] = process.argv.slice(2);
const snap = which === 'd' ? degradedSnapshot : healthySnapshot;
console.log(renderToString(<Dashboard snapshot={snap} lagHistory={LAG_HISTORY} events={EVENTS} focusedPane={(focus ?? 'members') as any} selection={{...NO_SELECTION, members: which === 'd' ? 0 : 2}} columns={+cols!} rows={+rows!} isReadOnly={false} isHelpOpen={help === 'h'} message={undefined} />, {columns: +cols!}));
