// Peak WebAssembly memory of a whole report, per input byte: what decides how large an export the
// page can take (wasm32 stops at 4 GiB of linear memory, and a wasm memory never shrinks, so its
// size after the call is its peak).
//
//   node bench/wasm_memory.mjs [--pkg pkg] FILE…          # each mode in a fresh Node process
//
// Two ways in, as the package offers them:
//  - stream: the worker's way (`Analyzer`: beginFile, push 1 MiB chunks, finish), what the page
//    and <revlens-report> use: the file is never whole in wasm memory.
//  - analyze: `analyze([{ name, bytes }])`, the main API: the bytes are read from the caller's
//    arrays a 1 MiB chunk at a time (before 2026-12-01 they were copied into wasm memory whole,
//    beside the columns: 2.6–2.7 bytes per input byte instead of 1.6–1.7).
// Both run the full module (`revlens_full_bg.wasm`, what the worker loads for inputs of 4 MiB or
// more) with the report's default options (10,000 Monte Carlo runs). The JS side's own copies
// (the File's bytes, the Uint8Array given to `analyze`) are not in these figures; `rss` is the Node
// process's peak resident memory, for scale.
import { spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1 << 20;

function parseArgs(argv) {
  const opts = { pkg: path.join(here, '..', 'pkg'), mode: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pkg') opts.pkg = path.resolve(argv[++i]);
    else if (a === '--mode') opts.mode = argv[++i];
    else if (a === '--help') {
      console.log('node bench/wasm_memory.mjs [--pkg DIR] FILE…');
      process.exit(0);
    } else opts.files.push(path.resolve(a));
  }
  if (opts.files.length === 0) throw new Error('give one or more exports (e.g. from `revlens sample --deals 100000`)');
  return opts;
}

/** One measurement in this process: prints a JSON line. */
async function measure({ pkg, mode, files }) {
  const glue = await import(pathToFileURL(path.join(pkg, 'revlens_full.js')).href);
  const exports = glue.initSync({ module: readFileSync(path.join(pkg, 'revlens_full_bg.wasm')) });
  const memory = exports.memory;
  const before = memory.buffer.byteLength;
  const input = files.reduce((s, f) => s + statSync(f).size, 0);
  const started = performance.now();
  let report;
  if (mode === 'analyze') {
    const list = files.map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));
    report = glue.analyze(list, undefined);
  } else {
    const analysis = new glue.StreamingAnalysis(undefined);
    const chunk = Buffer.allocUnsafe(MiB);
    for (const f of files) {
      analysis.beginFile(path.basename(f), statSync(f).size); // as the worker does, from File.size
      const fd = openSync(f, 'r');
      for (let n; (n = readSync(fd, chunk, 0, MiB, null)) > 0; ) analysis.push(chunk.subarray(0, n));
      closeSync(fd);
    }
    report = analysis.finish();
  }
  const ms = performance.now() - started;
  const after = memory.buffer.byteLength;
  const rows = report.files.reduce((s, f) => s + f.rows_read, 0);
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ mode, input, rows, wasm_before: before, wasm_after: after, rss, ms: Math.round(ms) }));
}

const opts = parseArgs(process.argv.slice(2));
if (opts.mode) {
  await measure(opts);
} else {
  const self = fileURLToPath(import.meta.url);
  const total = opts.files.reduce((s, f) => s + statSync(f).size, 0);
  console.log(`${opts.files.length} file(s), ${(total / 1e6).toFixed(1)} MB: ${opts.files.map((f) => path.basename(f)).join(', ')}`);
  console.log('| mode | input MB | rows | wasm memory after | per input byte | Node peak RSS | ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const mode of ['stream', 'analyze']) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--pkg', opts.pkg, '--mode', mode, ...opts.files], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`| ${mode} | failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')} |`);
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop());
    const mib = (b) => `${(b / MiB).toFixed(0)} MiB`;
    console.log(`| ${mode} | ${(m.input / 1e6).toFixed(1)} | ${m.rows} | ${mib(m.wasm_after)} | ${(m.wasm_after / m.input).toFixed(2)} | ${mib(m.rss)} | ${m.ms} |`);
  }
}
