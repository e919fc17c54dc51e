// Size and speed of wasm builds side by side (how the package's wasm-opt level and cargo profile
// were chosen): for each build, its raw and gzip -9 size, then the median time in Node of
// `detect` (ingest only) and `analyze` (the whole report) on one deals export.
//
//   node bench/wasm_opt.mjs DEALS.csv NAME=DIR/revlens.js [NAME=DIR/revlens.js …] [--reps 5]
//
// Each DIR/revlens.js is wasm-bindgen glue (--target web) with its .wasm beside it (e.g. pkg/,
// or wasm-opt's output of the same module copied next to a copy of the glue). The deals file:
// `revlens sample --out DIR --deals 100000` (its salesforce_opportunities.csv).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
let reps = 5;
const builds = [];
let deals = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--reps') reps = Number(args[++i]);
  else if (args[i].includes('=')) {
    const [name, glue] = args[i].split('=');
    builds.push({ name, glue: path.resolve(glue) });
  } else deals = path.resolve(args[i]);
}
if (!deals || builds.length === 0 || !(reps >= 1)) {
  console.error('usage: node bench/wasm_opt.mjs DEALS.csv NAME=DIR/revlens.js [...] [--reps 5]');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(deals));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

console.log(`${path.basename(deals)}: ${(bytes.length / 1e6).toFixed(1)} MB, ${reps} runs each (median)`);
console.log('| build | wasm raw | gzip -9 | detect | analyze | won deals |');
console.log('|---|---|---|---|---|---|');
// Builds take turns within each run, so a change in the machine's load hits them alike.
const files = [{ name: path.basename(deals), bytes }];
for (const b of builds) {
  b.module = await import(pathToFileURL(b.glue).href);
  b.wasm = readFileSync(b.glue.replace(/\.js$/, '_bg.wasm'));
  b.module.initSync({ module: b.wasm });
  b.detect = [];
  b.analyze = [];
}
for (let r = 0; r < reps; r += 1) {
  for (const b of builds) {
    b.detect.push(time(() => b.module.detect(bytes, path.basename(deals))));
    b.analyze.push(time(() => {
      const report = b.module.analyze(files);
      b.won = report.metrics.find((m) => m.id === 'won_count' && m.period === undefined && m.by === undefined)?.value;
    }));
  }
}
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
for (const b of builds) {
  console.log(`| ${b.name} | ${kib(b.wasm.length)} | ${kib(gzipSync(b.wasm, { level: 9 }).length)} | ${median(b.detect).toFixed(0)} ms | ${median(b.analyze).toFixed(0)} ms | ${b.won} |`);
}
