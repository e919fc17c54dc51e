// The memory ceiling in Chromium, with a limit set low: the page opened with `?max_bytes=N`
// answers a dropped export larger than N with TOO_LARGE in its error area (in English and in
// Thai), keeps the report it had (nothing half-drawn), and takes the next, smaller file; the
// package's worker refuses by the File's size before reading it; <revlens-report> does the same
// with `options='{"max_bytes":N}'`.
// Needs pkg/ (scripts/package pkg) and target/release/revlens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticSite } from '../support/static-site.mjs';
import { repoRoot, revlensJson } from '../support/revlens-cli.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.mjs';

const work = path.join(repoRoot, 'target', 'e2e-too-large');
const LIMIT = 4096;

let server;
let browser;
let page;
const pageErrors = [];

/** A deals CSV of `rows` rows (each about 45 bytes). */
function deals(rows) {
  const lines = ['Deal Name,Stage,Amount,Close Date,Created Date'];
  for (let i = 0; i < rows; i++) lines.push(`Deal ${i},${['Closed Won', 'Closed Lost', 'Prospecting'][i % 3]},${100 + i},2024-02-${String((i % 27) + 1).padStart(2, '0')},2024-01-01`);
  return `${lines.join('\n')}\n`;
}

function write(name, text) {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

const updates = () => page.evaluate(() => Number(document.body.dataset.updates ?? 0));

async function upload(...files) {
  const n = await updates();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', n, { timeout: 60_000 });
}

const figure = (id) => page.locator(`#results .figure[data-metric="${id}"]`).first().getAttribute('data-value');

before(async () => {
  assert.ok(existsSync(path.join(repoRoot, 'pkg', 'revlens.js')), 'pkg/ is missing: run scripts/package pkg');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  server = await startStaticSite({ subPath: 'revlens' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page: TOO_LARGE in both languages, the report kept, then a smaller file is analysed', async () => {
  await page.goto(`${server.url}?max_bytes=${LIMIT}`);
  // The embedded sample is not held to the address's limit.
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  const sampleBookings = await figure('bookings');
  assert.ok(sampleBookings, 'the sample report is drawn');

  const big = write('big-deals.csv', deals(200));
  assert.ok(big && deals(200).length > LIMIT);
  await upload(big);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), true);
  assert.equal(await error.getAttribute('data-code'), 'TOO_LARGE');
  const text = await error.textContent();
  assert.match(text, /^TOO_LARGE: big-deals\.csv: /);
  assert.match(text, /4\.1\s?kB/, 'the limit, as the page formats sizes');
  assert.match(text, /fewer columns or a shorter date range/);
  assert.match(text, /command-line tool/);
  assert.match(await page.locator('#status').textContent(), /Too large for the browser/);
  // Nothing of the big file was drawn: the sample's report is as it was.
  assert.equal(await figure('bookings'), sampleBookings);
  assert.equal(await page.locator('#results .lens').first().isVisible(), true);

  // In Thai.
  await page.selectOption('#lang', 'th');
  await upload(big);
  assert.equal(await error.getAttribute('data-code'), 'TOO_LARGE');
  assert.match(await error.textContent(), /big-deals\.csv: ไฟล์เหล่านี้มีขนาด .* เกินขีดจำกัด/);
  assert.match(await page.locator('#status').textContent(), /ใหญ่เกิน/);
  await page.selectOption('#lang', 'en');

  // The page stays usable: a file under the limit is analysed and drawn, the error cleared.
  const smallText = deals(40);
  assert.ok(smallText.length < LIMIT);
  const small = write('small-deals.csv', smallText);
  await upload(small);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  assert.equal(await error.isHidden(), true);
  const expected = revlensJson(['report', small]).metrics.filter((m) => m.period === undefined && m.by === undefined && m.lens === 'salesops');
  const value = (id) => expected.find((m) => m.id === id).value;
  for (const id of ['won_count', 'lost_count', 'open_count', 'bookings']) assert.equal(Number(await figure(id)), value(id), id);
  assert.deepEqual(pageErrors, []);
});

test('the worker refuses by File size before reading; <revlens-report> with options max_bytes', async () => {
  const embed = await browser.newPage();
  embed.on('pageerror', (e) => pageErrors.push(String(e)));
  await embed.goto(new URL('embed.html', server.url).href);
  await embed.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  const result = await embed.evaluate(
    async ({ big, small, limit }) => {
      const { RevlensWorker } = await import('./pkg/worker.js');
      const worker = new RevlensWorker();
      // A File of NUL bytes: read, it would be another error (no header); refused by its size first.
      let fromWorker;
      try {
        await worker.analyze([new File([new Uint8Array(limit + 1)], 'huge.csv')], { max_bytes: limit });
      } catch (err) {
        fromWorker = { code: err.code, file: err.file, bytes: err.bytes, limit: err.limit, message: err.message };
      }
      worker.terminate();

      const element = document.getElementById('embedded');
      const next = (type) => new Promise((resolve) => element.addEventListener(type, (e) => resolve(e.detail), { once: true }));
      element.setAttribute('options', JSON.stringify({ max_bytes: limit }));
      const failed = next('revlens-error');
      element.files = [{ name: 'big.csv', bytes: new TextEncoder().encode(big) }];
      const err = await failed;
      const box = element.shadowRoot.querySelector('.error');
      const shown = { code: err.code, file: err.file, box: box.dataset.code, text: box.textContent, visible: !box.hidden };
      const drawn = next('revlens-report');
      element.files = [{ name: 'small.csv', bytes: new TextEncoder().encode(small) }];
      const report = await drawn;
      return { fromWorker, shown, rows: report.files[0].rows_used, errorHidden: box.hidden };
    },
    { big: deals(200), small: deals(40), limit: LIMIT },
  );
  assert.equal(result.fromWorker.code, 'TOO_LARGE');
  assert.equal(result.fromWorker.file, 'huge.csv');
  assert.equal(result.fromWorker.bytes, LIMIT + 1);
  assert.equal(result.fromWorker.limit, LIMIT);
  assert.match(result.fromWorker.message, /huge\.csv: the input is 4 KiB \(4097 bytes\), more than the 4 KiB \(4096 bytes\)/);
  assert.equal(result.shown.code, 'TOO_LARGE');
  assert.equal(result.shown.file, 'big.csv');
  assert.equal(result.shown.box, 'TOO_LARGE');
  assert.equal(result.shown.visible, true);
  assert.match(result.shown.text, /big\.csv: these files are .* more than the 4\.1\skB/);
  assert.equal(result.rows, 40);
  assert.equal(result.errorHidden, true);
  await embed.close();
  assert.deepEqual(pageErrors, []);
});
