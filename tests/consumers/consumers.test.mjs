// The npm package as its users get it: `npm pack` of pkg/ (scripts/package builds it), installed
// from the tarball into this folder, then used by
//  - a Node 20+ script (node/main.mjs),
//  - TypeScript: tsc --noEmit over ts/consumer.ts (every exported type) and over real results
//    written out as typed literals (so the .d.ts cannot drift from what the engine returns),
//  - a Vite app and a webpack 5 app, built, and a plain <script type="module"> page, each driven
//    in headless Chromium to render the sample company's report,
//  - two <revlens-report> elements on one plain page (attribute change → re-render, no
//    interference, theming through CSS custom properties).
// Needs pkg/, target/release/revlens, Chromium, and this folder's npm ci (scripts/setup).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot, revlens as cli, revlensJson } from '../support/revlens-cli.mjs';
import { CHROMIUM, assertConsumerData, assertConsumerElement, consumerElement, launch, open, run, serve } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(repoRoot, 'pkg');
const work = path.join(repoRoot, 'target', 'consumers');
const sampleDir = path.join(work, 'sample');
const fixtures = path.join(work, 'fixtures');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;

let browser;
let tarball;
let expected;
let sampleFiles;

const headline = (report, id) => report.metrics.find((m) => m.id === id && m.period === undefined && m.by === undefined)?.value ?? null;

before(async () => {
  assert.ok(existsSync(path.join(pkgDir, 'package.json')) && existsSync(path.join(pkgDir, 'index.js')), 'pkg/ is missing or incomplete: run scripts/package');
  assert.ok(existsSync(path.join(here, 'node_modules', 'vite')), 'tests/consumers/node_modules is missing: run scripts/setup');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(fixtures, { recursive: true });
  const packed = JSON.parse(run(npm, ['pack', pkgDir, '--pack-destination', work, '--json', '--loglevel=error'], repoRoot));
  tarball = { file: path.join(work, packed[0].filename), files: packed[0].files.map((f) => f.path), size: packed[0].size };
  // As a user would: install the tarball (not listed in package.json: its hash changes per build).
  rmSync(path.join(here, 'node_modules', 'revlens'), { recursive: true, force: true });
  run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', tarball.file], here);
  cli(['sample', '--out', sampleDir]);
  sampleFiles = readdirSync(sampleDir).sort().map((f) => path.join(sampleDir, f));
  expected = revlensJson(['report', ...sampleFiles]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('npm pack: a complete package, its version from Cargo.toml', () => {
  const installed = JSON.parse(readFileSync(path.join(here, 'node_modules', 'revlens', 'package.json'), 'utf8'));
  const cargoVersion = readFileSync(path.join(repoRoot, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(installed.name, 'revlens');
  assert.equal(installed.version, cargoVersion);
  assert.equal(installed.type, 'module');
  assert.equal(installed.license, 'MIT');
  assert.equal(installed.types, './index.d.ts');
  assert.deepEqual(Object.keys(installed.exports).slice(0, 3), ['.', './worker', './element']);
  assert.deepEqual(installed.exports['.'], { types: './index.d.ts', node: './index.node.js', default: './index.js' });
  assert.ok(Array.isArray(installed.sideEffects) && installed.sideEffects.includes('./element.js'));
  for (const f of ['package.json', 'README.md', 'LICENSE', 'index.js', 'index.node.js', 'index.d.ts', 'core.js', 'worker.js', 'worker-thread.js', 'worker.d.ts', 'element.js', 'element.d.ts', 'revlens.js', 'revlens.d.ts', 'revlens_bg.wasm', 'lib/revlens-report.js', 'lib/render.js', 'lib/report.css', 'lib/client.js', 'vendor/chart.js/chart.js']) {
    assert.ok(tarball.files.includes(f), `${f} is in the tarball`);
  }
  assert.ok(!tarball.files.some((f) => f.includes('.gitignore') || f.endsWith('.tgz')), tarball.files.join(', '));
  // Every exports target exists in the tarball.
  const targets = Object.values(installed.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  for (const t of targets) assert.ok(tarball.files.includes(t.replace(/^\.\//, '')), `exports target ${t}`);
  const readme = readFileSync(path.join(here, 'node_modules', 'revlens', 'README.md'), 'utf8');
  for (const heading of ['script type="module"', 'Vite', 'webpack', 'Node', 'TypeScript', 'revlens/worker', 'revlens/element']) {
    assert.ok(readme.includes(heading), `README shows ${heading}`);
  }
});

test('Node: the installed package analyses the sample exports like the CLI, in memory and streamed', () => {
  const out = JSON.parse(run(node, [path.join(here, 'node', 'main.mjs'), ...sampleFiles], here));
  assert.equal(out.won_count, headline(expected, 'won_count'));
  assert.equal(out.bookings, headline(expected, 'bookings'));
  assert.equal(out.streamed_won_count, out.won_count);
  assert.equal(out.streamed_bookings, out.bookings);
  assert.ok(out.chunks >= sampleFiles.length, `progress after every chunk (${out.chunks})`);
  assert.deepEqual(out.kinds, expected.files.map((f) => f.kind));
  assert.deepEqual(out.error, { isError: true, code: 'EMPTY_FILE' });
});

// ---- TypeScript ---------------------------------------------------------------------------------

/** A TS literal of a value; arrays of objects keep one element per distinct shape (keys, nulls). */
function literal(v) {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Float64Array) return `new Float64Array([${[...v].map(literal).join(',')}])`;
  if (v instanceof Uint8Array) return `new Uint8Array(${v.length})`;
  if (Array.isArray(v)) return `[${representatives(v).map(literal).join(',')}]`;
  assert.equal(Object.getPrototypeOf(v), Object.prototype, 'only plain objects cross the boundary');
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${literal(x)}`).join(',')}}`;
}

function representatives(list) {
  if (!list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return list;
  const seen = new Map();
  const shape = (o) => Object.entries(o).map(([k, x]) => `${k}${x === null ? '=null' : ''}${Array.isArray(x) && x.length === 0 ? '=[]' : ''}`).join(',');
  for (const x of list) if (!seen.has(shape(x))) seen.set(shape(x), x);
  return [...seen.values()];
}

test('TypeScript: every exported type compiles, and real results match the declared types', async () => {
  const revlens = await import('revlens');
  await revlens.init();
  const files = sampleFiles.map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));
  const smallDeals = new TextEncoder().encode(
    'Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date\nD-1,A,A,Ann,Closed Won,1000,2024-01-05,2024-02-01\nD-2,B,B,Bo,Prospecting,lots,2024-01-10,2024-03-01\n\n',
  );
  const values = {
    sample: ['Report', revlens.analyze(files, { deal_probabilities: true })],
    quarterly: ['Report', revlens.analyze(files, { grain: 'quarter', as_of: '2024-03-31' })],
    dealsOnly: ['Report', revlens.analyze([{ name: 'deals.csv', bytes: smallDeals }])],
    segment: ['Report', revlens.analyze(files, { filter: { owner: [expected.leaderboard[0].owner] } })],
    withUnreadable: ['Report', revlens.analyze([{ name: 'deals.csv', bytes: smallDeals }, { name: 'lookup.csv', bytes: new TextEncoder().encode('code,label\n1,a\n') }])],
    detected: ['FileReport[]', files.map((f) => revlens.detect(f.bytes, f.name))],
    rejectedRows: ['FileReport', revlens.detect(smallDeals, 'deals.csv')],
    forecasted: ['ForecastResult', revlens.forecast(Float64Array.from({ length: 30 }, (_, i) => 10 + i), { horizon: 3 })],
    samples: ['SampleFile[]', revlens.sampleFiles()],
  };
  assert.ok(values.dealsOnly[1].revops.missing.length > 0 && values.dealsOnly[1].revops.funnel === null, 'the deals-only report has the null/missing shapes');
  assert.ok(values.segment[1].filter?.deals_kept > 0, 'the segment report has its filter');
  assert.equal(values.withUnreadable[1].files_not_read.length, 1, 'a report with a file it could not read');
  const metric = values.sample[1].metrics[0];
  const lines = [
    '// Written by consumers.test.mjs from real results of the installed package: if the engine',
    '// returns a field the types do not declare, or lacks one they require, tsc fails here.',
    `import type { ${[...new Set(Object.values(values).map(([t]) => t.replace('[]', '')))].join(', ')}, Metric, FileSummary } from 'revlens';`,
    ...Object.entries(values).map(([name, [type, value]]) => `export const ${name}: ${type} = ${literal(value)};`),
    '// Controls: the check must refuse an undeclared field and a missing required one.',
    '// @ts-expect-error',
    `export const extraField: Metric = ${literal({ ...metric, not_in_the_rust_type: 1 })};`,
    '// @ts-expect-error',
    `export const missingField: FileSummary = ${literal(Object.fromEntries(Object.entries(values.sample[1].files[0]).filter(([k]) => k !== 'rows_used')))};`,
  ];
  mkdirSync(path.join(here, 'ts', 'generated'), { recursive: true });
  writeFileSync(path.join(here, 'ts', 'generated', 'real-values.ts'), `${lines.join('\n')}\n`);
  run(node, [path.join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(here, 'ts', 'tsconfig.json')], here);
});

// ---- Browsers -----------------------------------------------------------------------------------

async function checkApp(root, pagePath) {
  const server = await serve(root);
  try {
    await checkPage(new URL(pagePath, server.url).href);
  } finally {
    await server.close();
  }
}

async function checkPage(url) {
  const { page, errors, requests, close } = await open(browser, url);
  try {
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 120_000 });
    assertConsumerData(await page.evaluate(() => ({ ...document.body.dataset })), expected, sampleFiles.length);
    const won = headline(expected, 'won_count');
    const shown = await page.evaluate(consumerElement);
    assertConsumerElement(shown, won);
    assert.ok(requests.some((u) => /\.wasm(\?|$)/.test(u)), 'the .wasm was fetched');
    const origin = new URL(url).origin;
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
}

test('a page with <script type="module"> and no bundler', async () => {
  await checkApp(here, 'plain/index.html');
});

test('a Vite app: builds and renders the report', async () => {
  const dir = path.join(here, 'vite');
  run(node, [path.join(here, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], dir);
  await checkApp(path.join(dir, 'dist'), 'index.html');
});

test('the same Vite app under the dev server (dependency pre-bundling and all)', async () => {
  const dir = path.join(here, 'vite');
  const dev = spawn(node, [path.join(here, 'node_modules', 'vite', 'bin', 'vite.js'), '--host', '127.0.0.1', '--port', '0', '--strictPort', 'false', '--force', '--logLevel', 'info'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${output}`)), 60_000);
      const seen = (chunk) => {
        output += chunk;
        // eslint-disable-next-line no-control-regex
        const m = output.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      dev.stdout.on('data', seen);
      dev.stderr.on('data', seen);
      dev.on('exit', (code) => reject(new Error(`vite dev exited (${code}):\n${output}`)));
    });
    await checkPage(url);
  } finally {
    dev.kill();
  }
});

test('a webpack 5 app: builds and renders the report', async () => {
  const dir = path.join(here, 'webpack');
  run(node, [path.join(here, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--config', 'webpack.config.mjs'], dir);
  await checkApp(dir, 'index.html');
});

/** A deals export with `won` won deals (and one open). */
function dealsCsv(won, owner) {
  const rows = ['Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date'];
  for (let i = 0; i < won; i += 1) rows.push(`D-${i},Deal ${i},Acct ${i},${owner},Closed Won,${100 * (i + 1)},2024-01-0${1 + (i % 9)},2024-02-1${i % 9}`);
  rows.push(`D-open,Open deal,Acct X,${owner},Prospecting,999,2024-02-01,2024-06-30`);
  return `${rows.join('\n')}\n`;
}

test('<revlens-report>: two on one page, attribute changes re-render only their element, themable', async () => {
  writeFileSync(path.join(fixtures, 'a.csv'), dealsCsv(3, 'Ann'));
  writeFileSync(path.join(fixtures, 'b.csv'), dealsCsv(1, 'Bo'));
  writeFileSync(path.join(fixtures, 'c.csv'), dealsCsv(5, 'Cy'));
  const server = await serve(here, { '/fixtures/': fixtures });
  const context = await browser.newContext();
  const errors = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  // Count renders per element (the event does not bubble: listen in the capture phase).
  await page.addInitScript(() => {
    window.renders = { a: 0, b: 0 };
    document.addEventListener('revlens-report', (e) => (window.renders[e.target.id] += 1), true);
    document.addEventListener('revlens-error', (e) => (window.renders.error = `${e.target.id}: ${e.detail?.code} ${e.detail?.message}`), true);
  });
  const state = () =>
    page.evaluate(() => {
      const of = (id) => {
        const root = document.getElementById(id).shadowRoot;
        return {
          won: Number(root.querySelector('.figure[data-metric="won_count"]')?.dataset.value),
          owner: root.querySelector('.leaderboard, table')?.textContent ?? '',
          salesops: !!root.querySelector('.lens.salesops'),
          revops: !!root.querySelector('.lens.revops'),
          color: getComputedStyle(root.querySelector('.rl-report')).color,
        };
      };
      return { renders: { ...window.renders }, a: of('a'), b: of('b') };
    });
  try {
    await page.goto(new URL('plain/element.html', server.url).href);
    await page.waitForFunction(() => window.renders.error || (window.renders.a >= 1 && window.renders.b >= 1), null, { timeout: 60_000 });
    let s = await state();
    assert.equal(s.renders.error, undefined);
    assert.deepEqual([s.a.won, s.b.won], [3, 1], 'each element shows its own src');
    assert.deepEqual([s.a.salesops, s.a.revops], [true, false], 'lens="salesops"');
    assert.deepEqual([s.b.salesops, s.b.revops], [true, true], 'lens="both"');
    assert.equal(s.a.color, 'rgb(1, 2, 3)', '--rl-text set on #a themes #a');
    assert.equal(s.b.color, 'rgb(28, 36, 48)', '…and not #b');
    const rendersOfB = s.renders.b;

    // src changes → #a analyses the new file and re-renders; #b is untouched.
    await page.evaluate(() => document.getElementById('a').setAttribute('src', '/fixtures/c.csv'));
    await page.waitForFunction((n) => window.renders.a > n, s.renders.a, { timeout: 60_000 });
    s = await state();
    assert.equal(s.a.won, 5);
    assert.equal(s.b.won, 1);
    assert.equal(s.renders.b, rendersOfB, '#b did not re-render');

    // lens changes → #a re-renders with the other lens; #b is untouched.
    await page.evaluate(() => document.getElementById('a').setAttribute('lens', 'revops'));
    await page.waitForFunction((n) => window.renders.a > n, s.renders.a, { timeout: 60_000 });
    s = await state();
    assert.deepEqual([s.a.salesops, s.a.revops], [false, true]);
    assert.deepEqual([s.b.salesops, s.b.revops], [true, true]);
    assert.equal(s.renders.b, rendersOfB, '#b did not re-render');

    // Both at once: each keeps its own analysis (separate workers).
    await page.evaluate(() => {
      const a = document.getElementById('a');
      a.setAttribute('lens', 'both');
      a.setAttribute('src', '/fixtures/b.csv');
      document.getElementById('b').setAttribute('src', '/fixtures/c.csv');
    });
    await page.waitForFunction(
      (want) => Object.entries(want).every(([id, n]) => Number(document.getElementById(id).shadowRoot.querySelector('.figure[data-metric="won_count"]')?.dataset.value) === n),
      { a: 1, b: 5 },
      { timeout: 60_000 },
    );
    s = await state();
    assert.deepEqual([s.a.won, s.b.won], [1, 5]);

    // Failures are events with a coded error: a missing file, a file that is not an export.
    writeFileSync(path.join(fixtures, 'junk.csv'), 'foo,bar\n1,2\n');
    for (const [src, code] of [['/fixtures/missing.csv', 'FETCH_FAILED'], ['/fixtures/junk.csv', 'UNKNOWN_FILE_KIND']]) {
      await page.evaluate((url) => {
        delete window.renders.error;
        document.getElementById('a').setAttribute('src', url);
      }, src);
      await page.waitForFunction(() => window.renders.error, null, { timeout: 60_000 });
      assert.match(await page.evaluate(() => window.renders.error), new RegExp(`^a: ${code} `));
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
