// The page: starts the analysis worker, shows the sample company on load, then whatever files
// the user picks or drops; period, lens, segment, language and theme controls; exports; print.
// All work happens in this browser, in the npm package's worker (lib/client.js); lib/render.js
// draws the report; mapping.js is the editor for a file the engine did not recognise.
import { Analyzer } from './lib/client.js';
import { clearError, renderError, renderReport, segments } from './lib/render.js';
import { formatter, translator } from './lib/i18n.js';
import { download, metricsCsv, reportJson } from './lib/export.js';
import { mappingEditor } from './mapping.js';

const $ = (id) => document.getElementById(id);

const state = {
  lang: navigator.language?.toLowerCase().startsWith('th') ? 'th' : 'en',
  report: null,
  title: null,
  source: null, // { kind: 'sample' } | { kind: 'files', files: File[] }
  options: { grain: 'month', fiscal_year_start_month: 1, ingest: { mappings: {} }, spend: [], timings: true },
  limit: inputLimit(), // {} or { max_bytes }: for the user's files (the embedded sample is small)
  lens: 'both',
  segment: null,
  segments: {}, // dimension → values, from the last report on all deals
  view: null,
  version: null,
  mappings: keptMappings(), // file name → { kind, columns }: the user's mappings, for the session
  status: { key: 'page.loadingEngine' }, // the status line as { key, vars }, see showStatus
  error: null, // the error shown in #error, kept to say it again after a change of language
};
const analyzer = new Analyzer();

/**
 * `?max_bytes=N` in the page's address sets the most bytes of files an analysis reads (default:
 * the engine's, 1 GiB); beyond it the worker answers TOO_LARGE before reading them. Nothing is
 * stored or sent: it is read from the address of this load only (the tests set a low one).
 */
function inputLimit() {
  const value = new URLSearchParams(location.search).get('max_bytes');
  return value !== null && /^\d+$/.test(value) ? { max_bytes: Number(value) } : {};
}

/** The mappings chosen earlier in this browser session (sessionStorage), by file name. */
function keptMappings() {
  try {
    const kept = JSON.parse(sessionStorage.getItem('revlens.mappings') ?? '{}');
    return kept && typeof kept === 'object' && !Array.isArray(kept) ? kept : {};
  } catch {
    return {};
  }
}

function keepMapping(file, mapping) {
  state.mappings[file] = mapping;
  try {
    sessionStorage.setItem('revlens.mappings', JSON.stringify(state.mappings));
  } catch {
    // Storage refused (private mode, quota): the mapping still holds until the page closes.
  }
}

/** The kept mappings of the files being analysed (the engine is told only about those). */
function mappingsFor(files) {
  const names = new Set(files.map((f) => f.name));
  return Object.fromEntries(Object.entries(state.mappings).filter(([name]) => names.has(name)));
}
let t = translator(state.lang);

// body[data-state] is loading|ready|error; body[data-updates] counts finished analyses, so a
// test can wait for the next one. The status line is kept as a message key and its values
// (state.status), not as text, so a change of language says the same state in the new one.
function setState(next, status) {
  document.body.dataset.state = next;
  if (next !== 'loading') document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
  if (status !== undefined) showStatus(status);
}

/** Shows a status { key, vars } (null: none); `vars.title` is a message key too, said in the current language. */
function showStatus(status) {
  state.status = status;
  const node = $('status');
  node.dataset.status = status?.key ?? '';
  if (!status) {
    node.textContent = '';
    return;
  }
  const vars = { ...status.vars };
  if (vars.title) vars.title = t(vars.title);
  node.textContent = t(status.key, vars);
}

function applyLanguage() {
  t = translator(state.lang);
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  showStatus(state.status);
  // The error shown, if any, said again in the new language (from its code and parameters).
  if (state.error) renderError($('error'), state.error, state.lang);
  $('lang').value = state.lang;
  const f = formatter(state.lang);
  const fiscal = $('fiscal');
  fiscal.replaceChildren(...Array.from({ length: 12 }, (_, i) => new Option(f.monthName(i + 1), String(i + 1))));
  fiscal.value = String(state.options.fiscal_year_start_month);
  if (state.version) $('version').textContent = t('page.footer', { version: state.version });
  fillSegments();
  showSpend();
}

function fillSegments() {
  const select = $('segment');
  const all = new Option(t('page.all'), '');
  const groups = Object.entries(state.segments).map(([dim, values]) => {
    const group = document.createElement('optgroup');
    group.label = dim.replace('_', ' ');
    for (const v of values) group.append(new Option(v, JSON.stringify([dim, v])));
    return group;
  });
  select.replaceChildren(all, ...groups);
  select.value = state.segment ? JSON.stringify([state.segment.dim, state.segment.value]) : '';
  if (select.value === '' && state.segment) state.segment = null;
}

async function draw() {
  if (!state.report) return;
  state.view?.destroy();
  state.view = await renderReport($('results'), state.report, {
    lang: state.lang,
    lens: state.lens,
    title: state.title,
    editable: true,
  });
}

function progress(p) {
  const box = $('progress');
  const bar = $('progress-bar');
  const text = $('progress-text');
  box.hidden = false;
  const f = formatter(state.lang);
  if (p.phase === 'read' && p.total > 0) {
    bar.value = Math.round((100 * p.bytes) / p.total);
    text.textContent = t('page.reading', { file: p.file ?? '', bytes: f.bytes(p.bytes), total: f.bytes(p.total), rows: f.integer(p.rows ?? 0) });
  } else {
    bar.removeAttribute('value'); // indeterminate while the engine works
    text.textContent = t('page.analysing', { count: state.source?.kind === 'files' ? state.source.files.length : '…' });
  }
}

/** Runs the current source with the current options and shows the result. */
async function run() {
  const source = state.source;
  if (!source) return;
  document.body.dataset.state = 'loading';
  $('mapper').replaceChildren();
  showStatus(null);
  $('progress-text').textContent = '';
  try {
    const started = source.kind === 'sample' ? analyzer.sample(state.options, progress) : analyzer.analyze(source.files, { ...state.options, ...state.limit }, progress);
    const { report, files } = await started;
    $('progress').hidden = true;
    if (!report) {
      setState('ready', { key: 'page.noSample' });
      return;
    }
    clearError($('error'));
    state.error = null;
    state.report = report;
    const unknown = (report.files_not_read ?? []).filter((x) => x?.code === 'UNKNOWN_FILE_KIND').map((x) => x.file);
    if (source.kind === 'files' && unknown.length) openMapper(source.files.filter((f) => unknown.includes(f.name)));
    if (!report.filter) state.segments = segments(report);
    state.title = source.kind === 'sample' ? t('page.sampleTitle') : t('page.yourFiles');
    fillSegments();
    $('controls').hidden = false;
    $('use-sample').hidden = source.kind === 'sample';
    await draw();
    const n = files?.length ?? 0;
    setState('ready', { key: 'page.analysed', vars: { title: source.kind === 'sample' ? 'page.sampleTitle' : 'page.yourFiles', count: n } });
  } catch (err) {
    if (analyzer.pending) return; // a newer request replaced this one
    $('progress').hidden = true;
    if (err.code === 'CANCELLED') {
      setState(state.report ? 'ready' : 'error', { key: 'page.cancelled' });
      return;
    }
    state.error = err;
    renderError($('error'), err, state.lang);
    if (err.code === 'UNKNOWN_FILE_KIND' && source.kind === 'files') await openMapper(await unrecognised(source.files));
    setState('error', { key: err.fatal ? 'page.crashed' : err.code === 'TOO_LARGE' ? 'page.tooLargeStatus' : 'page.failed' });
  }
}

/** The files the engine cannot place (UNKNOWN_FILE_KIND) with the current mappings. */
async function unrecognised(files) {
  if (files.length === 1) return files;
  const ingest = state.options.ingest;
  const checks = await Promise.all(files.map((f) => analyzer.detect(f, ingest).then(() => null, (err) => (err.code === 'UNKNOWN_FILE_KIND' ? f : null))));
  return checks.filter(Boolean);
}

/** Opens the mapping editor for each file; applying one keeps it and analyses again. */
async function openMapper(files) {
  const box = $('mapper');
  const editors = files.map((file) =>
    mappingEditor({
      file,
      analyzer,
      lang: state.lang,
      mapping: state.mappings[file.name],
      onApply: (mapping) => {
        keepMapping(file.name, mapping);
        state.options.ingest = { ...state.options.ingest, mappings: mappingsFor(state.source?.files ?? []) };
        run();
      },
    }),
  );
  box.replaceChildren(...editors.map((e) => e.node));
  await Promise.all(editors.map((e) => e.ready));
}

function useFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  state.source = { kind: 'files', files };
  state.options.ingest = { mappings: mappingsFor(files) };
  clearSegment();
  run();
}

function clearSegment() {
  state.segment = null;
  state.segments = {};
  state.options.filter = {};
  state.options.spend = []; // typed spend belongs to the company it was typed for
  // So do the snapshots' dates and the comparison chosen in What changed.
  delete state.options.compare;
  delete state.options.snapshot_dates;
  showSpend();
}

/** The spend typed in, each with a button that removes it and recomputes. */
function showSpend() {
  const f = formatter(state.lang);
  $('spend-list').replaceChildren(
    ...state.options.spend.map((s, i) => {
      const item = document.createElement('li');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.setAttribute('aria-label', t('page.spendRemove', { month: s.month, channel: t(`page.${s.channel}`) }));
      remove.addEventListener('click', () => {
        state.options.spend.splice(i, 1);
        showSpend();
        run();
      });
      item.append(`${s.month} · ${t(`page.${s.channel}`)} · ${f.decimal(s.amount)} `, remove);
      return item;
    }),
  );
}

function wireSpend() {
  $('spend-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const amount = Number($('spend-amount').value);
    const month = $('spend-month').value; // YYYY-MM
    if (!/^\d{4}-\d{2}$/.test(month) || !Number.isFinite(amount) || amount < 0) return;
    state.options.spend.push({ month, channel: $('spend-channel').value, amount });
    $('spend-amount').value = '';
    showSpend();
    run();
  });
}

function wireUpload() {
  const input = $('file-input');
  const zone = $('dropzone');
  input.addEventListener('change', () => {
    useFiles(input.files);
    input.value = ''; // choosing the same file again still fires `change`
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    useFiles(e.dataTransfer.files);
  });
  // A file dropped beside the zone must not make the browser navigate away to it.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('cancel').addEventListener('click', () => analyzer.cancel());
  $('use-sample').addEventListener('click', () => {
    state.source = { kind: 'sample' };
    state.options.ingest = { mappings: {} };
    clearSegment();
    run();
  });
}

function wireControls() {
  $('lang').addEventListener('change', (e) => {
    state.lang = e.target.value;
    applyLanguage();
    if (state.report) {
      state.title = state.source?.kind === 'sample' ? t('page.sampleTitle') : t('page.yourFiles');
      draw();
    }
  });
  $('theme').addEventListener('change', (e) => {
    document.documentElement.dataset.theme = e.target.value;
    draw(); // charts take their colours from the theme
  });
  $('lens').addEventListener('change', (e) => {
    state.lens = e.target.value;
    draw();
  });
  // A segment is computed by the engine on the segment's deals (options.filter), not
  // looked up in breakdowns, so every SalesOps number, the leaderboard and the forecast follow.
  $('segment').addEventListener('change', (e) => {
    const v = e.target.value;
    state.segment = v ? { dim: JSON.parse(v)[0], value: JSON.parse(v)[1] } : null;
    state.options.filter = state.segment ? { [state.segment.dim]: [state.segment.value] } : {};
    run();
  });
  $('grain').addEventListener('change', (e) => {
    state.options.grain = e.target.value;
    run();
  });
  $('fiscal').addEventListener('change', (e) => {
    state.options.fiscal_year_start_month = Number(e.target.value);
    run();
  });
  $('export-json').addEventListener('click', () => state.report && download('revlens-report.json', reportJson(state.report), 'application/json'));
  $('export-csv').addEventListener('click', () => state.report && download('revlens-metrics.csv', metricsCsv(state.report), 'text/csv'));
  $('print').addEventListener('click', () => window.print());
  // Printing shows every table alternative.
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('#results details:not([open])')];
    for (const d of opened) d.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const d of opened) d.open = false;
    opened = [];
  });
  // What changed: an export's date corrected, or the earlier export and the window chosen.
  $('results').addEventListener('revlens-compare', (e) => {
    const { compare, snapshot_dates: dates } = e.detail ?? {};
    if (compare) state.options.compare = compare;
    if (dates && Object.keys(dates).length) state.options.snapshot_dates = { ...state.options.snapshot_dates, ...dates };
    run();
  });
  // A corrected column mapping from the report's file panel: analyse again with it.
  $('results').addEventListener('revlens-mapping', (e) => {
    const { file, kind, columns } = e.detail ?? {};
    if (!file) return;
    const mappings = state.options.ingest.mappings;
    const before = mappings[file] ?? { columns: {} };
    mappings[file] = { ...before, ...(kind ? { kind } : {}), columns: { ...before.columns, ...columns } };
    if (state.source?.kind === 'files') keepMapping(file, mappings[file]);
    run();
  });
}

async function main() {
  wireUpload();
  wireControls();
  wireSpend();
  applyLanguage();
  try {
    state.version = await analyzer.version();
  } catch (err) {
    renderError($('error'), err, state.lang);
    setState('error', { key: 'page.engineFailed' });
    return;
  }
  $('version').textContent = t('page.footer', { version: state.version });
  state.source = { kind: 'sample' };
  await run();
  keepOfflineCopy();
}

main();

// Offline: a service worker keeps a copy of the page's own files (see sw.js). Once it
// controls the page, it is told what the page and its analysis worker loaded.
async function keepOfflineCopy() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register(new URL('./sw.js', import.meta.url), { scope: './' });
    const registration = await navigator.serviceWorker.ready;
    // A site built by scripts/site lists all its files in sw.js; served from the repository, the
    // page's own loads are copied now and the worker's once the service worker controls a load.
    const loaded = performance.getEntriesByType('resource').map((e) => e.name);
    const page = new URL('./', location.href).href;
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (typeof e.data?.cached === 'number') document.body.dataset.offline = 'ready';
    });
    registration.active?.postMessage({ cache: [...new Set([page, ...loaded])] });
  } catch (err) {
    console.warn('revlens: no offline copy:', err);
  }
}

