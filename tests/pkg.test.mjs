// The npm package (pkg/, built by scripts/package) through its Node entry: the API as a JS
// caller sees it, the same report and forecast as the native CLI, streaming, typed arrays,
// coded errors, and recovery after a panic.
// Needs pkg/ and target/release/revlens (scripts/test builds both first).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, revlens as revlensCli, revlensJson } from './support/revlens-cli.mjs';

const pkgDir = path.join(repoRoot, 'pkg');
const work = path.join(repoRoot, 'target', 'pkg-test');
let revlens;

const DEALS = [
  'Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date',
  'D-1,Acme renewal,Acme,Ann,Closed Won,1000,2024-01-05,2024-02-01',
  'D-2,Beta new,Beta,Bo,Closed Lost,500,2024-01-10,2024-03-01',
  'D-3,Gamma pilot,Gamma,Ann,Prospecting,700,2024-02-01,2024-06-30',
  'D-4,Delta,Delta,Bo,Closed Won,300,2024-02-11,2024-03-15',
  'D-5,"Epsilon, Inc.",Epsilon,Bo,Closed Won,lots,2024-02-12,2024-03-16',
  '',
].join('\n');
const LEADS = ['Lead ID,Email,Created Date,Lead Source,Status', 'L-1,a@example.com,2024-01-01,Web,Open', ''].join('\n');
const bytes = (text) => new TextEncoder().encode(text);

before(async () => {
  assert.ok(existsSync(path.join(pkgDir, 'index.node.js')), 'pkg/ is missing: run scripts/package');
  revlens = await import(pathToFileURL(path.join(pkgDir, 'index.node.js')).href);
  await revlens.init();
});

test('version is the crate version', () => {
  const cargoVersion = readFileSync(path.join(repoRoot, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(revlens.version(), cargoVersion);
});

test('detect takes a Uint8Array and returns a plain object', () => {
  const r = revlens.detect(bytes(DEALS), 'deals.csv');
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.equal(r.kind, 'deals');
  assert.equal(r.source, 'salesforce');
  assert.equal(r.rows_read, 5);
  assert.equal(r.rows_used, 4);
  assert.equal(r.rows_rejected, 1);
  assert.deepEqual(r.rejected[0].lines, [6]);
  assert.equal(r.columns.find((c) => c.header === 'Amount').field, 'amount');
});

test('table gives the first records as decoded cells with their lines, as the CLI table does', () => {
  // A title line above the header, `;` as delimiter, a quoted cell holding the delimiter and a quote.
  const text = 'Pipeline export\nName;Amount\n"A; B";1\n"say ""hi""";2\nC;3\n';
  const rows = revlens.table(bytes(text), 'x.csv', null, 3);
  assert.deepEqual(rows, [
    { line: 1, cells: ['Pipeline export'] },
    { line: 2, cells: ['Name', 'Amount'] },
    { line: 3, cells: ['A; B', '1'] },
  ]);
  assert.equal(revlens.table(bytes(text), 'x.csv').length, 5, 'maxRows defaults to 20: every record of a short file');
  assert.deepEqual(revlens.table(bytes(text), 'x.csv', null, 0), []);
  for (const bad of [-1, 1.5, '3']) assert.throws(() => revlens.table(bytes(text), 'x.csv', null, bad), { code: 'BAD_INPUT' });
  assert.throws(() => revlens.table('text', 'x.csv'), { code: 'BAD_INPUT' });
  assert.throws(() => revlens.table(bytes('PK\u0003\u0004 not a workbook'), 'x.xlsx'), { code: 'BAD_SPREADSHEET' });
});

test('analyze gives the same report as the CLI', () => {
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'deals.csv'), DEALS);
  writeFileSync(path.join(work, 'leads.csv'), LEADS);
  const fromWasm = revlens.analyze([
    { name: 'deals.csv', bytes: bytes(DEALS) },
    { name: 'leads.csv', bytes: bytes(LEADS) },
  ]);
  const fromCli = revlensJson(['report', path.join(work, 'deals.csv'), path.join(work, 'leads.csv')]);
  assert.deepEqual(JSON.parse(JSON.stringify(fromWasm)), fromCli);
});

test('the sample: its ten exports, three earlier snapshots of the deals; analyze compares them as the CLI does, options included', () => {
  const files = revlens.sampleFiles();
  assert.equal(files.length, 10, files.map((f) => f.name).join(', '));
  const snapshots = files.filter((f) => f.kind === 'snapshot').map((f) => f.name);
  assert.deepEqual(snapshots, ['salesforce_opportunities-2026-06-09.csv', 'salesforce_opportunities-2026-06-16.csv', 'salesforce_opportunities-2026-06-23.csv']);
  const dir = path.join(work, 'sample');
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f.name), f.bytes);
  const input = files.map((f) => ({ name: f.name, bytes: f.bytes }));
  const paths = files.map((f) => path.join(dir, f.name));
  // By default the first snapshot of the window (2026-Q2) against the latest.
  const plain = JSON.parse(JSON.stringify(revlens.analyze(input)));
  const cli = revlensJson(['report', ...paths]);
  assert.deepEqual(plain.snapshots, cli.snapshots);
  assert.deepEqual(plain.history, cli.history);
  assert.equal(plain.snapshots.list.length, 4);
  assert.equal(plain.snapshots.comparison.from, '2026-06-09');
  // The options the page and the worker pass through: a date given to a snapshot, the earlier
  // snapshot to compare and the window.
  const options = { snapshot_dates: { 'salesforce_opportunities-2026-06-09.csv': '2026-06-02' }, compare: { from: '2026-06-16', window_start: '2026-06-01', window_end: '2026-07-31' } };
  const chosen = JSON.parse(JSON.stringify(revlens.analyze(input, options)));
  const cliChosen = revlensJson(['report', ...paths, '--snapshot-date', 'salesforce_opportunities-2026-06-09.csv=2026-06-02', '--compare-from', '2026-06-16', '--window', '2026-06-01..2026-07-31']);
  assert.deepEqual(chosen.snapshots, cliChosen.snapshots);
  assert.deepEqual(chosen.snapshots.list[0], { file: 'salesforce_opportunities-2026-06-09.csv', date: '2026-06-02', date_source: 'given', deals: plain.snapshots.list[0].deals });
  assert.equal(chosen.snapshots.comparison.from, '2026-06-16');
  assert.deepEqual([chosen.snapshots.comparison.window.start, chosen.snapshots.comparison.window.end], ['2026-06-01', '2026-07-31']);
  assert.notDeepEqual(chosen.snapshots.comparison.waterfall, plain.snapshots.comparison.waterfall);
});

test('toSql gives the query the CLI prints, and coded errors', () => {
  for (const dialect of ['duckdb', 'spark', 'bigquery', 'snowflake']) {
    const sql = revlens.toSql({ dialect, as_of: '2024-03-31', grain: 'quarter', fiscal_year_start_month: 4 });
    const cli = revlensCli(['sql', '--dialect', dialect, '--asof', '2024-03-31', '--grain', 'quarter', '--fiscal-start', '4']);
    assert.equal(sql, cli);
    assert.match(sql, /'win_rate' AS metric_id/);
  }
  assert.throws(() => revlens.toSql({ as_of: '2024-03-31', dialect: 'oracle' }), (e) => e.code === 'BAD_OPTIONS');
  assert.throws(() => revlens.toSql({ as_of: '31/03/2024' }), (e) => e.code === 'BAD_AS_OF');
  assert.throws(() => revlens.toSql({}), (e) => e.code === 'BAD_OPTIONS' && /as_of/.test(e.message));
  assert.throws(() => revlens.toSql({ as_of: '2024-03-31', grian: 'month' }), (e) => e.code === 'BAD_OPTIONS' && /grian/.test(e.message));
});

test('errors are Error objects with a stable code', () => {
  const cases = [
    [() => revlens.detect(new Uint8Array(), 'empty.csv'), 'EMPTY_FILE'],
    [() => revlens.detect(bytes('foo,bar,baz\n'), 'junk.csv'), 'UNKNOWN_FILE_KIND'],
    [() => revlens.analyze([{ name: 'junk.csv', bytes: bytes('foo,bar\n1,2\n') }]), 'UNKNOWN_FILE_KIND'],
    [() => revlens.analyze([{ name: 'x.csv', bytes: DEALS }]), 'BAD_INPUT'],
    [() => revlens.analyze([{ bytes: bytes(DEALS) }]), 'BAD_INPUT'],
    [() => revlens.detect(bytes(DEALS), 'deals.csv', 'not options'), 'BAD_OPTIONS'],
  ];
  for (const [call, code] of cases) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof Error, `${code}: not an Error`);
      assert.equal(err.code, code);
      assert.ok(err.message.length > 10, `${code}: message "${err.message}"`);
      return true;
    });
  }
  // …and the module still works afterwards.
  assert.equal(revlens.detect(bytes(DEALS), 'deals.csv').rows_used, 4);
});

test('a panic fails only its own call: the next calls work and give the same results', () => {
  const before = revlens.detect(bytes(DEALS), 'deals.csv');
  const report = revlens.analyze([{ name: 'deals.csv', bytes: bytes(DEALS) }]);
  assert.throws(
    () => revlens.__selfTestPanic(),
    (err) => err instanceof WebAssembly.RuntimeError && err.code === 'INTERNAL',
  );
  // The first call after the panic takes arguments: it must not land in the poisoned instance.
  assert.deepEqual(revlens.detect(bytes(DEALS), 'deals.csv'), before);
  assert.deepEqual(revlens.detect(bytes(DEALS), 'deals.csv'), before);
  assert.deepEqual(revlens.analyze([{ name: 'deals.csv', bytes: bytes(DEALS) }]), report);
});

test('the streaming Analyzer gives the same report as analyze, chunk size regardless', async () => {
  const whole = revlens.analyze([
    { name: 'deals.csv', bytes: bytes(DEALS) },
    { name: 'leads.csv', bytes: bytes(LEADS) },
  ]);
  for (const size of [1, 7, 64, 1 << 20]) {
    const a = new revlens.Analyzer();
    const seen = [];
    a.onProgress = (p) => seen.push(p);
    a.beginFile('deals.csv');
    const d = bytes(DEALS);
    for (let at = 0; at < d.length; at += size) a.push(d.subarray(at, at + size));
    // addFile takes a ReadableStream (or an async iterable) of chunks.
    await a.addFile('leads.csv', new Blob([LEADS]).stream());
    assert.deepEqual(a.finish(), whole, `chunks of ${size} bytes`);
    assert.equal(seen.filter((p) => p.file === 'deals.csv').at(-1).bytes, d.length);
    assert.equal(seen.at(-1).file, 'leads.csv');
    assert.throws(() => a.push(bytes('x')), (err) => err.code === 'BAD_INPUT', 'used after finish');
  }
  // A file that cannot be read beside readable ones is listed, as analyze lists it.
  const JUNK = 'code,label\n1,a\n';
  const withJunk = revlens.analyze([
    { name: 'deals.csv', bytes: bytes(DEALS) },
    { name: 'lookup.csv', bytes: bytes(JUNK) },
  ]);
  const s = new revlens.Analyzer();
  s.beginFile('deals.csv');
  s.push(bytes(DEALS));
  await s.addFile('lookup.csv', [bytes(JUNK)]);
  assert.deepEqual(s.finish(), withJunk);
  assert.deepEqual(withJunk.files_not_read.map((f) => f.code), ['UNKNOWN_FILE_KIND']);
  const alone = new revlens.Analyzer();
  await alone.addFile('lookup.csv', [bytes(JUNK)]);
  assert.throws(() => alone.finish(), (err) => err.code === 'UNKNOWN_FILE_KIND');

  const empty = new revlens.Analyzer();
  assert.throws(() => empty.push(bytes(DEALS)), (err) => err.code === 'NO_FILE');
  assert.throws(() => empty.finish(), (err) => err.code === 'NO_FILES');
  const broken = new revlens.Analyzer({ as_of: 'soon' });
  broken.beginFile('deals.csv');
  broken.push(bytes(DEALS));
  assert.throws(() => broken.finish(), (err) => err instanceof Error && err.code === 'BAD_AS_OF');
});

test('two analyses of the same files, one per side, join into the report one analysis gives', () => {
  // What revlens/worker does with a large input in two workers: one computes the company side
  // (quality, RevOps), the other the SalesOps side, then joins them.
  const files = revlens.sampleFiles().map((f) => ({ name: f.name, bytes: f.bytes }));
  const read = (options) => {
    const a = new revlens.Analyzer(options);
    for (const f of files) {
      a.beginFile(f.name);
      a.push(f.bytes);
    }
    return a;
  };
  const lines = (report) => JSON.stringify(report, null, 1).split('\n');
  for (const options of [{ grain: 'quarter' }, { filter: { region: ['EMEA'] } }, { filter: { owner: ['nobody'] } }]) {
    const whole = read(options).finish();
    const company = read(options).finishCompany();
    assert.ok(company.revops.metrics.length > 0 && typeof company.quality.score === 'number');
    const joined = read(options).finishSales().join(company);
    // Line by line, so that a difference shows where it is.
    assert.deepEqual(lines(joined), lines(whole), `joined, ${JSON.stringify(options)}`);
    assert.deepEqual(lines(read(options).finishSales().alone()), lines(whole), `alone, ${JSON.stringify(options)}`);
  }
  // Timed: the stages of both sides, the company's in the total once (they ran beside each other).
  const timed = { timings: true };
  const company = read(timed).finishCompany();
  // The SalesOps lens's metrics of the deals are computed on the company side too (the two sides
  // then take about as long).
  assert.deepEqual(company.stages.map((s) => s.stage), ['salesops', 'quality', 'revops']);
  const t = read(timed).finishSales().join(company).timings;
  const stage = (name) => t.stages.find((s) => s.stage === name)?.ms ?? 0;
  const sum = t.stages.reduce((s, x) => s + x.ms, 0);
  const theirs = company.stages.reduce((s, x) => s + x.ms, 0);
  assert.ok(stage('quality') === company.stages[1].ms && stage('revops') === company.stages[2].ms);
  assert.ok(t.total_ms <= sum + 1e-9 && t.total_ms >= sum - theirs - 1e-9, JSON.stringify(t));
  // A half is used once; what is not a company side is refused.
  const half = read({}).finishSales();
  assert.throws(() => half.join({ quality: {} }), (err) => err.code === 'BAD_INPUT');
  assert.throws(() => half.alone(), (err) => err.code === 'BAD_INPUT', 'used after join');
  const used = read({});
  used.finishCompany();
  assert.throws(() => used.finishSales(), (err) => err.code === 'BAD_INPUT');
});

test('one file read in halves by two analyses that trade their parts gives the report one analysis gives', () => {
  // What revlens/worker does with `workers: 2`: the second reads the file from a line break
  // after its middle, the first up to it; each takes the other's half as chunks of bytes.
  const deals = revlens.sampleFiles().find((f) => f.name === 'salesforce_opportunities.csv').bytes;
  const text = new TextDecoder().decode(deals);
  const headerEnd = text.indexOf('\n') + 1;
  const file = bytes(text.slice(0, headerEnd) + text.slice(headerEnd).repeat(30));
  let cut = Math.floor(file.length / 2);
  while (file[cut - 1] !== 10) cut++;
  const CHUNK = 1 << 16;
  const head = (a) => {
    a.beginFile('salesforce_opportunities.csv', file.length);
    let at = 0;
    for (; !a.canSplit(); at += CHUNK) a.push(file.subarray(at, at + CHUNK));
    return at;
  };
  const first = new revlens.Analyzer({ grain: 'quarter' });
  const second = new revlens.Analyzer({ grain: 'quarter' });
  const at = head(first);
  assert.ok(head(second) < cut && at < cut, 'the heads end before the cut');
  first.push(file.subarray(at, cut));
  assert.equal(second.beginLaterPart(cut), true);
  second.push(file.subarray(cut));
  const later = second.exportLaterPart();
  const part = first.exportPart();
  assert.ok(Array.isArray(part) && part.length > 0 && part.every((c) => c instanceof Uint8Array));
  assert.throws(() => first.joinLaterPart(new Uint8Array(8)), (err) => err.code === 'BAD_INPUT');
  assert.throws(() => first.joinLaterPart([new Uint8Array(8)]), (err) => err.code === 'INTERNAL', 'not a part');
  first.joinLaterPart(later);
  second.adoptPart(part, true);
  const one = new revlens.Analyzer({ grain: 'quarter' });
  one.beginFile('salesforce_opportunities.csv');
  one.push(file);
  const whole = JSON.stringify(one.finish());
  assert.equal(JSON.stringify(first.finish()), whole, 'the first');
  assert.equal(JSON.stringify(second.finish()), whole, 'the second');
});

test('a streaming analysis begun before a panic says so instead of failing obscurely', () => {
  const a = new revlens.Analyzer();
  a.beginFile('deals.csv');
  assert.throws(() => revlens.__selfTestPanic(), WebAssembly.RuntimeError);
  assert.throws(() => a.push(bytes(DEALS)), (err) => err.code === 'RESTARTED');
  const b = new revlens.Analyzer();
  b.beginFile('deals.csv');
  b.push(bytes(DEALS));
  assert.equal(b.finish().files[0].rows_used, 4);
});

test('forecast takes a Float64Array, returns typed arrays, and agrees with the CLI', () => {
  const values = Float64Array.from({ length: 48 }, (_, i) => 200 + 3 * i + 25 * Math.sin((2 * Math.PI * i) / 12));
  const f = revlens.forecast(values, { horizon: 6 });
  for (const k of ['mean', 'lo80', 'hi80', 'lo95', 'hi95']) {
    assert.ok(f[k] instanceof Float64Array, `${k} is a Float64Array`);
    assert.equal(f[k].length, 6);
  }
  assert.equal(f.fitted.length, values.length);
  for (let i = 0; i < 6; i += 1) assert.ok(f.lo95[i] <= f.lo80[i] && f.lo80[i] <= f.mean[i] && f.mean[i] <= f.hi80[i] && f.hi80[i] <= f.hi95[i]);
  assert.deepEqual(revlens.forecast([...values], { horizon: 6 }).mean, f.mean, 'a plain array works too');

  mkdirSync(work, { recursive: true });
  const csv = ['period,value', ...[...values].map((v, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${v}`)].join('\n');
  writeFileSync(path.join(work, 'series.csv'), `${csv}\n`);
  const cli = revlensJson(['forecast', path.join(work, 'series.csv'), '--horizon', '6']);
  assert.equal(f.model, cli.model);
  cli.forecast.forEach((p, i) => {
    for (const [k, v] of [['value', f.mean[i]], ['lo80', f.lo80[i]], ['hi95', f.hi95[i]]]) {
      assert.ok(Math.abs(p[k] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${k}[${i}]: CLI ${p[k]}, wasm ${v}`);
    }
  });
  assert.ok(Math.abs(cli.backtest.mase - f.backtest.mase) <= 1e-6);

  const codes = [
    [() => revlens.forecast(new Float64Array(), { horizon: 3 }), 'EMPTY_SERIES'],
    [() => revlens.forecast([1, Number.NaN, 3], { horizon: 3 }), 'NON_FINITE_VALUE'],
    [() => revlens.forecast(values, { horizon: 0 }), 'BAD_HORIZON'],
    [() => revlens.forecast(values, { horizon: 3, season_length: 0 }), 'BAD_SEASON_LENGTH'],
    [() => revlens.forecast(values, {}), 'BAD_OPTIONS'],
    [() => revlens.forecast(values, { horizon: 3, seasonLength: 4 }), 'BAD_OPTIONS'],
  ];
  for (const [call, code] of codes) assert.throws(call, (err) => err instanceof Error && err.code === code, code);
});

test('nothing works before init, with a coded error (a fresh process)', () => {
  const entry = pathToFileURL(path.join(pkgDir, 'index.node.js')).href;
  const script = `import('${entry}').then((r) => { try { r.version(); console.log('no error'); } catch (e) { console.log(e.code); } })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.stdout.trim(), 'NOT_INITIALIZED', run.stderr);
});
