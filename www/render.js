// Builds the report's DOM. Every piece of data goes in through textContent or an attribute,
// never as HTML, so a deal named `<img onerror=…>` shows as text.

/** el('p', { class: 'x', data: { id: 1 } }, 'text', child…) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'data') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

function money(value, currency) {
  if (/^[A-Z]{3}$/.test(currency ?? '')) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
    } catch {
      // An unknown code: fall through to a plain number with the code after it.
    }
  }
  return `${integer.format(value)}${currency ? ` ${currency}` : ''}`;
}

export function formatValue(value, unit, currency) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'count':
      return integer.format(value);
    case 'currency':
      return money(value, currency);
    case 'ratio':
      return percent.format(value);
    default:
      return decimal.format(value);
  }
}

const KIND_LABELS = {
  deals: 'Deals',
  leads: 'Leads',
  stage_history: 'Stage history',
  revenue_lines: 'Subscriptions / invoices',
  spend: 'Spend',
  quotas: 'Quotas',
  other_income: 'Other income',
};
const SOURCE_LABELS = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  zoho: 'Zoho',
  billing: 'Billing system',
  generic: 'Generic table',
};
const label = (labels, key) => labels[key] ?? String(key ?? '');

/** The whole-data value of each metric (no period, no breakdown), by id. */
function headline(metrics) {
  const byId = new Map();
  for (const m of metrics ?? []) if (m.period === undefined && m.by === undefined) byId.set(m.id, m);
  return byId;
}

function table(caption, headers, rows, className) {
  return el(
    'table',
    { class: className },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))))),
  );
}

function filesSection(report) {
  const rows = report.files.map((f) => [
    f.file,
    label(KIND_LABELS, f.kind),
    label(SOURCE_LABELS, f.source),
    integer.format(f.rows_read),
    integer.format(f.rows_used),
    integer.format(f.rows_rejected),
  ]);
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'files-title' },
    el('h3', { id: 'files-title' }, 'Detected files'),
    table('What each file holds and how many of its rows were used', ['File', 'Kind', 'Source', 'Rows read', 'Used', 'Rejected'], rows, 'files'),
  );
}

const KEY_FIGURES = [
  ['won_count', 'Won deals'],
  ['lost_count', 'Lost deals'],
  ['open_count', 'Open deals'],
  ['bookings', 'Bookings'],
  ['win_rate', 'Win rate'],
];

function figure(metric, title, currency) {
  return el(
    'div',
    { class: 'figure', data: { metric: metric?.id ?? '', value: metric?.value ?? '' } },
    el('dt', {}, title),
    el('dd', {}, metric ? formatValue(metric.value, metric.unit, currency) : '—'),
  );
}

function salesOpsSection(report) {
  const metrics = headline(report.metrics);
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'salesops-title' },
    el('h3', { id: 'salesops-title' }, 'SalesOps at a glance'),
    el('dl', { class: 'figures' }, KEY_FIGURES.map(([id, title]) => figure(metrics.get(id), title, report.currency))),
  );
}

function lineList(lines, count) {
  const shown = (lines ?? []).slice(0, 10).join(', ');
  return count > (lines ?? []).slice(0, 10).length ? `${shown}, …` : shown;
}

function groupItem(group) {
  const where = group.header ? ` in “${group.header}”` : '';
  const example = group.examples?.find(([, value]) => value !== '');
  return el(
    'li',
    {},
    el('span', { class: 'count' }, `${integer.format(group.count)} ×`),
    ` ${group.reason}${where}`,
    group.lines?.length ? el('span', { class: 'lines' }, ` — line${group.count === 1 ? '' : 's'} ${lineList(group.lines, group.count)}`) : null,
    example ? el('span', { class: 'example' }, ` (e.g. line ${example[0]}: `, el('code', {}, example[1]), ')') : null,
  );
}

function fileQuality(file) {
  const details = [
    file.format?.toUpperCase(),
    file.encoding,
    file.delimiter ? `delimiter “${file.delimiter === '\t' ? 'tab' : file.delimiter}”` : null,
    file.sheet ? `sheet “${file.sheet}”` : null,
  ].filter(Boolean);
  const groups = [
    ['Rejected rows', file.rejected],
    ['Skipped rows', file.skipped],
    ['Warnings', file.findings],
  ].filter(([, list]) => list?.length);
  return el(
    'article',
    { class: 'file-quality', data: { file: file.file } },
    el('h4', {}, file.file),
    el('p', { class: 'meta' }, `${label(KIND_LABELS, file.kind)} · ${label(SOURCE_LABELS, file.source)} · ${details.join(' · ')}`),
    el(
      'p',
      { class: 'rows' },
      `${integer.format(file.rows_read)} rows read, ${integer.format(file.rows_used)} used, ${integer.format(file.rows_rejected)} rejected`,
    ),
    groups.map(([title, list]) => el('div', { class: 'groups' }, el('h5', {}, title), el('ul', {}, list.map(groupItem)))),
  );
}

function qualitySection(report) {
  const q = report.quality;
  const breakdown = (q.breakdown ?? []).map((s) => [
    s.dimension,
    percent.format(s.weight),
    decimal.format(s.score),
    `${integer.format(s.affected_rows)} of ${integer.format(s.checked_rows)}`,
  ]);
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'quality-title' },
    el('h3', { id: 'quality-title' }, 'Data quality'),
    el('p', { class: 'score', data: { metric: 'quality_score', value: q.score } }, el('strong', {}, decimal.format(q.score)), ' / 100'),
    table('How the score is made', ['Dimension', 'Weight', 'Score', 'Rows affected'], breakdown, 'breakdown'),
    q.findings?.length
      ? el('div', { class: 'groups' }, el('h4', {}, 'Findings'), el('ul', {}, q.findings.map((f) => el('li', {}, el('span', { class: 'count' }, `${integer.format(f.count)} ×`), ` ${f.message}`))))
      : el('p', {}, 'No findings across the files.'),
    (q.files ?? []).map(fileQuality),
  );
}

/** Replaces the results with the report. */
export function renderReport(container, report, title) {
  container.replaceChildren(
    el(
      'div',
      { class: 'report' },
      el('h2', {}, title),
      el('p', { class: 'meta' }, `As of ${report.as_of}${report.currency ? ` · amounts in ${report.currency}` : ''} · series by ${report.grain}`),
      filesSection(report),
      salesOpsSection(report),
      qualitySection(report),
    ),
  );
}

/** Shows an error readably, with its stable code when it has one. */
export function renderError(box, err) {
  const code = typeof err?.code === 'string' ? err.code : null;
  const message = err?.message ?? String(err);
  box.replaceChildren(el('strong', {}, code ?? 'Error'), ': ', message);
  if (code) box.dataset.code = code;
  else delete box.dataset.code;
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
  delete box.dataset.code;
}
