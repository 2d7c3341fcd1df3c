import fs from 'node:fs';
import {frameCost} from './frame-cost.js';
const Output = (await import('/work/main/node_modules/ink/build/output.js' as string)).default;
let writes = 0, chars = 0, getMs = 0, gets = 0, clipped = 0;
const w = Output.prototype.write; Output.prototype.write = function (x: number, y: number, text: string, o: unknown) { writes++; chars += text.length; return w.call(this, x, y, text, o); };
const c = Output.prototype.clip; Output.prototype.clip = function (clip: unknown) { clipped++; return c.call(this, clip); };
const g = Output.prototype.get; Output.prototype.get = function () { const t = performance.now(); const r = g.call(this); getMs += performance.now() - t; gets++; return r; };
const views = JSON.parse(fs.readFileSync('/tmp/bench-views.json', 'utf8'));
for (const [cols, rows] of [[80, 24], [120, 40], [200, 50]]) {
	writes = chars = getMs = gets = clipped = 0;
	const cost = await frameCost(views, {columns: cols!, rows: rows!}, 4);
	console.log(`${cols}x${rows} total ${cost.total.median.toFixed(1)} inkOutput ${cost.inkOutput.median.toFixed(1)} | per frame: writes ${(writes / gets).toFixed(0)} chars ${(chars / gets).toFixed(0)} clips ${(clipped/gets).toFixed(0)} Output.get ${(getMs / gets).toFixed(1)} ms`);
}
process.exit(0);
