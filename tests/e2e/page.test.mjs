// The page end to end, as shipped: the site scripts/site builds, served by a plain static server
// (python3 -m http.server, no revlens code) under a sub-path (/revlens/, as on GitHub Pages), in
// Debian's Chromium driven by playwright-core. It opens on the sample
// company with the CLI's numbers (both lenses), shows re-labelled real exports with the right
// figures, lets the user fix a column mapping, cancels a large analysis and keeps working,
// shows hostile cell values as text, explains a bad file and recovers, switches to Thai, exports
// CSV with formulas neutralised, embeds as <revlens-report>, passes axe-core, works offline once
// loaded (service worker; reload with the network off), maps a file of unknown kind in the page
// (the same numbers as the CLI with the --mapping it shows), runs the package's own worker, and
// never makes a request off its own origin.
//
// Needs pkg/ (scripts/package pkg) and target/release/revlens; scripts/test
// builds both first. Real exports from ../shared/data/crm are used when present.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startStaticSite } from '../support/static-site.mjs';
import { repoRoot, revlens, revlensJson } from '../support/revlens-cli.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.mjs';

const work = path.join(repoRoot, 'target', 'e2e');
const sampleDir = path.join(work, 'sample');
const uploads = path.join(work, 'uploads');
const crmData = path.resolve(repoRoot, '..', 'shared', 'data', 'crm');
const KEY_COUNTS = ['won_count', 'lost_count', 'open_count'];
const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let context;
let page;
const requests = [];
const dialogs = [];
const pageErrors = [];
const consoleErrors = [];

/** The whole-data value of each metric (no period, no breakdown), by id; salesops first. */
function headline(report) {
  const values = {};
  for (const m of report.metrics) {
    if (m.period !== undefined || m.by !== undefined) continue;
    if (!(m.id in values) || m.lens === 'salesops') values[m.id] = m.value;
  }
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

/** A CSV text from rows of cells (quoted when needed). */
function csv(rows) {
  const cell = (c) => (/[",\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c));
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** The figure the page shows for a metric: its data-value and its displayed text as a number. */
async function shownFigure(id, scope = page.locator('#results')) {
  const node = scope.locator(`.figure[data-metric="${id}"]`);
  const value = await node.getAttribute('data-value');
  const text = await node.locator('dd').textContent();
  return { value: value === '' ? null : Number(value), text: Number(text.replace(/[^0-9.-]/g, '')) };
}

async function bodyText() {
  return page.locator('body').innerText();
}

const updates = () => page.evaluate(() => Number(document.body.dataset.updates ?? 0));

/** Waits until the page has finished the analysis after update number `n`. */
async function settled(n) {
  await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', n, { timeout: 60_000 });
}

/** Picks files in the page's file input and waits until the page has finished with them. */
async function upload(...files) {
  const n = await updates();
  await page.setInputFiles('#file-input', files);
  await settled(n);
}

const state = () => page.evaluate(() => document.body.dataset.state);

before(async () => {
  assert.ok(existsSync(path.join(repoRoot, 'pkg', 'revlens.js')), 'pkg/ is missing: run wasm-pack build --target web --out-dir pkg');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup`);
  rmSync(uploads, { recursive: true, force: true });
  mkdirSync(uploads, { recursive: true });
  server = await startStaticSite({ subPath: 'revlens' });
  assert.match(server.url, /\/revlens\/$/);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true, locale: 'en-US' });
  // Every request of every page and worker in the context, including the wasm fetches.
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

test('opens on the sample with the CLI numbers, both lenses, charts with tables', async () => {
  const files = writeSample();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
  assert.equal(await page.locator('#error').isHidden(), true, `error shown: ${await page.locator('#error').textContent()}`);
  assert.equal(await state(), 'ready');
  assert.match(await page.locator('#status').textContent(), /^Sample company: \d+ files analysed/);
  const report = revlensJson(['report', ...files]);
  const expected = headline(report);
  for (const id of KEY_COUNTS) {
    const shown = await shownFigure(id);
    assert.equal(shown.value, expected[id], `${id}: data-value`);
    assert.equal(shown.text, expected[id], `${id}: displayed text`);
  }
  assert.equal((await shownFigure('bookings')).value, expected.bookings, 'bookings');
  assert.equal((await shownFigure('bookings')).text, Math.round(expected.bookings), 'bookings text');
  for (const id of ['win_rate', 'avg_deal_size', 'open_pipeline', 'sales_cycle_days_median']) {
    assert.ok(Math.abs((await shownFigure(id)).value - expected[id]) < 1e-9, id);
  }
  // The RevOps lens, from the same report.
  for (const id of ['leads_created', 'mrr', 'nrr', 'cac', 'total_revenue']) {
    const want = report.metrics.find((m) => m.id === id && m.lens === 'revops' && m.period === undefined && m.by === undefined);
    assert.ok(want, `the CLI report has ${id}`);
    const shown = await shownFigure(id, page.locator('#results .lens.revops'));
    assert.ok(Math.abs(shown.value - want.value) < 1e-9, `${id}: ${shown.value} vs ${want.value}`);
  }
  // The comparison with the four differences, on this data.
  const compare = await page.locator('#results .compare-table').innerText();
  for (const row of ['Scope', 'Responsibilities', 'Metrics', 'Audience']) assert.match(compare, new RegExp(row));
  assert.match(compare, /SalesOps sees a [\d.]+% win rate/);
  assert.match(compare, /RevOps sees that [\d.]+% of leads become customers and NRR is [\d.]+%/);

  // Charts: drawn on canvases, each figure with a table alternative.
  for (const id of ['bookings', 'pipeline', 'funnel', 'mrr-waterfall', 'cohorts', 'sources']) {
    const fig = page.locator(`#results figure[data-chart="${id}"]`);
    assert.equal(await fig.count(), 1, `chart ${id}`);
    assert.ok((await fig.locator('table').count()) >= 1, `chart ${id} has a table alternative`);
  }
  assert.ok((await page.locator('#results canvas').count()) >= 5, 'canvases drawn');
  const funnelRows = await page.locator('#results figure[data-chart="funnel"] tbody tr').count();
  assert.equal(funnelRows, report.revops.funnel.steps.length, 'funnel table rows');

  const tableText = await page.locator('#results table.files').textContent();
  for (const f of files) assert.ok(tableText.includes(path.basename(f)), `file ${path.basename(f)} listed`);
  assert.match(await page.locator('#results [data-metric="quality_score"]').textContent(), /\/ 100/);
  // Findings list the rows behind them.
  assert.ok((await page.locator('#results .findings details').count()) > 0, 'findings have their rows');
  assert.match(await bodyText(), /never leave this browser/);
  await page.waitForTimeout(300);
  mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
  // The README's picture: the header, the comparison and the top of both lenses.
  await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshot.png'), fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 1900 } });
  await page.screenshot({ path: path.join(repoRoot, 'target', 'screenshot-full.png'), fullPage: true });
});

test('period picker and segment filter', async () => {
  const n = await updates();
  await page.selectOption('#grain', 'quarter');
  await settled(n);
  const quarters = await page.locator('#results figure[data-chart="bookings"] tbody th').allTextContents();
  assert.ok(quarters.length > 0 && quarters.every((q) => /^\d{4}-Q[1-4]$/.test(q)), `quarterly periods: ${quarters.slice(0, 3)}`);
  const n2 = await updates();
  await page.selectOption('#grain', 'month');
  await settled(n2);

  const files = readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
  const report = revlensJson(['report', ...files]);
  const byOwner = report.metrics.filter((m) => m.id === 'bookings' && m.lens === 'salesops' && m.by?.owner !== undefined && m.period === undefined);
  const owner = byOwner[0];
  await page.selectOption('#segment', JSON.stringify(['owner', owner.by.owner]));
  await page.waitForFunction(() => document.querySelector('#results .segment') !== null);
  assert.equal((await shownFigure('bookings')).value, owner.value, `bookings of ${owner.by.owner}`);
  await page.selectOption('#segment', '');
  await page.waitForFunction(() => document.querySelector('#results .segment') === null);
});

test('re-labelled real exports (HubSpot, Salesforce) show the right figures', async (t) => {
  const maven = path.join(crmData, 'maven', 'sales_pipeline.csv');
  if (!existsSync(maven)) {
    t.skip('skipped: shared data not present');
    console.log('skipped: shared data not present');
    return;
  }
  const rows = readFileSync(maven, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  const body = rows.slice(1);
  // Independent figures: counted here from the raw rows.
  const won = body.filter((r) => r[4] === 'Won');
  const lost = body.filter((r) => r[4] === 'Lost');
  const bookings = won.reduce((s, r) => s + Number(r[7]), 0);
  const relabels = {
    'hubspot-deals.csv': ['Record ID', 'Deal owner', 'Product', 'Associated Company', 'Deal Stage', 'Create Date', 'Close Date', 'Amount'],
    'salesforce-opportunities.csv': ['Opportunity ID', 'Opportunity Owner', 'Product Name', 'Account Name', 'Stage', 'Created Date', 'Close Date', 'Amount'],
  };
  for (const [name, header] of Object.entries(relabels)) {
    const file = writeUpload(name, csv([header, ...body]));
    await upload(file);
    assert.equal(await state(), 'ready', await page.locator('#error').textContent());
    const expected = headline(revlensJson(['report', file]));
    for (const id of [...KEY_COUNTS, 'bookings', 'win_rate', 'avg_deal_size']) {
      assert.ok(Math.abs((await shownFigure(id)).value - expected[id]) < 1e-9, `${name} ${id}: page vs CLI`);
    }
    assert.equal((await shownFigure('won_count')).value, won.length, `${name}: won deals`);
    assert.equal((await shownFigure('lost_count')).value, lost.length, `${name}: lost deals`);
    assert.equal((await shownFigure('bookings')).value, bookings, `${name}: bookings`);
    const source = name.startsWith('hubspot') ? 'HubSpot' : 'Salesforce';
    assert.match(await page.locator('#results table.files').innerText(), new RegExp(`${name}\\s+Deals\\s+${source}`));
    // Without leads, the RevOps lens says what it needs instead of showing zeros.
    assert.match(await page.locator('#results .lens.revops').innerText(), /Needs a leads or contacts export/);
  }

  const subs = path.join(crmData, 'saas_mrr', 'saas_subscriptions_large.csv');
  if (existsSync(subs)) {
    await upload(subs);
    assert.equal(await state(), 'ready', await page.locator('#error').textContent());
    const report = revlensJson(['report', subs]);
    const mrr = report.metrics.find((m) => m.id === 'mrr' && m.period === undefined && m.by === undefined);
    assert.ok(Math.abs((await shownFigure('mrr', page.locator('#results .lens.revops'))).value - mrr.value) < 1e-6, 'MRR of saas_mrr');
    assert.equal(await page.locator('#results figure[data-chart="mrr-movements"] tbody tr').count(), report.revops.mrr_movements.length);
  }
});

test('a column mapping can be fixed in the page', async () => {
  const file = writeUpload(
    'unmapped.csv',
    csv([
      ['Deal Name', 'Stage', 'Net Deal Worth', 'Close Date', 'Created Date'],
      ['A', 'Closed Won', 100, '2024-02-01', '2024-01-01'],
      ['B', 'Closed Won', 250, '2024-02-02', '2024-01-02'],
      ['C', 'Closed Lost', 50, '2024-02-03', '2024-01-03'],
    ]),
  );
  await upload(file);
  assert.equal((await shownFigure('bookings')).value, 0, 'no amount column mapped yet');
  const article = page.locator('#results article[data-file="unmapped.csv"]');
  await article.locator('details.mapping summary').click();
  await article.locator('select[data-header="Net Deal Worth"]').selectOption('amount');
  const n = await updates();
  await article.locator('button.apply-mapping').click();
  await settled(n);
  assert.equal(await state(), 'ready');
  assert.equal((await shownFigure('bookings')).value, 350, 'bookings after mapping Net Deal Worth → amount');
});

test('hostile cell values and file names render as text; CSV export neutralises formulas', async () => {
  const deals = writeUpload(
    `${XSS}.csv`,
    [
      'Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date,Lead Source',
      `X-1,${XSS},"${XSS}",${XSS},Closed Won,1000,2024-01-05,2024-02-01,"=HYPERLINK(""http://x"")"`,
      `X-2,${XSS} again,Acme,@SUM(A1),Closed Lost,500,2024-01-10,2024-03-01,+cmd`,
      `X-3,Beta,Beta,Bo,Prospecting,${XSS},2024-01-11,2024-06-01,Web`,
      '',
    ].join('\n'),
  );
  await upload(deals);
  assert.equal(await state(), 'ready', await page.locator('#error').textContent());
  const results = await page.locator('#results').textContent();
  assert.ok(results.includes(`${XSS}.csv`), 'file name shown as text');
  assert.ok(results.includes(XSS), 'the rejected amount is shown as text');
  const leaderboard = await page.locator('#results .leaderboard').textContent();
  assert.ok(leaderboard.includes(XSS), 'owner named like markup shown as text in the leaderboard');
  assert.equal(await page.locator('img').count(), 0, 'no img element was created');
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal((await shownFigure('won_count')).value, 1);
  assert.equal((await shownFigure('lost_count')).value, 1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /^section,id,lens,period,by,by_value/);
  assert.ok(text.includes(`"'=HYPERLINK(""http://x"")"`), 'a = cell is neutralised');
  assert.ok(text.includes("'@SUM(A1)"), 'an @ cell is neutralised');
  assert.ok(text.includes("'+cmd"), 'a + cell is neutralised');
  assert.ok(!/(^|,)[=+@]/m.test(text), 'no cell starts with = + @');
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.equal(exported.files[0].file, `${XSS}.csv`);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'screenshot-upload.png'), fullPage: true });
});

test('a malformed file gets a clear error and the page keeps working', async () => {
  const junk = writeUpload('notes.csv', 'foo,bar,baz\n1,2,3\n');
  await upload(junk);
  assert.equal(await state(), 'error');
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
  assert.equal(await state(), 'ready');
  assert.equal(await error.isHidden(), true, 'the error is cleared');
  const expected = headline(revlensJson(['report', good]));
  for (const id of KEY_COUNTS) assert.equal((await shownFigure(id)).value, expected[id], id);

  // With a good file, the unreadable one is listed with its error and the report is made.
  await upload(good, junk);
  assert.equal(await state(), 'ready');
  const note = page.locator('#results .not-read');
  assert.equal(await note.isVisible(), true);
  assert.equal(await note.locator('li').getAttribute('data-code'), 'UNKNOWN_FILE_KIND');
  assert.match(await note.textContent(), /notes\.csv/);
  for (const id of KEY_COUNTS) assert.equal((await shownFigure(id)).value, expected[id], id);
});

test('a file of unknown kind opens the mapping editor: kind, columns, preview; kept for the session; CLI JSON', async () => {
  // No header revlens knows: the engine cannot tell what it holds.
  const name = 'mystery.csv';
  const file = writeUpload(name, 'Ref;Worth;Shut;Outcome\nD1;100;2024-02-01;won\nD2;250;2024-02-02;won\nD3;50;2024-02-03;lost\nD4;70;2024-03-01;open\n');
  await upload(file);
  assert.equal(await state(), 'error');
  assert.equal(await page.locator('#error').getAttribute('data-code'), 'UNKNOWN_FILE_KIND');
  const editor = page.locator(`#mapper .mapper[data-file="${name}"]`);
  assert.equal(await editor.count(), 1, 'the editor opened for the file');
  await page.waitForFunction(() => document.querySelector('#mapper .mapper')?.dataset.state === 'ready');
  // The preview: the decoded cells (delimiter ';' found by the engine) under their headers.
  const headers = await editor.locator('table.map-table thead th').allTextContents();
  assert.deepEqual(headers.slice(1), ['Ref', 'Worth', 'Shut', 'Outcome']);
  const firstRow = await editor.locator('table.map-table tbody tr').nth(1).locator('th, td').allTextContents();
  assert.deepEqual(firstRow, ['2', 'D1', '100', '2024-02-01', 'won']);
  assert.equal(await editor.locator('table.map-table tbody tr').count(), 1 + 4, 'the field row and the 4 data rows');

  // The editor passes axe-core like the rest of the page.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run('#mapper', { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(violations, [], 'accessibility of the mapping editor');
  // Read as deals (the first choice), the engine's synonyms find the status column; every row is used.
  assert.equal(await editor.locator('select.map-kind').inputValue(), 'deals');
  assert.equal(await editor.locator('select[data-header="Outcome"]').inputValue(), 'status');
  assert.equal(await editor.getAttribute('data-used'), '4');
  const choose = async (header, field) => {
    await editor.locator(`select[data-header="${header}"]`).selectOption(field);
    await page.waitForFunction(() => document.querySelector('#mapper .mapper')?.dataset.state === 'ready');
  };
  // Without it no row can be placed: the preview says so, with the engine's reason.
  await choose('Outcome', '');
  assert.equal(await editor.getAttribute('data-used'), '0');
  assert.match(await editor.locator('.map-status').textContent(), /4 rows read: 0 used, 4 rejected · 4 × no stage or status/);
  await choose('Outcome', 'status');
  await choose('Ref', 'id');
  await choose('Worth', 'amount');
  await choose('Shut', 'close');
  assert.equal(await editor.getAttribute('data-used'), '4');
  assert.match(await editor.locator('.map-status').textContent(), /4 rows read: 4 used, 0 rejected/);

  // The CLI's --mapping, shown and copied, gives the CLI the same report.
  const mapping = { [name]: { kind: 'deals', columns: { Ref: 'id', Worth: 'amount', Shut: 'close', Outcome: 'status' } } };
  const shown = await editor.locator('code.map-json').textContent();
  assert.deepEqual(JSON.parse(shown.replace(/^--mapping '/, '').replace(/'$/, '')), mapping);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await editor.locator('button.map-copy').click();
  await page.waitForFunction(() => document.querySelector('#mapper .map-copy').textContent === 'Copied');
  assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), mapping);
  const cli = headline(revlensJson(['report', file, '--mapping', JSON.stringify(mapping)]));

  const n = await updates();
  await editor.locator('button.map-apply').click();
  await settled(n);
  assert.equal(await state(), 'ready', await page.locator('#error').textContent());
  assert.equal(await page.locator('#mapper .mapper').count(), 0, 'the editor closed');
  // Counted by hand: D1 and D2 won (100 + 250), D3 lost, D4 open.
  assert.equal((await shownFigure('won_count')).value, 2);
  assert.equal((await shownFigure('lost_count')).value, 1);
  assert.equal((await shownFigure('open_count')).value, 1);
  assert.equal((await shownFigure('bookings')).value, 350);
  for (const id of [...KEY_COUNTS, 'bookings', 'win_rate']) assert.equal((await shownFigure(id)).value, cli[id], `${id}: page vs CLI with the shown --mapping`);

  // Kept for the session: the same file dropped again is read with the mapping at once.
  await upload(file);
  assert.equal(await state(), 'ready');
  assert.equal((await shownFigure('bookings')).value, 350);
  const kept = JSON.parse(await page.evaluate(() => sessionStorage.getItem('revlens.mappings')));
  assert.deepEqual(kept[name], mapping[name]);
});

test('a large analysis runs in a worker with progress; cancel keeps the page usable', async () => {
  const bigDir = path.join(work, 'big');
  rmSync(bigDir, { recursive: true, force: true });
  revlens(['sample', '--out', bigDir, '--deals', '100000']);
  const big = ['salesforce_opportunities.csv', 'salesforce_opportunity_history.csv'].map((n) => path.join(bigDir, n));
  const wonBefore = (await shownFigure('won_count')).value;
  // With the 800k-row contacts export three times over (2.4 M rows, about 400 MB), the run lasts
  // seconds even on a fast machine: the cancel always lands in it.
  const contacts = path.join(bigDir, 'hubspot_contacts.csv');
  const copies = [2, 3].map((i) => path.join(bigDir, `hubspot_contacts_${i}.csv`));
  for (const c of copies) copyFileSync(contacts, c);
  await page.setInputFiles('#file-input', [...big, contacts, ...copies]);
  await page.locator('#progress').waitFor({ state: 'visible', timeout: 10_000 });
  // The main thread stays responsive while the worker reads and analyses.
  const started = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.ok(Date.now() - started < 1000, `main thread blocked for ${Date.now() - started} ms`);
  const n = await updates();
  await page.click('#cancel');
  await settled(n);
  assert.match(await page.locator('#status').textContent(), /Cancelled/);
  assert.equal(await page.locator('#progress').isHidden(), true);
  assert.equal((await shownFigure('won_count')).value, wonBefore, 'the previous report stays');

  // After the cancel (a fresh worker), a full run of the big files completes with the CLI numbers.
  await upload(...big);
  assert.equal(await state(), 'ready', await page.locator('#error').textContent());
  const expected = headline(revlensJson(['report', ...big]));
  for (const id of KEY_COUNTS) assert.equal((await shownFigure(id)).value, expected[id], `big ${id}`);
  rmSync(bigDir, { recursive: true, force: true });
});

test('Thai UI with Intl formatting, and back', async () => {
  await page.selectOption('#lang', 'th');
  await page.waitForFunction(() => document.documentElement.lang === 'th');
  await page.waitForFunction(() => document.querySelector('#results .rl-report')?.getAttribute('lang') === 'th');
  const text = await bodyText();
  assert.match(text, /ไฟล์ของคุณไม่เคยออกจากเบราว์เซอร์นี้/, 'privacy statement in Thai');
  assert.match(text, /คุณภาพข้อมูล/, 'quality heading in Thai');
  assert.ok(Number.isFinite((await shownFigure('won_count')).value));
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
});

test('back to the sample; dark theme; no serious accessibility violations (axe-core)', async () => {
  const n = await updates();
  await page.click('#use-sample');
  await settled(n);
  assert.match(await page.locator('#status').textContent(), /^Sample company/);
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const serious = () =>
    page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    });
  assert.deepEqual(await serious(), [], 'light theme');
  await page.selectOption('#theme', 'dark');
  await page.waitForTimeout(300);
  assert.deepEqual(await serious(), [], 'dark theme');
  await page.selectOption('#theme', 'auto');
});

test('<revlens-report> embeds the same renderer in a shadow root', async () => {
  const files = readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
  const expected = headline(revlensJson(['report', ...files]));
  const embed = await context.newPage();
  embed.on('pageerror', (e) => pageErrors.push(String(e)));
  embed.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await embed.goto(new URL('embed.html', server.url).href);
  await embed.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  const shown = await embed.evaluate(() => {
    const root = document.getElementById('embedded').shadowRoot;
    const figure = (id) => root.querySelector(`.figure[data-metric="${id}"]`)?.dataset.value;
    return { won: figure('won_count'), lost: figure('lost_count'), mrr: !!root.querySelector('.lens.revops'), light: document.querySelectorAll('.figure').length };
  });
  assert.equal(Number(shown.won), expected.won_count);
  assert.equal(Number(shown.lost), expected.lost_count);
  assert.equal(shown.mrr, true);
  assert.equal(shown.light, 0, 'nothing leaks into the light DOM');

  // A report with a forecast section (bookings fan, Monte Carlo) is drawn from its fields.
  const drawn = await embed.evaluate(async () => {
    const element = document.getElementById('embedded');
    const forecast = {
      bookings: {
        model: 'ETS(A,N,N)',
        forecast: [
          { period: '2026-07', value: 100, lo80: 80, hi80: 120, lo95: 70, hi95: 130 },
          { period: '2026-08', value: 110, lo80: 85, hi80: 135, lo95: 72, hi95: 150 },
        ],
        backtest: { mase: 0.8, smape: 0.2, seasonal_naive_mase: 1.1 },
      },
      pipeline: {
        periods: [
          { period: '2026-Q3', closed: 10, expected: 50, p10: 30, p50: 50, p90: 70, histogram: [{ from: 20, to: 40, count: 30 }, { from: 40, to: 60, count: 50 }, { from: 60, to: 80, count: 20 }] },
        ],
      },
    };
    const done = new Promise((r) => element.addEventListener('revlens-report', r, { once: true }));
    element.report = { ...element.report, forecast };
    await done;
    const root = element.shadowRoot;
    return {
      rows: [...root.querySelectorAll('figure[data-chart="bookings"] tbody th')].map((th) => th.textContent).slice(-2),
      note: root.querySelector('figure[data-chart="bookings"] .note')?.textContent,
      monteCarlo: root.querySelector('figure[data-chart="monte-carlo"] table')?.textContent ?? '',
      canvas: !!root.querySelector('figure[data-chart="monte-carlo"] canvas'),
    };
  });
  assert.deepEqual(drawn.rows, ['2026-07', '2026-08']);
  assert.match(drawn.note, /ETS\(A,N,N\).*MASE 0\.8/);
  // In plain words too: the method, and 1 − 0.8/1.1 = 27.3% less error than seasonal naive.
  assert.match(drawn.note, /^How it forecasts: exponential smoothing/);
  assert.match(drawn.note, /missed by 27\.3% less than simply repeating the figures of a year before/);
  assert.match(drawn.monteCarlo, /2026-Q3/);
  assert.equal(drawn.canvas, true);
  await embed.close();
});

test('a report is drawn in slices: no task draws more than one section or one chart, at two sizes', async () => {
  // The renderer's own count of its tasks (opts.onSlice, called at the end of each), on the CLI's
  // reports of the sample company and of a 50,000-deal company: what each task added.
  const slices = (report) =>
    page.evaluate(async (r) => {
      const { renderReport } = await import('./lib/render.js');
      const { Chart } = await import('./vendor/chart.js/chart.js');
      const box = document.createElement('div');
      document.body.append(box);
      const count = () => ({ sections: box.querySelectorAll('section.panel').length, charts: Object.keys(Chart.instances).length, rows: box.querySelectorAll('tr').length });
      let last = count();
      const tasks = [];
      const view = await renderReport(box, r, {
        lang: 'en',
        lens: 'both',
        onSlice: () => {
          const now = count();
          tasks.push({ sections: now.sections - last.sections, charts: now.charts - last.charts, rows: now.rows - last.rows });
          last = now;
        },
      });
      const drawn = box.querySelectorAll('section.panel').length;
      view.destroy();
      box.remove();
      return { tasks, drawn };
    }, report);
  const bigDir = path.join(work, 'slices');
  rmSync(bigDir, { recursive: true, force: true });
  revlens(['sample', '--out', bigDir, '--deals', '50000']);
  const small = await slices(revlensJson(['report', ...readdirSync(sampleDir).map((f) => path.join(sampleDir, f))]));
  const big = await slices(revlensJson(['report', ...readdirSync(bigDir).map((f) => path.join(bigDir, f))]));
  rmSync(bigDir, { recursive: true, force: true });
  for (const [name, run] of [['sample', small], ['50k deals', big]]) {
    assert.ok(run.tasks.every((t) => t.sections + t.charts <= 1), `${name}: a task drew more than one section or chart: ${JSON.stringify(run.tasks)}`);
    assert.equal(run.tasks.reduce((s, t) => s + t.sections, 0), run.drawn, `${name}: every section drawn, one per task`);
    assert.ok(run.tasks.reduce((s, t) => s + t.charts, 0) >= 5, `${name}: the charts drawn, one per task`);
  }
  // More data means more table rows, not more work in one task: the same slices at both sizes.
  assert.ok(big.tasks.reduce((s, t) => s + t.rows, 0) > small.tasks.reduce((s, t) => s + t.rows, 0), 'the larger report has more rows');
  assert.deepEqual(big.tasks.map((t) => [t.sections, t.charts]), small.tasks.map((t) => [t.sections, t.charts]));
});

test('spend typed in gives CAC when there is no spend file', async () => {
  const files = readdirSync(sampleDir).filter((n) => !n.includes('spend')).map((f) => path.join(sampleDir, f));
  await upload(...files);
  assert.equal(await state(), 'ready');
  assert.equal((await shownFigure('cac')).value, null, 'no CAC without spend');
  const months = [['2026-01', 'marketing', 30000], ['2026-02', 'sales', 20000]];
  for (const [month, channel, amount] of months) {
    const n = await updates();
    await page.locator('#spend-box summary').click().catch(() => {});
    await page.evaluate(() => { document.getElementById('spend-box').open = true; });
    await page.fill('#spend-month', month);
    await page.selectOption('#spend-channel', channel);
    await page.fill('#spend-amount', String(amount));
    await page.click('#spend-form button[type=submit]');
    await settled(n);
  }
  assert.equal(await page.locator('#spend-list li').count(), 2);
  const spend = JSON.stringify(months.map(([month, channel, amount]) => ({ month, channel, amount })));
  const cli = revlensJson(['report', ...files, '--spend', spend]);
  const cac = cli.metrics.find((m) => m.id === 'cac' && m.period === undefined && m.by === undefined);
  assert.ok(cac && cac.value > 0, 'the CLI computes CAC from the typed spend');
  assert.equal((await shownFigure('cac')).value, cac.value);
  // Removing an entry recomputes.
  const n = await updates();
  await page.locator('#spend-list li button').first().click();
  await settled(n);
  assert.equal(await page.locator('#spend-list li').count(), 1);
  await page.click('#use-sample');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && /^Sample/.test(document.getElementById('status').textContent));
});

test('works offline once loaded: a reload with no network shows the sample again', async () => {
  const offline = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US' });
  offline.on('request', (r) => requests.push(r.url()));
  try {
    const p = await offline.newPage();
    await p.goto(server.url);
    await p.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    await p.waitForFunction(() => document.body.dataset.offline === 'ready', null, { timeout: 30_000 });
    const online = await p.locator('.figure[data-metric="bookings"]').first().getAttribute('data-value');
    await offline.setOffline(true);
    await p.reload();
    await p.waitForFunction(() => document.body.dataset.state && document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
    assert.equal(await p.evaluate(() => document.body.dataset.state), 'ready', await p.locator('#error').textContent());
    assert.ok(await p.evaluate(() => navigator.serviceWorker.controller !== null), 'the page is served by its service worker');
    assert.equal(await p.locator('.figure[data-metric="bookings"]').first().getAttribute('data-value'), online);
    // Charts too: the chart library came from the offline copy.
    assert.ok((await p.locator('#results canvas').count()) > 0, 'charts drawn offline');
  } finally {
    await offline.close();
  }
});

test('every request of the session stayed on the page origin', () => {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 0, 'no request recorded');
  const off = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
  assert.deepEqual(off, [], 'requests off the page origin');
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm module was fetched from the page origin');
  assert.ok(requests.some((u) => u.includes('/vendor/chart.js/')), 'the chart library came from the page origin');
  // Everything came from below the site's sub-path: every URL of the site is relative.
  const outside = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith(server.url));
  assert.deepEqual(outside, [], 'requests outside the site folder');
  // One worker: the package's (revlens/worker), not a copy of the page's own.
  assert.ok(requests.includes(new URL('pkg/worker-thread.js', server.url).href), "the package's worker ran");
  assert.ok(!requests.some((u) => /\/lib\/worker\.js$/.test(u)), 'no other worker script');
  assert.deepEqual(pageErrors, [], 'uncaught page errors');
  const csp = consoleErrors.filter((m) => /Content Security Policy/i.test(m));
  assert.deepEqual(csp, [], 'CSP violations');
});
