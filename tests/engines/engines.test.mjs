// The page in three browser engines — Chromium, Firefox (Gecko) and WebKit — driven by one plain
// W3C WebDriver client (tests/support/webdriver.mjs) through chromedriver, geckodriver and
// WebKitGTK's WebKitWebDriver (MiniBrowser). For each engine, on the site scripts/site builds,
// served plainly under a sub-path (tests/support/static-site.mjs):
//   - the page opens on the embedded sample and draws the report with no page error, and its key
//     numbers (won deals, open pipeline, win rate as shown, the What changed waterfall's bars)
//     equal the CLI's (`revlens report --json`, no files: the same embedded sample);
//   - the sample's ten exports dropped on the page are read (by the worker's BYOB reader where
//     the engine has one, else its plain stream reader) and drawn with the same numbers; the
//     time from the drop to the report drawn is measured in the page and printed;
//   - in Thai, with every <details> open, no Latin-script sentence but names from the data, codes
//     and numbers (tests/support/latin.mjs), and the status line keeps its state across the
//     switch; every message with 0, 1, 2 and no value by the engine's own Intl;
//   - a bad file picked in the real <input type=file> is said from its code in both languages;
//     one file says "1 file"; the CSV export's blob holds the CLI's number;
//   - the layout at 390 and 1280 px in both languages (the page in an <iframe> of that width):
//     no sideways scroll, figures on one line in their cards, the comparison stacked on a phone;
//   - the Thai report printed with WebDriver's Print command (A4): pages, the Thai face embedded
//     (WebKitWebDriver has no Print command: the test says it is skipped there);
//   - embed.html draws <revlens-report>; the service worker serves a reload with the server
//     stopped (where the engine offers service workers to http://127.0.0.1; the test says so
//     when it does not); the npm-packed package works in a plain page (tests/consumers/plain).
// Where an engine lacks something (no BYOB reader, no BiDi, Chart.js out of the driver's reach),
// the test's diagnostic says which path it exercised. In-page checks are shared with the
// Chromium tests (tests/support/page-checks.mjs, tests/consumers/support.mjs).
// Errors: WebDriver BiDi's log (uncaught exceptions, console.error) where the driver offers it
// (chromedriver, geckodriver), and an injected window.onerror/unhandledrejection hook everywhere.
//
// REVLENS_ENGINES=firefox,webkit picks engines (default all three). WebKitGTK needs an X display:
// scripts/test runs this under `xvfb-run -a`; alone, the WebKit driver gets its own xvfb-run.
// Times and versions go to target/engines/engines.json. Needs pkg/ and target/release/revlens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite } from '../../scripts/site.mjs';
import { plainStaticServer } from '../support/static-site.mjs';
import { repoRoot, revlens, revlensJson } from '../support/revlens-cli.mjs';
import { ENGINES, found, startDriver } from '../support/webdriver.mjs';
import { dataStrings, latinSentences } from '../support/latin.mjs';
import { NOT_PLURAL, measureFigures, messageProblems, pageLayout, splitFigures } from '../support/page-checks.mjs';
import { parseCsv, xlsx } from '../support/xlsx.mjs';
import { pdfSummary } from '../support/pdf.mjs';
import { assertConsumerData, assertConsumerElement, consumerElement, run, serve } from '../consumers/support.mjs';

const SUB_PATH = 'revlens';
const wanted = (process.env.REVLENS_ENGINES || 'chromium,firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
for (const e of wanted) assert.ok(ENGINES[e], `REVLENS_ENGINES: unknown engine ${e} (chromium, firefox, webkit)`);
const BARS = ['start', 'won', 'lost', 'pushed_out', 'pulled_earlier', 'removed', 'new', 'pulled_in', 'reopened', 'increased', 'decreased', 'end'];
const THAI_CHANGES = 'อะไรเปลี่ยนไป';
const THAI_QUALITY = /คุณภาพข้อมูล/;
const LIMIT = { timeout: 240_000 }; // per test and hook: a stuck browser fails, it does not hang CI

let root; // the temporary folder served: <root>/revlens/ is the site
let cli; // the CLI's report of the embedded sample
let cliFiles; // the CLI's report of the sample's exports as files
let sampleFiles; // [[name, text]] of `revlens sample --out`
let uploads; // files picked in the page's file input: a junk CSV and a one-deal-file export
let consumerPkg; // the packed package (npm pack pkg/), unpacked
const results = {};

/** The whole-data value of each metric (no period, no breakdown), by id; salesops first. */
function headline(report) {
  const values = {};
  for (const m of report.metrics) {
    if (m.period !== undefined || m.by !== undefined) continue;
    if (!(m.id in values) || m.lens === 'salesops') values[m.id] = m;
  }
  return values;
}

/** The text the page shows for a metric (www/lib/i18n.js's en-US formatting), from Node's Intl. */
function shownText(m, currency) {
  if (m.unit === 'ratio') return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(m.value);
  if (m.unit === 'currency') return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(m.value);
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(m.value);
}

// In-page helpers, run through WebDriver (function bodies; `arguments` are the args).
const HOOK = `
  if (!window.__revlensErrors) {
    window.__revlensErrors = [];
    window.addEventListener('error', (e) => window.__revlensErrors.push('error: ' + (e.error && e.error.stack || e.message)));
    window.addEventListener('unhandledrejection', (e) => window.__revlensErrors.push('unhandledrejection: ' + (e.reason && e.reason.stack || e.reason)));
  }
  return true;`;
const DRAWN = `(() => { const r = document.querySelector('#results .rl-report'); return document.body.dataset.state === 'ready' && r && !r.dataset.drawing; })()`;
const FIGURES = `
  const out = {};
  for (const id of arguments[0]) {
    const node = document.querySelector('#results .figure[data-metric="' + id + '"]');
    const v = node && node.querySelector('.figure-value');
    out[id] = node ? { value: node.dataset.value, text: v && (v.getAttribute('title') || v.textContent) } : null;
  }
  return out;`;
const BARS_SHOWN = `
  const base = arguments[0] ? document.getElementById(arguments[0]).shadowRoot : document.querySelector('#results');
  return [...base.querySelectorAll('section.changes .waterfall-bars tbody tr')].map((tr) => ({ bar: tr.dataset.bar, amount: Number(tr.dataset.amount) }));`;
// The worker reads dropped files with Blob.stream(): a BYOB reader where the engine has one.
const READER = `
  try { new Blob(['x']).stream().getReader({ mode: 'byob' }).releaseLock(); return 'BYOB'; }
  catch (e) { return 'default reader (no BYOB: ' + e.name + ')'; }`;
// Drops File objects on the drop zone, as a user's drop does, and resolves to the time from the
// drop to the report drawn (measured in the page), with how the drop was made.
const DROP = `
  const done = arguments[arguments.length - 1];
  const files = arguments[0].map(([name, text]) => new File([text], name, { type: 'text/csv' }));
  const zone = document.getElementById('dropzone');
  const before = Number(document.body.dataset.updates || 0);
  let event = null;
  let how = 'DragEvent with a DataTransfer';
  try {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    event = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
    if (!event.dataTransfer || event.dataTransfer.files.length !== files.length) event = null;
  } catch (e) { event = null; }
  if (!event) {
    how = 'drop Event with its files (this engine builds no DataTransfer from script)';
    event = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { files } });
  }
  const drawn = () => { const r = document.querySelector('#results .rl-report'); return Number(document.body.dataset.updates || 0) > before && document.body.dataset.state !== 'loading' && r && !r.dataset.drawing; };
  const t0 = performance.now();
  const check = () => {
    if (!drawn()) return false;
    observer.disconnect();
    const draw = performance.getEntriesByName('revlens: report drawn').pop();
    done({ ms: performance.now() - t0, drawMs: draw && draw.startTime >= t0 ? draw.duration : null, how, state: document.body.dataset.state, status: document.getElementById('status').textContent });
    return true;
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { attributes: true, subtree: true, childList: true });
  zone.dispatchEvent(event);
  check();`;

before(() => {
  assert.ok(existsSync(path.join(repoRoot, 'pkg', 'revlens.js')), 'pkg/ is missing: run scripts/package pkg');
  root = mkdtempSync(path.join(os.tmpdir(), 'revlens-engines-'));
  buildSite({ out: path.join(root, SUB_PATH) });
  // No files: the embedded sample (stderr says so; kept out of the test's output).
  cli = JSON.parse(revlens(['report', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const dir = path.join(root, 'sample-files');
  revlens(['sample', '--out', dir]);
  const names = readdirSync(dir).filter((n) => n.endsWith('.csv')).sort();
  assert.equal(names.length, 10, `revlens sample wrote ${names}`);
  sampleFiles = names.map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]);
  cliFiles = revlensJson(['report', ...names.map((n) => path.join(dir, n))]);
  // Files for the page's file input: one it cannot read, and a small export of deals.
  const up = path.join(root, 'uploads');
  mkdirSync(up);
  // The good one an XLSX (the sample's deals export, its cells as text): the worker loads the
  // full module, the one with the spreadsheet reader, for it.
  uploads = { junk: path.join(up, 'notes.csv'), good: path.join(up, 'salesforce_opportunities.xlsx') };
  writeFileSync(uploads.junk, 'foo,bar,baz\n1,2,3\n');
  const deals = sampleFiles.find(([n]) => n === 'salesforce_opportunities.csv');
  assert.ok(deals, "the sample's deals export");
  writeFileSync(uploads.good, xlsx(parseCsv(deals[1]).filter((row) => row.some((c) => c !== ''))));
  uploads.report = revlensJson(['report', uploads.good]);
  // The package as its users get it: `npm pack` of pkg/, unpacked where the plain consumer page
  // (tests/consumers/plain) imports it from, ../node_modules/revlens/.
  const packed = JSON.parse(run('npm', ['pack', path.join(repoRoot, 'pkg'), '--pack-destination', root, '--json', '--loglevel=error'], repoRoot));
  consumerPkg = path.join(root, 'consumer');
  mkdirSync(consumerPkg);
  run('tar', ['-xzf', path.join(root, packed[0].filename), '-C', consumerPkg, '--strip-components=1'], root);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  if (!sampleFiles || !Object.values(results).some((r) => r.dropMs !== undefined || r.openMs !== undefined)) return;
  const out = path.join(repoRoot, 'target', 'engines');
  mkdirSync(out, { recursive: true });
  const bytes = sampleFiles.reduce((s, [, t]) => s + Buffer.byteLength(t), 0);
  const summary = { date: new Date().toISOString().slice(0, 10), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()}`, dropped: { files: sampleFiles.length, bytes }, engines: results };
  writeFileSync(path.join(out, 'engines.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nbrowser engines (${summary.date}, ${summary.machine}; drop = the sample's ${sampleFiles.length} exports, ${(bytes / 1e6).toFixed(2)} MB):`);
  for (const [key, r] of Object.entries(results)) {
    const ms = (v) => (typeof v === 'number' ? `${Math.round(v)} ms` : '—');
    console.log(`  ${ENGINES[key].name.padEnd(9)} ${String(r.version).padEnd(28)} open → drawn ${ms(r.openMs).padStart(8)}   drop → drawn ${ms(r.dropMs).padStart(8)} (drawing ${ms(r.dropDrawMs)})   reader: ${r.reader ?? '—'}${r.skipped?.length ? `   skipped: ${r.skipped.join('; ')}` : ''}`);
  }
});

for (const key of wanted) {
  const engine = ENGINES[key];
  describe(engine.name, () => {
    let server;
    let driver;
    let session;
    let url;
    let bidi = false;
    let serverStopped = false; // the offline test stops it (and its close() must run once)
    const r = (results[key] = { version: engine.version(), skipped: [] });

    /** Errors seen so far: BiDi's log, the injected hook's. */
    async function pageErrors() {
      const hooked = await session.execute('return window.__revlensErrors || []').catch(() => []);
      return [...(bidi ? session.logErrors() : []), ...hooked];
    }

    async function open(address) {
      await session.navigate(address);
      await session.execute(HOOK);
    }

    async function assertFigures(report, what) {
      const want = headline(report);
      const ids = ['won_count', 'open_pipeline', 'win_rate'];
      const shown = await session.execute(FIGURES, ids);
      for (const id of ids) {
        assert.ok(shown[id], `${what}: no figure for ${id}`);
        assert.equal(Number(shown[id].value), want[id].value, `${what}: ${id} data-value`);
        assert.equal(shown[id].text.replace(/\s/g, ' '), shownText(want[id], report.currency).replace(/\s/g, ' '), `${what}: ${id} as shown`);
      }
      return Object.fromEntries(ids.map((id) => [id, shown[id].text]));
    }

    async function assertBars(report, what, embedId) {
      const cmp = report.snapshots?.comparison;
      const shown = await session.execute(BARS_SHOWN, embedId ?? null);
      if (!cmp) {
        assert.equal(shown.length, 0, `${what}: no comparison in the CLI's report, yet bars shown`);
        return;
      }
      assert.deepEqual(shown.map((b) => b.bar), BARS, `${what}: What changed's bars`);
      shown.forEach((b, i) => assert.ok(Math.abs(b.amount - cmp.waterfall[i].amount) < 0.005, `${what}: ${b.bar} ${b.amount}, CLI ${cmp.waterfall[i].amount}`));
    }

    before(async () => {
      for (const bin of [engine.driver, engine.browser]) assert.ok(found(bin), `${bin} is missing: run scripts/setup`);
      if (engine.display && !process.env.DISPLAY) assert.ok(found('xvfb-run'), 'xvfb-run is missing (apt xvfb): run scripts/setup');
      server = await plainStaticServer(root);
      url = new URL(`${SUB_PATH}/`, server.url).href;
      driver = await startDriver(engine);
      session = await driver.newSession();
      r.version = engine.label(session.capabilities.browserVersion) ?? r.version;
      bidi = await session.openLog();
    }, LIMIT);

    after(async () => {
      await session?.quit();
      await driver?.stop();
      if (!serverStopped) await server?.close();
    }, LIMIT);

    test('opens on the sample and draws the CLI numbers, with no page error', LIMIT, async (t) => {
      await open(url);
      await session.waitFor(DRAWN, { timeout: 90_000, what: 'the sample report drawn' });
      // From the navigation's start to the report drawn (polled, so up to ~50 ms late).
      r.openMs = await session.execute('return performance.now()');
      const state = await session.execute(`return { state: document.body.dataset.state, error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent, status: document.getElementById('status').textContent }`);
      assert.equal(state.error, null, `error shown: ${state.error}`);
      assert.match(state.status, /^Sample company/);
      const shown = await assertFigures(cli, 'the sample');
      await assertBars(cli, 'the sample');
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${r.version}: open → drawn ${Math.round(r.openMs)} ms; ${Object.entries(shown).map(([k, v]) => `${k} ${v}`).join(', ')}; errors from ${bidi ? 'BiDi log + injected hook' : 'injected hook (no BiDi in this driver)'}`);
    });

    test("the sample's exports dropped on the page: read, drawn, timed", LIMIT, async (t) => {
      r.reader = await session.execute(READER);
      const dropped = await session.executeAsync(DROP, sampleFiles);
      assert.equal(dropped.state, 'ready', dropped.status);
      assert.match(dropped.status, new RegExp(`${sampleFiles.length} files analysed`));
      r.dropMs = dropped.ms;
      r.dropDrawMs = dropped.drawMs; // of which drawing the report (the rest: reading and analysing)
      await assertFigures(cliFiles, 'the dropped files');
      await assertBars(cliFiles, 'the dropped files');
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${r.version}: drop → drawn ${Math.round(dropped.ms)} ms, of which drawing ${Math.round(dropped.drawMs)} ms (${sampleFiles.length} files; ${dropped.how}); reader path: ${r.reader}`);
    });

    /** Chooses a language with WebDriver's own click on its option; waits for the report drawn in it. */
    async function language(lang) {
      await session.click(await session.find(`#lang option[value="${lang}"]`));
      await session.waitFor(`document.documentElement.lang === '${lang}' && (!document.querySelector('#results .rl-report') || document.querySelector('#results .rl-report').getAttribute('lang') === '${lang}')`, { what: `the page in ${lang}` });
      await session.waitFor(`!document.querySelector('#results .rl-report[data-drawing]')`, { what: `the report drawn in ${lang}` });
    }

    const status = () => session.execute(`return document.getElementById('status').textContent`);

    test('Thai: headings, every sentence in Thai (none from the engine in English), the status line kept; and back', LIMIT, async (t) => {
      await language('th');
      const th = await session.execute(`return { changes: document.querySelector('#results section.changes h3')?.textContent ?? null, text: document.body.innerText }`);
      if (cliFiles.snapshots?.comparison) assert.equal(th.changes, THAI_CHANGES);
      assert.match(th.text, THAI_QUALITY, 'the quality heading in Thai');
      assert.match(th.text, /ไฟล์ของคุณไม่เคยออกจากเบราว์เซอร์นี้/, 'the privacy statement in Thai');
      // The status line keeps its state (the ten files analysed), said in Thai.
      assert.equal(await status(), `ไฟล์ของคุณ: วิเคราะห์ ${sampleFiles.length} ไฟล์ในเบราว์เซอร์นี้แล้ว`);
      // Every <details> open: the whole page holds no Latin-script sentence but the names from
      // the data, the codes shown on purpose and numbers (the core's sentences said from codes).
      const allOpen = `document.querySelectorAll('details').forEach((d) => (d.open = true)); return document.body.innerText;`;
      const names = dataStrings(cliFiles);
      const thai = await session.execute(allOpen);
      assert.match(thai, /แถวที่ไม่ได้ใช้: /, 'a finding of the core said in Thai');
      assert.deepEqual(latinSentences(thai, names), [], 'Latin-script sentences on the Thai page');
      await language('en');
      assert.equal(await status(), `Your files: ${sampleFiles.length} files analysed in this browser.`);
      // The same check on the English page does see sentences (it can fail).
      const seen = latinSentences(await session.execute(allOpen), names).length;
      assert.ok(seen > 20, `the check sees ${seen} English sentences`);
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${engine.name}: Thai page checked with every <details> open; ${seen} Latin sentences on the English page`);
    });

    test("plurals and missing values: every message with 0, 1, 2 and none, by this engine's Intl", LIMIT, async (t) => {
      // The shared check (its source) on the page's own copy of the catalogues.
      const check = `async (notPlural) => {
        const { MESSAGES, translator } = await import(new URL('lib/i18n.js', document.baseURI).href);
        return (${messageProblems})(MESSAGES, translator, notPlural);
      }`;
      const { problems, said } = await session.run(check, NOT_PLURAL);
      assert.ok(said > 500, `only ${said} messages said`);
      assert.deepEqual(problems, []);
      const plural = await session.execute(`return ['en', 'th'].map((l) => new Intl.PluralRules(l).resolvedOptions().pluralCategories.join(' '))`);
      t.diagnostic(`${engine.name}: ${said} messages said; plural categories en: ${plural[0]}, th: ${plural[1]}`);
    });

    /** Picks `files` (paths) in the page's file input with WebDriver's Element Send Keys; waits until analysed. */
    async function pick(...files) {
      const before = await session.execute('return Number(document.body.dataset.updates || 0)');
      await session.sendKeys(await session.find('#file-input'), files.join('\n'));
      await session.waitFor(`Number(document.body.dataset.updates || 0) > ${before} && document.body.dataset.state !== 'loading'`, { timeout: 90_000, what: `${files.map((f) => path.basename(f))} analysed` });
      return session.execute(`return { state: document.body.dataset.state, code: document.getElementById('error').hidden ? null : document.getElementById('error').dataset.code, message: document.getElementById('error').textContent, status: document.getElementById('status').textContent }`);
    }

    test('the file input: a bad file said from its code in both languages, then one XLSX ("1 file") and its CSV export', LIMIT, async (t) => {
      const bad = await pick(uploads.junk);
      assert.equal(bad.state, 'error', bad.status);
      assert.equal(bad.code, 'UNKNOWN_FILE_KIND');
      assert.match(bad.message, /^UNKNOWN_FILE_KIND: notes\.csv: cannot tell what this file holds from its header \(line 1: foo \| bar \| baz\)/);
      await language('th');
      assert.match(await session.execute(`return document.getElementById('error').textContent`), /^UNKNOWN_FILE_KIND: notes\.csv: บอกไม่ได้ว่าไฟล์นี้เก็บข้อมูลอะไรจากหัวตาราง \(บรรทัด 1: /);
      assert.equal(await status(), 'วิเคราะห์ไฟล์เหล่านี้ไม่ได้ ข้อความด้านล่างบอกสาเหตุ');
      await language('en');
      assert.equal(await status(), 'These files could not be analysed; the message below says why.');

      const one = await pick(uploads.good);
      assert.equal(one.state, 'ready', one.message);
      assert.equal(one.code, null, 'the error is cleared');
      assert.equal(one.status, 'Your files: 1 file analysed in this browser.');
      await session.waitFor(DRAWN, { what: 'the XLSX drawn' });
      // Values only: the report of one deals export names no currency (shown as a plain number).
      const want = headline(uploads.report);
      const shown = await session.execute(FIGURES, ['won_count', 'open_pipeline', 'win_rate']);
      for (const [id, v] of Object.entries(shown)) assert.equal(Number(v?.value), want[id].value, `the XLSX: ${id}`);
      const won = want.won_count.value;
      // The CSV export as the page builds it: the Blob handed to URL.createObjectURL, read back
      // in the page (the download itself is the browser's: not followed here).
      const csv = await session.run(async () => {
        const made = [];
        const create = URL.createObjectURL;
        URL.createObjectURL = (blob) => (made.push(blob), create.call(URL, blob));
        const stop = (e) => e.target.closest?.('a[download]') && e.preventDefault();
        document.addEventListener('click', stop, true);
        try {
          document.getElementById('export-csv').click();
        } finally {
          URL.createObjectURL = create;
          document.removeEventListener('click', stop, true);
        }
        return made.length === 1 ? { type: made[0].type, text: await made[0].text() } : { count: made.length };
      });
      assert.equal(csv.type, 'text/csv');
      const lines = csv.text.split('\r\n');
      assert.match(lines[0], /^section,id,lens,period,by,by_value,/);
      const wonRow = lines.find((l) => l.startsWith('metric,won_count,salesops,,,,,,'));
      assert.equal(wonRow?.split(',')[8], String(won), 'won_count in the CSV');
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${engine.name}: files picked with WebDriver's Element Send Keys on <input type=file> (a junk CSV, then an XLSX); the CSV export's blob read back (${lines.length - 1} rows)`);
    });

    test('layout at 390 and 1280 px, in Thai and in English: no horizontal scroll, figures on one line within their cards', LIMIT, async (t) => {
      // The page in a same-origin <iframe> of each width: its viewport is the frame's, in every
      // engine (a window cannot be made 390 px wide in all three: Firefox stops at 500 px).
      await open(url);
      await session.waitFor(DRAWN, { timeout: 90_000, what: 'the sample report drawn' });
      const frame = await session.execute(`
        const f = document.createElement('iframe');
        f.id = 'layout-frame';
        f.width = '390';
        f.height = '900';
        f.style.border = '0'; // the page's border-box sizing would take the frame's border off its width
        f.src = location.href;
        document.body.prepend(f);
        return true;`);
      assert.equal(frame, true);
      const width = (w) => session.execute(`document.getElementById('layout-frame').width = '${w}'; return true;`);
      await session.frame(await session.find('#layout-frame'));
      const seen = [];
      let chartsUnseen = false;
      try {
        await session.waitFor(`location.href !== 'about:blank' && document.readyState !== 'loading'`, { what: 'the page in the frame' });
        await session.execute(HOOK);
        await session.waitFor(DRAWN, { timeout: 90_000, what: 'the sample report drawn in the frame' });
        for (const [lang, widths] of [['th', [390, 1280]], ['en', [1280, 390]]]) {
          await language(lang);
          for (const w of widths) {
            await session.frame(null);
            await width(w);
            await session.frame(await session.find('#layout-frame'));
            // Chart.js resizes on a ResizeObserver and a frame: two frames and a task later it has.
            await session.waitFor(`innerWidth === ${w}`, { what: `the frame ${w} px wide` });
            await session.executeAsync(`const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250)));`);
            const at = `${lang} at ${w} px`;
            seen.push(at);
            const layout = await session.run(pageLayout);
            assert.ok(layout.scrollWidth <= layout.innerWidth, `${at}: the page is ${layout.scrollWidth} px wide: ${layout.overflowing.join('; ')}`);
            const figures = await session.run(measureFigures);
            assert.ok(figures.length >= 20, `${at}: only ${figures.length} headline figures`);
            for (const f of figures) {
              assert.equal(f.lines, 1, `${at}: ${f.metric} "${f.text}" spans ${f.lines} lines`);
              assert.ok(f.overflow <= 0.5, `${at}: ${f.metric} "${f.text}" runs ${f.overflow.toFixed(1)} px out of its card`);
            }
            if (w <= 390) {
              assert.equal(layout.compare.display, 'block', `${at}: comparison stacked on a phone`);
              // Firefox reports the ::before's content as specified (attr(data-label)), the others as computed.
              assert.ok([`"${layout.compare.label}"`, 'attr(data-label)'].includes(layout.compare.before), `${at}: each stacked cell names its lens: ${layout.compare.before}`);
            } else {
              assert.equal(layout.compare.display, 'table-cell', `${at}: comparison side by side`);
            }
            for (const sec of layout.sections) assert.ok(sec.left >= 0 && sec.right <= w + 0.5, `${at}: section ${sec.name} at ${sec.left}–${sec.right} px`);
            assert.ok(layout.charts.length >= 5, `${at}: ${layout.charts.length} charts`);
            for (const c of layout.charts) assert.ok(c.width > 0 && c.right <= w + 0.5, `${at}: ${c.id} drawn ${c.width} px wide, to ${c.right} px`);
            if (layout.chartInstances > 0) {
              for (const c of layout.charts) {
                assert.equal(c.legend, 'bottom', `${at}: ${c.id}'s legend`);
                if (w <= 390) assert.ok(Math.max(...c.ticks) <= 6, `${at}: ${c.id} has ${c.ticks.join('/')} ticks on a phone`);
              }
            } else chartsUnseen = true;
            const split = await session.run(splitFigures);
            assert.ok(split.checked >= 200, `${at}: only ${split.checked} figures found`);
            assert.deepEqual(split.broken.slice(0, 10), [], `${at}: figures broken over two lines`);
            assert.deepEqual((await session.run(pageLayout)).escaping, [], `${at}: tables wider than the page outside a scroll box`);
          }
        }
        assert.deepEqual(await pageErrors(), [], 'errors in the frame');
      } finally {
        await session.frame(null);
      }
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${engine.name}: ${seen.join(', ')} (the page in a same-origin <iframe> of that width); ${chartsUnseen ? "charts' legends and ticks not checked: this driver's scripts import Chart.js as a module instance of their own, which holds none of the page's charts (their canvases' sizes checked)" : "charts' legends and ticks read from Chart.js"}`);
    });

    test('the Thai report printed (WebDriver Print, A4): several pages, the shipped Thai face embedded', LIMIT, async (t) => {
      await open(url);
      await session.waitFor(DRAWN, { timeout: 90_000, what: 'the sample report drawn' });
      await language('th');
      let b64;
      try {
        b64 = await session.cmd('POST', '/print', { page: { width: 21, height: 29.7 }, background: true });
      } catch (e) {
        if (!/unknown command|unsupported operation/i.test(e.message)) throw e;
        const why = `print skipped: ${engine.name}'s driver has no Print command (${e.message.slice(0, 80)})`;
        r.skipped.push(why);
        await language('en');
        t.skip(why);
        return;
      }
      const { pages, fonts } = pdfSummary(Buffer.from(b64, 'base64'));
      assert.ok(pages >= 5, `${pages} pages (a page break before each section)`);
      assert.ok(fonts.some((f) => f.startsWith('NotoSansThai')), `fonts: ${fonts.join(', ')}`);
      await language('en');
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${engine.name}: ${pages} A4 pages; fonts ${fonts.join(', ')}`);
    });

    test('embed.html draws <revlens-report> with the CLI numbers', LIMIT, async () => {
      await open(new URL('embed.html', url).href);
      await session.waitFor(`document.body.dataset.state`, { timeout: 90_000, what: 'the element done' });
      assert.equal(await session.execute('return document.body.dataset.state'), 'ready');
      const won = await session.execute(`return document.getElementById('embedded').shadowRoot.querySelector('.figure[data-metric="won_count"]')?.dataset.value ?? null`);
      assert.equal(Number(won), headline(cli).won_count.value);
      await assertBars(cli, 'the element', 'embedded');
      assert.deepEqual(await pageErrors(), []);
    });

    test('offline: the service worker serves a reload with the server stopped', LIMIT, async (t) => {
      await open(url);
      await session.waitFor(DRAWN, { timeout: 90_000, what: 'the sample report drawn' });
      const support = await session.execute(`return { sw: 'serviceWorker' in navigator, secure: window.isSecureContext }`);
      if (!support.sw || !support.secure) {
        const why = `offline reload skipped: ${engine.name} ${support.sw ? 'does not treat http://127.0.0.1 as a secure context' : 'offers no navigator.serviceWorker'} here, so the page registers no service worker`;
        r.skipped.push(why);
        t.skip(why);
        return;
      }
      await session.waitFor(`document.body.dataset.offline === 'ready'`, { timeout: 60_000, what: 'the offline copy kept' });
      const online = await session.execute(`return document.querySelector('#results .figure[data-metric="bookings"]').dataset.value`);
      serverStopped = true;
      await server.close(); // no network for this origin from here on
      // The page reloads itself, as a user's reload does: geckodriver's Refresh command reloads
      // past the service worker (Firefox's error page, "can't establish a connection").
      await session.execute('window.__revlensBeforeReload = true; setTimeout(() => location.reload(), 0); return true;');
      await session.waitFor(`!window.__revlensBeforeReload && document.readyState !== 'loading'`, { what: 'the page reloaded' });
      assert.equal(await session.execute(`return performance.getEntriesByType('navigation')[0]?.type ?? 'reload'`), 'reload');
      await session.execute(HOOK);
      await session.waitFor(DRAWN, { timeout: 90_000, what: 'the report drawn offline' });
      assert.equal(await session.execute('return navigator.serviceWorker.controller !== null'), true, 'served by the service worker');
      assert.equal(await session.execute(`return document.querySelector('#results .figure[data-metric="bookings"]').dataset.value`), online);
      assert.ok(await session.execute(`return document.querySelectorAll('#results canvas').length > 0`), 'charts drawn offline');
      assert.deepEqual(await pageErrors(), []);
      t.diagnostic(`${engine.name}: reload served by the service worker with the server stopped`);
    });

    // Last: in WebKit, a reload served by the service worker after this page (another origin)
    // had run drew nothing (2026-12-07), so the offline test runs before it.
    test('the packed package in a plain page (no bundler): main thread, worker, <revlens-report>', LIMIT, async (t) => {
      const consumers = path.join(repoRoot, 'tests', 'consumers');
      const consumer = await serve(consumers, { '/node_modules/revlens/': consumerPkg });
      try {
        await open(new URL('plain/index.html', consumer.url).href);
        await session.waitFor(`['ready', 'error'].includes(document.body.dataset.state)`, { timeout: 120_000, what: 'the consumer done' });
        assertConsumerData(await session.execute('return { ...document.body.dataset }'), cliFiles, sampleFiles.length);
        assertConsumerElement(await session.run(consumerElement), headline(cliFiles).won_count.value);
        const fetched = await session.execute(`return performance.getEntriesByType('resource').map((e) => e.name)`);
        assert.ok(fetched.some((u) => /\/node_modules\/revlens\/.*\.wasm(\?|$)/.test(u)), `the package's .wasm fetched: ${fetched.join(' ')}`);
        const origin = new URL(consumer.url).origin;
        assert.deepEqual(fetched.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
        assert.deepEqual(await pageErrors(), []);
        t.diagnostic(`${engine.name}: the tarball's index.js, worker.js and element.js by URL, under the page's CSP; worker reads with ${r.reader ?? 'its stream reader'}`);
      } finally {
        await consumer.close();
      }
    });
  });
}
