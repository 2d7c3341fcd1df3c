import fs from 'node:fs';
import {frameCost} from '/work/main/scripts/bench/frame-cost.js';
const views = JSON.parse(fs.readFileSync('/tmp/bench-views.json', 'utf8'));
const [c, r] = [Number(process.argv[2]), Number(process.argv[3])];
const cost = await frameCost(views, {columns: c, rows: r}, 8);
console.log(`${c}x${r}`, cost.total.median.toFixed(1), cost.inkOutput.median.toFixed(1));
process.exit(0);
