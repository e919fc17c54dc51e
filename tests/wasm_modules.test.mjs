// The package's two wasm modules (scripts/package): revlens_bg.wasm, without the spreadsheet reader
// and built for size, is all a page fetches to open and report a CSV; revlens_full_bg.wasm, the
// whole engine built for speed, is fetched on demand for a spreadsheet or a large input.
//  - both give the same results, to the last digit, on the sample company;
//  - the small module turns a spreadsheet away with NO_SPREADSHEET_READER (js/core.js says so
//    before the call), the full one reads it, with the numbers of the same table as CSV;
//  - the size budget: revlens_bg.wasm ≤ 382,300 bytes gzipped (zlib level 9; issue 11's goal
//    was 350 KB, see BUDGET) to open and report a CSV;
//  - in Chromium, the page opens on the sample fetching only the small module, and fetches the
//    full one when an XLSX is dropped in, whose report it then shows.
// Needs pkg/ (scripts/package) and Chromium (scripts/setup).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { repoRoot } from './support/revlens-cli.mjs';
import { parseCsv, xlsx } from './support/xlsx.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.mjs';

const pkg = path.join(repoRoot, 'pkg');
const work = path.join(repoRoot, 'target', 'wasm-modules');
// Bytes of zlib level 9. Issue 11's goal was "≤ 350 KB of wasm fetched", met at ~327,000
// (bench/wasm_size.md: one shared copy of the standard sort and selection, no chrono format
// strings). This round's pipeline in time, snapshots and messages as data (codes and parameters
// beside every sentence) took it to 378,560 on 2026-12-07 (budget 385,000). The same day's third
// session took it to 390,529: zlib-measured builds of each merge give +3.4 KB for the ARIMA
// member's exact likelihood on short histories (issue 26; the page's forecast must equal the
// CLI's), +3.4 KB for HubSpot's default stage probabilities with their messages in two languages
// (issue 27), and 0 for the native parallel read (dead code in wasm). The budget is that plus
// 0.4%: a guard against further growth; winning the bytes back is left open (issue 30's work).
// The fifth session's merges took it to 392,638 (+2.1 KB, not measured merge by merge): the
// stage history's deals found once and shared (model::HistoryDeals, which made a 3.65M-row
// history 3.4× cheaper), the interval rule's conformal quantile, the history-file detection
// rule (budget 394,000). Issue 30's session won 11,658 bytes back, 392,658 (main at 492efa1
// built on its machine) -> 381,000, each cut measured alone (bench/wasm_size.md): one copy of the Nelder-Mead body for every
// objective (-3,339), the shared sort's small slices and permutation without a copy per element
// type (-1,121), one tokenizer body for every caller's error type (-656), the f64 sort through
// the shared sort (-1,390), a metric's counts inserted rather than collected into their map (a
// copy of the stable sort and the map's bulk build, -3,291), and wasm-opt -Oz run three times
// (-1,861). Nothing removed, no result changed. The budget is that plus 0.35%.
const BUDGET = 382_300;

let core; // pkg/core.js on the small module
let full; // the full module's glue, instantiated
let sample;

const headline = (report, id) => report.metrics.find((m) => m.id === id && m.period === undefined && m.by === undefined)?.value;

/** Equal, with NaN, null and undefined told apart. */
function assertSame(a, b, where) {
  if (Object.is(a, b)) return;
  assert.ok(a !== null && b !== null && typeof a === 'object' && typeof b === 'object', `${where}: ${a} vs ${b}`);
  assert.deepEqual(Object.keys(a), Object.keys(b), `${where}: keys`);
  for (const k of Object.keys(a)) assertSame(a[k], b[k], `${where}.${k}`);
}

/** The deals export of the sample company as an XLSX of the same cells. */
function dealsXlsx() {
  const deals = sample.find((f) => f.name === 'salesforce_opportunities.csv');
  return { name: 'salesforce_opportunities.xlsx', bytes: xlsx(parseCsv(new TextDecoder().decode(deals.bytes)).filter((r) => r.some((c) => c !== ''))), csv: deals };
}

before(async () => {
  for (const f of ['core.js', 'revlens.js', 'revlens_bg.wasm', 'revlens_full.js', 'revlens_full_bg.wasm']) {
    assert.ok(existsSync(path.join(pkg, f)), `pkg/${f} is missing: run scripts/package`);
  }
  // The browser entry's pieces, in Node: core.js over the small module's glue, as index.js sets it up.
  const small = await import(pathToFileURL(path.join(pkg, 'revlens.js')).href);
  small.initSync({ module: readFileSync(path.join(pkg, 'revlens_bg.wasm')) });
  core = await import(pathToFileURL(path.join(pkg, 'core.js')).href);
  core.markInitialised();
  full = await import(pathToFileURL(path.join(pkg, 'revlens_full.js')).href);
  full.initSync({ module: readFileSync(path.join(pkg, 'revlens_full_bg.wasm')) });
  sample = core.sampleFiles().map((f) => ({ name: f.name, bytes: f.bytes }));
});

test('the small module is within its size budget (382,300 bytes gzipped)', () => {
  const small = gzipSync(readFileSync(path.join(pkg, 'revlens_bg.wasm')), { level: 9 }).length;
  const whole = gzipSync(readFileSync(path.join(pkg, 'revlens_full_bg.wasm')), { level: 9 }).length;
  assert.ok(small <= BUDGET, `revlens_bg.wasm is ${small} bytes gzipped (budget ${BUDGET})`);
  assert.ok(whole > small, 'the full module holds more than the small one');
});

test('both modules give the same report, detections and forecast on the sample company', () => {
  assert.ok(sample.length >= 5, 'the small module carries the sample');
  assertSame(core.analyze(sample), full.analyze(sample), 'analyze');
  assertSame(core.analyze(sample, { grain: 'quarter' }), full.analyze(sample, { grain: 'quarter' }), 'analyze (quarter)');
  for (const f of sample) assertSame(core.detect(f.bytes, f.name), full.detect(f.bytes, f.name), `detect ${f.name}`);
  const series = Float64Array.from({ length: 40 }, (_, i) => 100 + 3 * i + 20 * Math.sin((2 * Math.PI * i) / 12));
  const a = core.forecast(series, { horizon: 6 });
  const b = full.forecast(series, { horizon: 6 });
  assert.equal(a.model, b.model);
  assert.deepEqual([...a.mean], [...b.mean]);
  assert.deepEqual([...a.hi95], [...b.hi95]);
});

test('the small module turns a spreadsheet away; the full one reads it with the numbers of the CSV', () => {
  const x = dealsXlsx();
  assert.equal(core.isSpreadsheet(x.bytes), true);
  assert.equal(core.isSpreadsheet(x.csv.bytes), false);
  const codeOf = (fn) => {
    try {
      fn();
      return 'no error';
    } catch (err) {
      return err.code;
    }
  };
  assert.equal(codeOf(() => core.detect(x.bytes, x.name)), 'NO_SPREADSHEET_READER');
  assert.equal(codeOf(() => core.analyze([x.csv, x])), 'NO_SPREADSHEET_READER');
  const streaming = new core.Analyzer();
  streaming.beginFile(x.name);
  assert.equal(codeOf(() => streaming.push(x.bytes)), 'NO_SPREADSHEET_READER');
  streaming.free();

  const fromXlsx = full.analyze([x]);
  const fromCsv = core.analyze([x.csv]);
  assert.equal(fromXlsx.quality.files[0].kind, 'deals');
  assert.equal(fromXlsx.quality.files[0].rows_used, fromCsv.quality.files[0].rows_used);
  for (const id of ['won_count', 'lost_count', 'open_count', 'bookings', 'win_rate', 'open_pipeline', 'sales_cycle_days_median']) {
    assert.equal(headline(fromXlsx, id), headline(fromCsv, id), id);
  }

  // Once the full module is in use, the same calls read it.
  core.useFullModule(full);
  assert.equal(core.detect(x.bytes, x.name).kind, 'deals');
  assert.equal(headline(core.analyze([x]), 'won_count'), headline(fromCsv, 'won_count'));
});

test('Chromium: the page opens on the small module and fetches the full one for an XLSX', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const x = dealsXlsx();
  const file = path.join(work, x.name);
  writeFileSync(file, x.bytes);
  const server = await startServer({ port: 0, mounts: { '/pkg/': pkg } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ locale: 'en-US' });
    const fetched = [];
    context.on('requestfinished', (r) => fetched.push(r.url()));
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    // Each file once, whoever fetched it (the analysis worker, or the service worker keeping a copy).
    const wasm = () => [...new Set(fetched.filter((u) => u.endsWith('.wasm')).map((u) => path.basename(new URL(u).pathname)))].sort();
    assert.deepEqual(wasm(), ['revlens_bg.wasm'], 'the sample opens on the small module alone');

    const n = await page.evaluate(() => Number(document.body.dataset.updates ?? 0));
    await page.setInputFiles('#file-input', [file]);
    await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', n, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.locator('#error').textContent());
    assert.deepEqual(wasm(), ['revlens_bg.wasm', 'revlens_full_bg.wasm'], 'the XLSX brought the full module');
    const won = await page.locator('.figure[data-metric="won_count"]').getAttribute('data-value');
    assert.equal(Number(won), headline(core.analyze([x.csv]), 'won_count'), 'the XLSX report shows the CSV numbers');
  } finally {
    await browser.close();
    await server.close();
  }
});
