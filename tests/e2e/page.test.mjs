// The page end to end, in Debian's Chromium driven by playwright-core: it opens on the sample
// company with the same counts as the CLI, shows hostile cell values as text, explains a bad
// file and recovers, and never makes a request off its own origin.
//
// Needs pkg/ (wasm-pack build --target web --out-dir pkg) and target/release/revlens; scripts/test
// builds both first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { repoRoot, revlens, revlensJson } from '../support/revlens-cli.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
];
const work = path.join(repoRoot, 'target', 'e2e');
const sampleDir = path.join(work, 'sample');
const uploads = path.join(work, 'uploads');
const KEY_COUNTS = ['won_count', 'lost_count', 'open_count'];
const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let page;
const requests = [];
const dialogs = [];
const pageErrors = [];
const consoleErrors = [];

/** The whole-data value of each metric (no period, no breakdown), by id. */
function headline(report) {
  const values = {};
  for (const m of report.metrics) if (m.period === undefined && m.by === undefined) values[m.id] = m.value;
  return values;
}

/** The sample company's exports as the CLI writes them (the same ones the page embeds). */
function writeSample() {
  rmSync(sampleDir, { recursive: true, force: true });
  revlens(['sample', '--out', sampleDir]);
  const names = readdirSync(sampleDir).filter((n) => /\.(csv|tsv|xlsx)$/i.test(n)).sort();
  assert.ok(names.length > 0, `revlens sample wrote no files to ${sampleDir}`);
  return names.map((n) => path.join(sampleDir, n));
}

function writeUpload(name, text) {
  const file = path.join(uploads, name);
  writeFileSync(file, text);
  return file;
}

/** The figure the page shows for a metric: its data-value and its displayed text as a number. */
async function shownFigure(id) {
  const node = page.locator(`#results [data-metric="${id}"]`);
  const value = await node.getAttribute('data-value');
  const text = await node.locator('dd').textContent();
  return { value: value === '' ? null : Number(value), text: Number(text.replace(/[^0-9.-]/g, '')) };
}

async function expectVisibleText(pattern) {
  const body = await page.locator('body').innerText();
  assert.match(body, pattern);
}

/** Picks files in the page's file input and waits until the page has finished with them. */
async function upload(...files) {
  const before = await page.evaluate(() => Number(document.body.dataset.updates ?? 0));
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction((n) => Number(document.body.dataset.updates ?? 0) > n, before, { timeout: 30_000 });
}

before(async () => {
  assert.ok(existsSync(path.join(repoRoot, 'pkg', 'revlens.js')), 'pkg/ is missing: run wasm-pack build --target web --out-dir pkg');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup`);
  rmSync(uploads, { recursive: true, force: true });
  mkdirSync(uploads, { recursive: true });
  server = await startServer({
    port: 0,
    mounts: { '/pkg/': path.join(repoRoot, 'pkg') },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('opens on the sample with the same counts as the CLI', async () => {
  const files = writeSample();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
  assert.equal(await page.locator('#error').isHidden(), true, `error shown: ${await page.locator('#error').textContent()}`);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  assert.match(await page.locator('#status').textContent(), /^Sample company: \d+ files analysed/);
  const expected = headline(revlensJson(['report', ...files]));
  for (const id of KEY_COUNTS) {
    const shown = await shownFigure(id);
    assert.equal(shown.value, expected[id], `${id}: data-value`);
    assert.equal(shown.text, expected[id], `${id}: displayed text`);
  }
  const bookings = await shownFigure('bookings');
  assert.equal(bookings.value, expected.bookings, 'bookings');
  const winRate = await shownFigure('win_rate');
  assert.ok(Math.abs(winRate.value - expected.win_rate) < 1e-12, 'win_rate');

  const tableText = await page.locator('#results table.files').textContent();
  for (const f of files) assert.ok(tableText.includes(path.basename(f)), `file ${path.basename(f)} listed`);
  assert.match(await page.locator('#results [data-metric="quality_score"]').textContent(), /\/ 100/);
  await expectVisibleText(/never leave this browser/);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'screenshot.png'), fullPage: true });
});

test('hostile cell values and file names render as text', async () => {
  const deals = writeUpload(
    `${XSS}.csv`,
    [
      'Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date',
      `X-1,${XSS},"${XSS}",${XSS},Closed Won,1000,2024-01-05,2024-02-01`,
      `X-2,${XSS} again,Acme,Ann,Closed Lost,500,2024-01-10,2024-03-01`,
      `X-3,Beta,Beta,Bo,Prospecting,${XSS},2024-01-11,2024-06-01`,
      '',
    ].join('\n'),
  );
  await upload(deals);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.locator('#error').textContent());
  const results = await page.locator('#results').textContent();
  assert.ok(results.includes(`${XSS}.csv`), 'file name shown as text');
  assert.ok(results.includes(XSS), 'the rejected amount is shown as text');
  assert.equal(await page.locator('img').count(), 0, 'no img element was created');
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal((await shownFigure('won_count')).value, 1);
  assert.equal((await shownFigure('lost_count')).value, 1);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'screenshot-upload.png'), fullPage: true });
});

test('a malformed file gets a clear error and the page keeps working', async () => {
  const junk = writeUpload('notes.csv', 'foo,bar,baz\n1,2,3\n');
  await upload(junk);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), true);
  assert.equal(await error.getAttribute('data-code'), 'UNKNOWN_FILE_KIND');
  const message = await error.textContent();
  assert.match(message, /UNKNOWN_FILE_KIND/);
  assert.match(message, /notes\.csv/);

  const empty = writeUpload('empty.csv', '');
  await upload(empty);
  assert.equal(await error.getAttribute('data-code'), 'EMPTY_FILE');

  const good = writeUpload(
    'good.csv',
    [
      'Deal Name,Stage,Amount,Close Date,Created Date',
      'A,Closed Won,100,2024-02-01,2024-01-01',
      'B,Closed Won,200,2024-02-02,2024-01-02',
      'C,Closed Lost,50,2024-02-03,2024-01-03',
      '',
    ].join('\n'),
  );
  await upload(good);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  assert.equal(await error.isHidden(), true, 'the error is cleared');
  const expected = headline(revlensJson(['report', good]));
  for (const id of KEY_COUNTS) assert.equal((await shownFigure(id)).value, expected[id], id);
});

test('no serious accessibility violations (axe-core)', async () => {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(violations, []);
});

test('every request of the session stayed on the page origin', () => {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 0, 'no request recorded');
  const off = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
  assert.deepEqual(off, [], 'requests off the page origin');
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm module was fetched from the page origin');
  assert.deepEqual(pageErrors, [], 'uncaught page errors');
  const csp = consoleErrors.filter((m) => /Content Security Policy/i.test(m));
  assert.deepEqual(csp, [], 'CSP violations');
});
