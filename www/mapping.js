// The mapping editor for a file revlens did not recognise (UNKNOWN_FILE_KIND): choose what the
// file holds, pick the field of each column, and see its first rows as the engine reads them
// (decoded cells under the chosen fields, and rows used/rejected with the reasons, from the
// engine's own detection with that mapping). The result is the CLI's `--mapping` entry for the
// file: { kind, columns: { header: field } }.
//
//   const editor = mappingEditor({ file, analyzer, lang, mapping, onApply, onCopy });
//   container.append(editor.node);  await editor.ready;
import { el, scroller, table, uid } from './lib/dom.js';
import { formatter, translator } from './lib/i18n.js';
import { FIELDS_BY_KIND } from './lib/render.js';

const PREVIEW_ROWS = 5;

/** The CLI's --mapping JSON for a set of per-file mappings (files with no choice left out). */
export function mappingJson(mappings) {
  const out = {};
  for (const [file, m] of Object.entries(mappings)) {
    const entry = {};
    if (m?.kind) entry.kind = m.kind;
    if (m?.columns && Object.keys(m.columns).length) entry.columns = { ...m.columns };
    if (Object.keys(entry).length) out[file] = entry;
  }
  return JSON.stringify(out);
}

/**
 * An editor for one file. `mapping` is where to start (a kept mapping, or none); `onApply`
 * gets { kind, columns } when the user applies it; `onCopy` gets the --mapping JSON text.
 */
export function mappingEditor({ file, analyzer, lang, mapping, onApply, onCopy }) {
  const t = translator(lang);
  const f = formatter(lang);
  const name = String(file.name);
  let kind = mapping?.kind ?? 'deals';
  let columns = { ...(mapping?.columns ?? {}) }; // header → field or 'ignore', the user's choices
  let detected = null; // the engine's report of the file with the current mapping
  let generation = 0;

  const kindSelect = el(
    'select',
    { class: 'map-kind', 'aria-label': `${t('map.kind')}: ${name}` },
    Object.keys(FIELDS_BY_KIND).map((k) => el('option', { value: k, selected: k === kind }, t(`kind.${k}`))),
  );
  const preview = el('div', { class: 'map-preview' });
  const status = el('p', { class: 'note map-status', role: 'status' });
  const cli = el('code', { class: 'map-json' });
  const apply = el('button', { type: 'button', class: 'map-apply' }, t('map.apply'));
  const copy = el('button', { type: 'button', class: 'map-copy' }, t('map.copy'));
  // In the report's styles (.rl-report carries its colours), as a panel like the report's own.
  const titleId = uid('mapper');
  const node = el(
    'div',
    { class: 'rl-report mapper', lang: t.lang, data: { file: name } },
    el(
      'section',
      { class: 'panel mapping', 'aria-labelledby': titleId },
      el('h3', { id: titleId }, t('map.title', { file: name })),
      el('p', { class: 'note' }, t('map.intro')),
      el('label', { class: 'kind-label' }, `${t('map.kind')} `, kindSelect),
      preview,
      status,
      el('p', { class: 'map-cli' }, `${t('map.cli')} `, cli),
      el('div', { class: 'map-actions' }, apply, ' ', copy),
    ),
  );

  const current = () => ({ kind, columns: { ...columns } });
  const options = () => ({ mappings: { [name]: current() } });
  const showJson = () => {
    // Quoted for a POSIX shell: a ' in a header closes the quote, so it is written '\''.
    cli.textContent = `--mapping '${mappingJson({ [name]: current() }).replaceAll("'", "'\\''")}'`;
  };

  async function refresh() {
    const mine = (generation += 1);
    showJson();
    status.textContent = t('map.reading');
    node.dataset.state = 'loading';
    apply.disabled = true;
    let report;
    let records;
    try {
      [report, records] = await Promise.all([analyzer.detect(file, options()), analyzer.table(file, null, 200)]);
    } catch (err) {
      if (mine !== generation) return;
      // An engine error with its parameters is said in the reader's language (msg.<CODE>).
      status.textContent = `${err.code ?? t('page.error')}: ${err.params ? t.message({ code: err.code, params: err.params }, err.message) : (err.message ?? err)}`;
      node.dataset.state = 'error';
      return;
    }
    if (mine !== generation) return;
    detected = report;
    node.dataset.state = 'ready';
    apply.disabled = false;
    draw(report, records);
  }

  function draw(report, records) {
    const fields = FIELDS_BY_KIND[kind] ?? [];
    const cols = Array.isArray(report.columns) ? report.columns : [];
    const selects = cols.map((col) => {
      const chosen = columns[col.header];
      const value = chosen === 'ignore' ? '' : (chosen ?? col.field ?? '');
      const select = el(
        'select',
        { 'aria-label': `${String(col.header)}: ${t('r.field')}`, data: { header: col.header } },
        el('option', { value: '' }, t('r.notUsed')),
        fields.map((fd) => el('option', { value: fd, selected: fd === value }, fd)),
      );
      select.addEventListener('change', () => {
        columns[col.header] = select.value || 'ignore';
        refresh();
      });
      return select;
    });
    // The rows after the header line, as decoded cells.
    const rows = (records ?? []).filter((r) => r.line > report.header_line).slice(0, PREVIEW_ROWS);
    const body = rows.map((r) => [String(r.line), ...cols.map((c) => String(r.cells[c.column - 1] ?? ''))]);
    const head = [t('map.line'), ...cols.map((c) => String(c.header))];
    const grid = table(t('map.preview'), head, [[t('r.field'), ...selects], ...body], { className: 'map-table' });
    preview.replaceChildren(scroller(t('map.preview'), grid));
    const reasons = (Array.isArray(report.rejected) ? report.rejected : []).slice(0, 3).map((g) => `${f.integer(g.count)} × ${t.message(g.coded, g.reason ?? '')}`);
    status.textContent = [
      t('map.rows', { read: f.integer(report.rows_read), used: f.integer(report.rows_used), rejected: f.integer(report.rows_rejected) }),
      ...reasons,
    ].join(' · ');
    node.dataset.used = String(report.rows_used);
  }

  kindSelect.addEventListener('change', () => {
    kind = kindSelect.value;
    columns = {}; // another kind has other fields: start from the engine's mapping for it
    refresh();
  });
  apply.addEventListener('click', () => {
    if (detected) onApply?.(current());
  });
  copy.addEventListener('click', async () => {
    const text = mappingJson({ [name]: current() });
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = t('map.copied');
    } catch {
      // No clipboard (permission, insecure origin): the JSON stays shown, selected for copying.
      getSelection()?.selectAllChildren(cli);
    }
    onCopy?.(text);
  });

  return { node, ready: refresh(), mapping: current };
}
