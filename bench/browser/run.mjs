// The browser benchmark: revlens (wasm) vs Papa Parse vs DuckDB-WASM, in headless Chromium, on
// the same CSV bytes: a Salesforce-style opportunities report written by
// `target/release/revlens sample --deals N`.
//
//   node bench/browser/run.mjs [--deals 10000,100000,1000000] [--reps 5] [--warmup 1]
//                              [--cases revlens.detect,papa.header,…] [--pkg pkg] [--port 0]
//
// Measures (1) parsing only and (2) a query: won bookings and win rate per owner. Each case runs
// in a fresh browser (so the renderer's peak RSS belongs to that case alone): warm-up
// repetitions, then `--reps` timed ones; it reports the median and the minimum, MB/s, the
// renderer's peak RSS (VmHWM: includes DuckDB's worker, every wasm memory and the page's copy of
// the CSV, and the shared pages of Chromium's binary the renderer touched), its peak private
// footprint (RssAnon + VmSwap, sampled: Chromium's own measure, see ../renderer_memory.mjs) and
// how much the JS heap grew over the call (output still held). Then it checks that
// the engines agree on the row count, the total won amount and each owner's bookings and win
// rate, and prints a Markdown table (also written, with every figure, to
// target/bench-browser/results.{md,json}); it exits 1 when they disagree.
//
// Needs: pkg/ (or --pkg DIR; scripts/package or wasm-pack build --target web --out-dir pkg),
// target/release/revlens (cargo build --release), the npm devDependencies (scripts/setup:
// playwright-core, papaparse, @duckdb/duckdb-wasm) and /usr/bin/chromium. Nothing is fetched
// from another origin: the libraries are copied from node_modules into
// target/bench-browser/site/vendor/ (git-ignored) and served from localhost.
//
// This is a benchmark, not a test: scripts/test does not run it.
import { spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS as BASE_CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';
import { browserPid, sampleRenderers } from '../renderer_memory.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const work = path.join(repoRoot, 'target', 'bench-browser');
const site = path.join(work, 'site');
const dataRoot = path.join(work, 'data');
const nodeModules = path.join(repoRoot, 'node_modules');
const CSV_NAME = 'salesforce_opportunities.csv';

const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  // Unquantised performance.memory, and gc() between repetitions (untimed).
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

// id → [engine, task, label]
const CASES = {
  'revlens.detect': ['revlens', 'parse', 'revlens `detect(bytes, name)` (whole file → columns + quality report)'],
  'papa.header': ['papa', 'parse', 'Papa Parse `header: true` (decode + parse → row objects)'],
  'papa.array': ['papa', 'parse', 'Papa Parse `header: false` (decode + parse → row arrays)'],
  'papa.worker': ['papa', 'parse', 'Papa Parse `header: true, worker: true` (rows cloned back to the page)'],
  'duckdb.table': ['duckdb', 'parse', 'DuckDB-WASM `CREATE TABLE … AS SELECT * FROM read_csv_auto(…)`'],
  'revlens.analyze': ['revlens', 'query', 'revlens `analyze` — the whole report (10,000 Monte Carlo runs)'],
  'revlens.analyze.nosim': ['revlens', 'query', 'revlens `analyze` — the whole report, `simulations: 0`'],
  'revlens.worker': ['revlens', 'query', 'revlens `RevlensWorker.analyze([file])` — the whole report in one worker'],
  'revlens.workers2': ['revlens', 'query', 'revlens `RevlensWorker.analyze([file])` — the whole report in two workers'],
  'papa.loop': ['papa', 'query', 'Papa Parse `header: true` + a JS loop'],
  'duckdb.sql': ['duckdb', 'query', 'DuckDB-WASM `GROUP BY` over `read_csv_auto` (from the bytes)'],
  'duckdb.loaded': ['duckdb', 'query', 'DuckDB-WASM `GROUP BY` on the table already loaded (query alone)'],
};

function parseArgs(argv) {
  const opts = { deals: [10000, 100000, 1000000], reps: 5, warmup: 1, cases: Object.keys(CASES), port: 0, pkg: path.join(repoRoot, 'pkg') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--deals') opts.deals = value().split(',').map((s) => Number(s.replaceAll('_', '')));
    else if (a === '--reps') opts.reps = Number(value());
    else if (a === '--warmup') opts.warmup = Number(value());
    else if (a === '--cases') opts.cases = value().split(',');
    else if (a === '--port') opts.port = Number(value());
    else if (a === '--pkg') opts.pkg = path.resolve(value());
    else if (a === '--help' || a === '-h') {
      console.log('node bench/browser/run.mjs [--deals 10000,100000,1000000] [--reps 5] [--warmup 1] [--cases id,…] [--pkg DIR] [--port 0]');
      console.log(`cases: ${Object.keys(CASES).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const n of opts.deals) if (!Number.isInteger(n) || n < 1) throw new Error(`--deals: bad count ${n}`);
  if (!(opts.reps >= 1)) throw new Error('--reps must be at least 1');
  for (const c of opts.cases) if (!CASES[c]) throw new Error(`unknown case ${c} (known: ${Object.keys(CASES).join(', ')})`);
  return opts;
}

// ---- Inputs --------------------------------------------------------------------------------

/** The opportunities export of the sample company with n deals (written once, then reused). */
function sampleCsv(n) {
  const dir = path.join(dataRoot, `deals-${n}`);
  const file = path.join(dir, CSV_NAME);
  if (existsSync(file)) return file;
  const cli = path.join(repoRoot, 'target', 'release', 'revlens');
  if (!existsSync(cli)) throw new Error(`${cli} missing: run cargo build --release`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.error(`generating the sample with ${n} deals…`);
  const r = spawnSync(cli, ['sample', '--out', tmp, '--deals', String(n)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`revlens sample --deals ${n} failed`);
  mkdirSync(dir, { recursive: true });
  renameSync(path.join(tmp, CSV_NAME), file); // only the deals file is used; the rest is large
  rmSync(tmp, { recursive: true, force: true });
  return file;
}

function copyDir(from, to, filter = () => true) {
  cpSync(from, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || filter(src) });
}

/** The page, the wasm package and the libraries, copied into target/bench-browser/site/. */
function prepareSite(pkg) {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  for (const f of ['index.html', 'bench.mjs']) cpSync(path.join(here, f), path.join(site, f));
  copyDir(pkg, path.join(site, 'revlens'));
  const need = (p) => {
    const full = path.join(nodeModules, p);
    if (!existsSync(full)) throw new Error(`${full} missing: run scripts/setup (npm ci)`);
    return full;
  };
  const duck = need('@duckdb/duckdb-wasm/dist');
  mkdirSync(path.join(site, 'vendor', 'duckdb'), { recursive: true });
  for (const f of ['duckdb-browser.mjs', 'duckdb-browser-eh.worker.js', 'duckdb-eh.wasm']) {
    cpSync(path.join(duck, f), path.join(site, 'vendor', 'duckdb', f));
  }
  // duckdb-browser.mjs imports apache-arrow, which imports tslib and flatbuffers (import map).
  copyDir(need('apache-arrow'), path.join(site, 'vendor', 'apache-arrow'), (f) => f.endsWith('.mjs'));
  cpSync(need('tslib/tslib.es6.mjs'), path.join(site, 'vendor', 'tslib', 'tslib.es6.mjs'));
  copyDir(need('flatbuffers/mjs'), path.join(site, 'vendor', 'flatbuffers', 'mjs'), (f) => f.endsWith('.js'));
  cpSync(need('papaparse/papaparse.min.js'), path.join(site, 'vendor', 'papaparse', 'papaparse.min.js'));
}

/**
 * Waits until `pkg` is a finished package: its package.json written and no file changed for
 * 15 s (scripts/package rewrites pkg/ while a build runs; a half-written one must not be copied).
 */
async function settledPackage(pkg) {
  const deadline = Date.now() + 10 * 60_000;
  for (let said = false; ; said = true) {
    const ready = existsSync(path.join(pkg, 'package.json')) && existsSync(path.join(pkg, 'revlens_bg.wasm'));
    const newest = ready ? Math.max(...readdirSync(pkg).map((f) => statSync(path.join(pkg, f)).mtimeMs)) : Infinity;
    if (ready && Date.now() - newest > 15_000) return statSync(path.join(pkg, 'revlens_bg.wasm')).size;
    if (Date.now() > deadline) throw new Error(`${pkg} is not a finished package: run scripts/package (or wasm-pack build --target web --out-dir pkg)`);
    if (!said) console.error(`waiting for ${path.relative(repoRoot, pkg) || pkg} to be a finished package (a build is writing it)…`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

function npmVersion(name) {
  return JSON.parse(readFileSync(path.join(nodeModules, name, 'package.json'), 'utf8')).version;
}

// ---- Server --------------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
};

/** Serves site/ at / and the CSVs at /data/<n>.csv, on 127.0.0.1 only. */
function startServer(port, files) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = null;
    const data = url.pathname.match(/^\/data\/(\d+)\.csv$/);
    if (data) file = files.get(Number(data[1])) ?? null;
    else {
      const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
      const full = path.join(site, path.normalize(rel));
      if (full.startsWith(site + path.sep) && existsSync(full) && statSync(full).isFile()) file = full;
    }
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// ---- One case in a fresh browser -----------------------------------------------------------

async function runCase(baseUrl, caseId, n, bytes, opts) {
  const [engine] = CASES[caseId];
  const tag = `--revlens-bench=${process.pid}-${caseId}-${n}-${Date.now()}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, tag] });
  try {
    const page = await browser.newPage();
    const memory = sampleRenderers(browserPid(tag));
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(`${baseUrl}/index.html`);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
    const version = await page.evaluate((e) => window.bench.load(e), engine);
    const length = await page.evaluate(([url, name]) => window.bench.fetchData(url, name), [`${baseUrl}/data/${n}.csv`, CSV_NAME]);
    if (length !== bytes) throw new Error(`the page got ${length} bytes, the file has ${bytes}`);
    let out;
    try {
      out = await page.evaluate(([id, warmup, reps]) => window.bench.run(id, { warmup, reps }), [caseId, opts.warmup, opts.reps]);
    } catch (err) {
      memory.stop();
      return { caseId, n, bytes, engine, version, error: String(err.message ?? err).split('\n')[0], pageErrors };
    }
    const { hwm: peakRss, footprint: peakFootprint } = memory.stop();
    return { caseId, n, bytes, engine, version, ...out, peakRss, peakFootprint, pageErrors };
  } finally {
    await browser.close();
  }
}

// ---- Statistics, cross-check, table --------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const MB = 1e6;
const MiB = 1024 * 1024;

function fmtMs(ms) {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Do the engines agree? Rows everywhere; won amount and per-owner figures for the query. */
function crossCheck(results) {
  const lines = [];
  let ok = true;
  const bySize = new Map();
  for (const r of results) if (!r.error) (bySize.get(r.n) ?? bySize.set(r.n, []).get(r.n)).push(r);
  for (const [n, rs] of bySize) {
    const rows = rs.map((r) => `${r.caseId}=${r.summary.rows}`);
    const distinct = new Set(rs.map((r) => r.summary.rows));
    if (distinct.size !== 1) ok = false;
    lines.push(`${n} deals: rows ${distinct.size === 1 ? 'agree' : 'DISAGREE'}: ${rows.join(', ')}`);
    const queries = rs.filter((r) => r.summary.wonAmount !== undefined);
    if (queries.length === 0) continue;
    const ref = queries[0].summary;
    const won = queries.map((r) => `${r.caseId}=${r.summary.wonAmount.toFixed(2)}`);
    const wonOk = queries.every((r) => Math.abs(r.summary.wonAmount - ref.wonAmount) <= 1e-9 * Math.max(1, Math.abs(ref.wonAmount)));
    if (!wonOk) ok = false;
    lines.push(`${n} deals: total won amount ${wonOk ? 'agrees' : 'DISAGREES'}: ${won.join(', ')}`);
    // Per owner: bookings and win rate.
    let worstWon = 0;
    let worstRate = 0;
    let ownersOk = true;
    const names = new Set(Object.keys(ref.owners));
    for (const r of queries) {
      const o = r.summary.owners;
      const keys = new Set(Object.keys(o));
      if (keys.size !== names.size || [...names].some((k) => !keys.has(k))) ownersOk = false;
      for (const k of names) {
        if (!o[k]) continue;
        worstWon = Math.max(worstWon, Math.abs((o[k].won ?? 0) - (ref.owners[k].won ?? 0)));
        if (o[k].winRate !== null && ref.owners[k].winRate !== null) worstRate = Math.max(worstRate, Math.abs(o[k].winRate - ref.owners[k].winRate));
        else if (o[k].winRate !== ref.owners[k].winRate) ownersOk = false;
      }
    }
    const agree = ownersOk && worstWon <= 1e-6 && worstRate <= 1e-12;
    if (!agree) ok = false;
    lines.push(
      `${n} deals: ${names.size} owners, bookings and win rate per owner ${agree ? 'agree' : 'DISAGREE'} ` +
        `(largest difference: ${worstWon.toExponential(1)} in bookings, ${worstRate.toExponential(1)} in win rate; owner sets ${ownersOk ? 'equal' : 'differ'})`,
    );
  }
  return { ok, lines };
}

function table(results, task) {
  const rows = results.filter((r) => CASES[r.caseId][1] === task);
  const out = [
    '| deals (CSV MB) | engine and call | median | min | MB/s (median) | ÷ DuckDB-WASM (median) | peak renderer RSS | peak private footprint | JS heap growth |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  // The ratio to DuckDB-WASM's figure for the same task and size, from this run.
  const duckId = task === 'parse' ? 'duckdb.table' : 'duckdb.sql';
  for (const r of rows) {
    const size = `${r.n.toLocaleString('en-US')} (${(r.bytes / MB).toFixed(1)})`;
    const label = CASES[r.caseId][2];
    if (r.error) {
      out.push(`| ${size} | ${label} | failed: ${r.error.replaceAll('|', '\\|')} | | | | | | |`);
      continue;
    }
    const med = median(r.times);
    const min = Math.min(...r.times);
    const mbps = r.caseId === 'duckdb.loaded' ? '—' : (r.bytes / MB / (med / 1000)).toFixed(0);
    const rss = r.peakRss ? `${(r.peakRss / MiB).toFixed(0)} MiB` : '—';
    const footprint = r.peakFootprint ? `${(r.peakFootprint / MiB).toFixed(0)} MiB` : '—';
    // JS heap growth over the call, output still referenced. DuckDB's data lives in its worker's
    // wasm memory (and the bytes it is given are transferred away), so only RSS tells there.
    const growth = r.heapAfter?.map((h, i) => h - r.heapBefore[i]);
    const heap = r.engine === 'duckdb' || growth?.[0] == null ? '—' : `${(median(growth) / MiB).toFixed(0)} MiB`;
    const duck = results.find((d) => d.caseId === duckId && d.n === r.n && !d.error);
    const ratio = duck && r.caseId !== 'duckdb.loaded' ? `${(med / median(duck.times)).toFixed(2)}×` : '—';
    out.push(`| ${size} | ${label} | ${fmtMs(med)} | ${fmtMs(min)} | ${mbps} | ${ratio} | ${rss} | ${footprint} | ${heap} |`);
  }
  return out.join('\n');
}

// Where revlens's time goes in the browser: report.timings (ms per stage) of the last timed
// `analyze` at each size, one column per size.
function stageTable(results) {
  const rs = results.filter((r) => r.caseId === 'revlens.analyze' && r.summary?.timings);
  if (rs.length === 0) return '(no revlens.analyze run with timings)';
  const stages = [...new Set(rs.flatMap((r) => r.summary.timings.stages.map((s) => s.stage)))];
  const head = rs.map((r) => `${r.n.toLocaleString('en-US')} deals`);
  const out = [`| stage | ${head.join(' | ')} |`, `|---|${head.map(() => '---|').join('')}`];
  const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  for (const st of stages) {
    out.push(`| ${st} | ${rs.map((r) => ms(r.summary.timings.stages.find((s) => s.stage === st)?.ms ?? 0)).join(' | ')} |`);
  }
  out.push(`| **total** | ${rs.map((r) => `**${ms(r.summary.timings.total_ms)}**`).join(' | ')} |`);
  return out.join('\n');
}

function machine(chromiumVersion) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' }).stdout.trim();
  const mem = readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return { nproc, model, memGiB: mem ? (Number(mem[1]) / 1024 / 1024).toFixed(0) : '?', chromium: chromiumVersion, node: process.version, load };
}

// ---- Main ----------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = new Map();
  for (const n of opts.deals) files.set(n, sampleCsv(n));
  const wasmBytes = await settledPackage(opts.pkg);
  prepareSite(opts.pkg);
  const server = await startServer(opts.port, files);
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' built')[0];
  const env = machine(chromiumVersion);
  const started = new Date();
  console.error(`machine: ${env.nproc} cores, ${env.model}, ${env.memGiB} GiB; ${env.chromium}; load ${env.load}`);
  const results = [];
  try {
    for (const n of opts.deals) {
      const bytes = statSync(files.get(n)).size;
      for (const caseId of opts.cases) {
        const t0 = Date.now();
        const r = await runCase(baseUrl, caseId, n, bytes, opts);
        results.push(r);
        const shown = r.error ? `failed: ${r.error}` : `median ${fmtMs(median(r.times))}, min ${fmtMs(Math.min(...r.times))}`;
        console.error(`${n} deals ${caseId}: ${shown} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        if (r.pageErrors?.length) console.error(`  page errors: ${r.pageErrors.join(' | ')}`);
      }
    }
  } finally {
    server.close();
  }
  const check = crossCheck(results);
  const versions = {
    revlens: results.find((r) => r.engine === 'revlens')?.version,
    papaparse: npmVersion('papaparse'),
    duckdb: `${npmVersion('@duckdb/duckdb-wasm')} (DuckDB ${results.find((r) => r.engine === 'duckdb')?.version ?? '?'})`,
  };
  const endLoad = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const md = [
    `Browser benchmark, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${env.nproc} cores (${env.model}), ${env.memGiB} GiB, ` +
      `${env.chromium} headless, Node ${env.node}; load average ${env.load} at the start, ${endLoad} at the end.`,
    `revlens ${versions.revlens} (${path.relative(repoRoot, opts.pkg) || opts.pkg}/, ${(wasmBytes / 1024).toFixed(0)} KiB of wasm), Papa Parse ${versions.papaparse}, DuckDB-WASM ${versions.duckdb}. ` +
      `${opts.warmup} warm-up + ${opts.reps} timed runs per case, each case in a fresh browser.`,
    '',
    '**Parse only** (the same bytes in; rows out)',
    '',
    table(results, 'parse'),
    '',
    '**Query: won bookings and win rate per owner** (from the bytes, except the last DuckDB line)',
    '',
    table(results, 'query'),
    '',
    '**Where revlens `analyze` spends its time** (`report.timings`, ms, the last timed run at each size)',
    '',
    stageTable(results),
    '',
    '**Cross-check**',
    '',
    ...check.lines.map((l) => `- ${l}`),
  ].join('\n');
  console.log(md);
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'results.md'), `${md}\n`);
  writeFileSync(path.join(work, 'results.json'), `${JSON.stringify({ started, env, endLoad, versions, opts, results, check }, null, 2)}\n`);
  console.error(`written: ${path.relative(repoRoot, path.join(work, 'results.md'))}, results.json`);
  if (!check.ok) {
    console.error('the engines disagree: see the cross-check');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
