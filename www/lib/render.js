// The report renderer: one function that draws a revlens report into a container (the page's
// #results, or the shadow root of <revlens-report>). DOM through createElement/textContent only.
//
//   const view = await renderReport(container, report, { lang, lens, segment, title, editable });
//   view.destroy();   // before rendering again into the same container
import { el, scroller, table, uid } from './dom.js';
import { formatter, isMissing, translator } from './i18n.js';
import { chartFigure, fontsReady, loadChartLibrary, palette, printSizing } from './charts.js';
import { bookingsForecast, forecastEvidence, indexMetrics, needsFor, pipelineForecast, revops, rowRef } from './model.js';

export { indexMetrics, segments } from './model.js';

const SALES_FIGURES = [
  'bookings',
  'won_count',
  'lost_count',
  'open_count',
  'win_rate',
  'win_rate_value',
  'avg_deal_size',
  'sales_cycle_days_median',
  'open_pipeline',
  'weighted_pipeline',
  'pipeline_coverage',
  'sales_velocity',
  'quota_attainment',
  'past_due',
  'past_due_amount',
];
const REV_FIGURES = [
  'leads_created',
  'conversion_lead_to_customer',
  'marketing_sourced_share',
  'cac',
  'cac_payback_months',
  'mrr',
  'arr',
  'nrr',
  'grr',
  'logo_churn_rate_monthly_avg',
  'clv',
  'ltv_to_cac',
  'total_revenue',
  'data_quality_score',
];

/** Fields a user can map a column to, per file kind (the ingest schema's synonym tables). */
export const FIELDS_BY_KIND = {
  deals: ['id', 'name', 'account', 'owner', 'stage', 'status', 'is_won', 'is_closed', 'amount', 'currency', 'probability', 'created', 'close', 'won_time', 'lost_time', 'forecast_category', 'lead_source', 'deal_type', 'region', 'product'],
  leads: ['id', 'created', 'lead_source', 'lead_status', 'account', 'owner', 'mql', 'sql', 'opportunity', 'customer', 'deal_id', 'is_converted'],
  stage_history: ['deal_id', 'stage', 'at'],
  revenue_lines: ['customer_id', 'customer_name', 'subscription', 'start', 'end', 'month', 'mrr', 'arr', 'currency', 'status', 'interval', 'recurring'],
  spend: ['month', 'channel', 'category', 'amount'],
  quotas: ['owner', 'period', 'start', 'end', 'quota'],
  other_income: ['date', 'category', 'amount', 'memo'],
};

class Ctx {
  constructor(report, opts) {
    this.report = report;
    this.t = translator(opts.lang);
    this.f = formatter(this.t.lang, report.currency);
    this.idx = indexMetrics(report);
    this.rev = revops(report);
    this.segment = opts.segment?.dim && opts.segment?.value !== undefined ? opts.segment : null;
    // A report computed on a segment (options.filter) already holds the segment's numbers.
    this.filter = report.filter && typeof report.filter === 'object' ? report.filter : null;
    if (this.filter) this.segment = null;
    this.charts = [];
  }
  /** The whole-data metric, or its value in the segment for salesops metrics. */
  metric(id, lens) {
    if (this.segment && lens !== 'revops') {
      const row = this.idx.breakdown(id, this.segment.dim, 'salesops').find((r) => r.key === this.segment.value);
      return row ? { id, value: row.value, unit: row.unit } : null;
    }
    return this.idx.head(id, lens);
  }
  value(id, lens) {
    const m = this.metric(id, lens);
    return m ? this.f.value(m.value, m.unit, id) : '—';
  }
  chart(spec) {
    const c = chartFigure(spec, this.t);
    this.charts.push(c);
    return c.node;
  }
}

/**
 * Ends the task: the browser runs what waits (input, timers, other scripts' tasks) and paints
 * before the drawing goes on. A message to ourselves: a macrotask in the same queue as the
 * page's others (not clamped like setTimeout). Not scheduler.yield(), whose continuations go
 * before the page's timers: a page's own timers were held 200–270 ms while a large report was
 * drawn (bench/page_large.mjs).
 */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Work done in one task before the renderer lets the page run (input, timers, painting). 12 ms,
 * not 30: a task of ~30 ms, then the frame that lays out what it added, held a 50 ms timer up
 * to 70-80 ms on a 383 MB, 7-file report (bench/page_large.mjs; docs/performance.md).
 */
export const SLICE_MS = 12;

/** The draw running in each container: a newer one stops an older one at its next slice. */
const drawing = new WeakMap();

/**
 * Draws `report` into `container` (replacing its children). Resolves when charts are drawn.
 * Drawing goes in one pass: every section built and put in, then (Chart.js fetched meanwhile)
 * every chart, each box's width read before any chart is drawn. Nothing reads the layout
 * between two writes: the browser lays the report out when it paints, and once more when the
 * charts read their boxes (a section at a time, with a forced layout after each, took WebKit
 * ~1.5 s on the sample). The work is cut into tasks of about `opts.sliceMs` (default SLICE_MS;
 * between whole sections and whole charts), so that the page answers input while a large report
 * is drawn: the report goes into the container first and each section as it is built, so each
 * frame lays out what one task added (the whole report at once, 8,286 elements, was 40-45 ms of
 * style and layout in one frame). `Infinity` draws in two tasks: every section built off the
 * document and put in at once, then the charts. `opts.onSlice` is called at the end of each
 * task, for tests. A newer draw into the same container stops this one at its next task.
 */
export async function renderReport(container, report, opts = {}) {
  const started = performance.now();
  const lens = ['salesops', 'revops', 'both'].includes(opts.lens) ? opts.lens : 'both';
  const ctx = new Ctx(report ?? {}, opts);
  const { t, f } = ctx;
  const meta = [t('r.asOf', { date: f.date(report.as_of) }), report.currency ? t('r.currency', { currency: report.currency }) : null, report.grain ? t('r.grain', { grain: t(`page.${report.grain}`).toLowerCase() }) : null].filter(Boolean);
  const root = el(
    'div',
    { class: 'rl-report', lang: t.lang, data: { lens, drawing: 'sections' } },
    opts.title ? el('h2', { class: 'rl-title' }, opts.title) : null,
    el('p', { class: 'meta' }, meta.join(' · ')),
    notReadNote(ctx),
  );
  const lenses = el('div', { class: `lenses lenses-${lens}` });
  const slices = [
    () => (lens === 'both' ? root.append(comparisonSection(ctx)) : null),
    () => root.append(lenses),
    () => (lens !== 'revops' ? lenses.append(salesOpsSection(ctx)) : null),
    () => (lens !== 'salesops' ? lenses.append(revOpsSection(ctx)) : null),
    () => {
      const history = lens !== 'revops' ? historySection(ctx) : null;
      if (history) root.append(history);
    },
    () => {
      const changes = lens !== 'revops' ? changesSection(ctx, opts) : null;
      if (changes) root.append(changes);
    },
    () => root.append(qualitySection(ctx)),
    () => root.append(filesSection(ctx, opts)),
    () => {
      const line = timingsLine(ctx);
      if (line) root.append(line);
    },
  ];
  const drawn = [];
  let stopPrintSizing = () => {};
  const view = {
    root,
    destroy() {
      stopPrintSizing();
      for (const chart of drawn) chart.destroy();
    },
  };
  const library = loadChartLibrary(); // fetched while the sections are built
  const token = {};
  drawing.set(container, token);
  const current = () => drawing.get(container) === token;
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  // What called (e.g. a page handling the message that brought the report) ends its task first.
  if (Number.isFinite(sliceMs)) await nextTask();
  if (!current()) return view;
  let sliceStart = performance.now();
  // Ends the task when its time is up; false when a newer draw has begun meanwhile.
  const pace = async () => {
    if (performance.now() - sliceStart < sliceMs) return true;
    opts.onSlice?.();
    await nextTask();
    sliceStart = performance.now();
    return current();
  };
  // Drawn in tasks: the report goes in first and each section as it is built (see above).
  const progressive = Number.isFinite(sliceMs);
  if (progressive) container.replaceChildren(root);
  for (const slice of slices) {
    slice();
    if (!(await pace())) return view;
  }
  if (!progressive) container.replaceChildren(root);
  opts.onSlice?.();
  await nextTask(); // the sections shown before the charts are drawn
  sliceStart = performance.now();
  const Chart = root.isConnected && current() ? await library : null;
  if (!root.isConnected || !current()) return view;
  root.dataset.drawing = 'charts';
  const colors = palette(root);
  // Charts draw with the page's font (the Thai face included) once it has loaded.
  if (Chart && ctx.charts.length) await fontsReady(root, colors.font);
  if (!root.isConnected || !current()) return view;
  // Every box's width in one read (one layout), then the charts: no read between two draws.
  const widths = Chart ? ctx.charts.map((c) => c.width()) : [];
  sliceStart = performance.now();
  for (const [i, c] of ctx.charts.entries()) {
    try {
      const chart = c.draw(Chart, colors, widths[i]);
      if (chart) drawn.push(chart);
    } catch (err) {
      console.warn('revlens: a chart could not be drawn; its table stays', err);
    }
    if (i + 1 < ctx.charts.length && !(await pace())) {
      view.destroy(); // a newer draw has replaced this one: its charts go with it
      return view;
    }
  }
  stopPrintSizing = printSizing(drawn);
  opts.onSlice?.();
  delete root.dataset.drawing;
  // The time from the call to the charts drawn, for the browser's performance timeline (the
  // three-engine test reads it: drop → drawn is the analysis and this).
  performance.measure?.('revlens: report drawn', { start: started });
  return view;
}

// ---------------------------------------------------------------------------------------------
// The comparison: the four differences made concrete on this data.

function comparisonSection(ctx) {
  const { t, f, idx, report } = ctx;
  const head = (id, lens) => idx.head(id, lens);
  const val = (id, lens) => {
    const m = head(id, lens);
    // A missing figure is passed as null: each sentence says it in words of its own (i18n.js).
    return m && !isMissing(m.value) ? f.value(m.value, m.unit, id) : null;
  };
  const count = (id) => head(id, 'salesops')?.value ?? 0;
  const owners = Array.isArray(report.leaderboard) ? report.leaderboard.length : 0;
  const leads = head('leads_created', 'revops');
  const customers = head('customers', 'revops');
  const filesN = Array.isArray(report.files) ? report.files.length : 0;
  const quality = head('data_quality_score', 'revops')?.value ?? report.quality?.score;
  const rows = [
    [
      t('r.scope'),
      t('r.scopeSales', { deals: f.integer(count('won_count') + count('lost_count') + count('open_count')), open: f.integer(count('open_count')), owners: f.integer(owners) }),
      leads
        ? t('r.scopeRev', { leads: f.integer(leads.value), customers: customers ? f.integer(customers.value) : null, files: f.integer(filesN) })
        : t('r.scopeRevNoLeads', { files: f.integer(filesN) }),
    ],
    [
      t('r.responsibilities'),
      t('r.respSales', { pastDue: val('past_due', 'salesops'), pastDueAmount: val('past_due_amount', 'salesops'), attainment: val('quota_attainment', 'salesops') }),
      t('r.respRev', { quality: isMissing(quality) ? null : f.decimal(quality), mktShare: val('marketing_sourced_share', 'revops') }),
    ],
    [
      t('r.metricsRow'),
      t('r.metricsSales', { winRate: val('win_rate', 'salesops'), deal: val('avg_deal_size', 'salesops'), cycle: val('sales_cycle_days_median', 'salesops') }),
      t('r.metricsRev', { leadToCustomer: val('conversion_lead_to_customer', 'revops'), nrr: val('nrr', 'revops') }),
    ],
    [
      t('r.audience'),
      t('r.audienceSales', { owners: f.integer(owners) }),
      t('r.audienceRev', { mrr: val('mrr', 'revops'), ltvCac: val('ltv_to_cac', 'revops') }),
    ],
  ];
  const id = uid('compare');
  return el(
    'section',
    { class: 'panel compare', 'aria-labelledby': id },
    el('h3', { id }, t('r.compare')),
    el('p', { class: 'note' }, t('r.compareIntro')),
    stackable(table(null, ['', t('r.salesops'), t('r.revops')], rows, { className: 'compare-table' })),
  );
}

/** Gives each body cell its column's header as data-label, shown above the cell when report.css stacks the table on a narrow screen. */
function stackable(node) {
  const headers = [...node.tHead.rows[0].cells].map((c) => c.textContent);
  for (const row of node.tBodies[0].rows) for (const cell of row.cells) if (cell.tagName === 'TD' && headers[cell.cellIndex]) cell.dataset.label = headers[cell.cellIndex];
  return node;
}

// ---------------------------------------------------------------------------------------------
// Headline figures

/** Past this many characters a card abbreviates its figure (US$1.2B), the full value in its tooltip. */
const FIGURE_MAX_CHARS = 13;

/**
 * A headline figure as one unbreakable unit: report.css sizes it to its card from its length
 * (--chars), so it never wraps inside itself; one too long to fit at the smallest size is
 * abbreviated in an <abbr> whose title holds the full value.
 */
function figureValue(f, m, id) {
  const full = f.value(m.value, m.unit, id);
  let shown = full;
  if (full.length > FIGURE_MAX_CHARS && typeof m.value === 'number') {
    if (m.unit === 'currency' || m.unit === 'currency_per_day') shown = f.moneyCompact(m.value);
    else if (m.unit === 'count') shown = f.compact(m.value);
  }
  const node = el(shown === full ? 'span' : 'abbr', { class: 'figure-value', title: shown === full ? undefined : full }, shown);
  node.style.setProperty('--chars', String(Math.max(4, [...shown].length)));
  return node;
}

function figure(ctx, id, lens) {
  const { t, f, report } = ctx;
  const m = ctx.metric(id, lens);
  const needs = m ? null : needsFor(report, id, t);
  const undef = m && (m.value === null || m.value === undefined) ? ctx.rev.undefined.find((u) => u.metric === id) : null;
  return el(
    'div',
    { class: `figure${m ? '' : ' absent'}`, data: { metric: id, value: m?.value ?? '' } },
    el('dt', {}, t.metric(id)),
    el(
      'dd',
      {},
      m ? figureValue(f, m, id) : '—',
      needs ? el('span', { class: 'needs' }, t('r.needs', { what: needs })) : null,
      undef ? el('span', { class: 'needs' }, t.message(undef.coded, undef.reason ?? '')) : null,
    ),
  );
}

function figures(ctx, ids, lens) {
  const shown = ids.filter((id) => ctx.metric(id, lens) || needsFor(ctx.report, id));
  return el('dl', { class: 'figures', 'aria-label': ctx.t('r.headline') }, shown.map((id) => figure(ctx, id, lens)));
}

// ---------------------------------------------------------------------------------------------
// SalesOps

function filterNote(ctx) {
  const { t, f, filter } = ctx;
  const what = Object.entries(filter.filter ?? {})
    .filter(([, values]) => Array.isArray(values) && values.length)
    .map(([dim, values]) => `${dim.replace('_', ' ')} = ${values.join(' | ')}`)
    .join(', ');
  return t('r.filterNote', { what, kept: f.integer(filter.deals_kept), total: f.integer(filter.deals_total) });
}

function salesOpsSection(ctx) {
  const { t, segment } = ctx;
  const id = uid('salesops');
  return el(
    'section',
    { class: 'panel lens salesops', 'aria-labelledby': id, data: { lens: 'salesops' } },
    el('h3', { id }, t('r.salesopsTitle')),
    segment ? el('p', { class: 'note segment' }, t('r.segmentNote', { dim: segment.dim, value: segment.value })) : null,
    ctx.filter ? el('p', { class: 'note segment' }, filterNote(ctx)) : null,
    figures(ctx, SALES_FIGURES, 'salesops'),
    bookingsChart(ctx),
    pipelineChart(ctx),
    monteCarloChart(ctx),
    sourcesChart(ctx),
    leaderboardTable(ctx),
  );
}

function bookingsChart(ctx) {
  const { t, f, idx } = ctx;
  const history = idx.series('bookings', 'salesops').map((m) => ({ period: String(m.period), value: m.value }));
  const fc = bookingsForecast(ctx.report);
  const points = fc?.points ?? [];
  const labels = [...history.map((h) => h.period), ...points.map((p) => p.period).filter((p) => !history.some((h) => h.period === p))];
  const at = (list, key) => labels.map((l) => list.find((x) => x.period === l)?.[key] ?? null);
  const rows = [
    ...history.map((h) => [h.period, f.money(h.value), '', '', '', '', '']),
    ...points.map((p) => [p.period, '', f.money(p.value), f.money(p.lo80), f.money(p.hi80), f.money(p.lo95), f.money(p.hi95)]),
  ];
  const note = fc ? forecastNote(ctx, fc) : t('r.noForecast');
  // Bookings never were negative: neither is the band drawn for them (reports from before
  // the engine bounded it at zero included).
  if (history.length && history.every((h) => !(h.value < 0))) {
    for (const p of points) for (const k of ['value', 'lo80', 'hi80', 'lo95', 'hi95']) if (p[k] < 0) p[k] = 0;
  }
  return ctx.chart({
    id: 'bookings',
    title: t('r.chartBookings'),
    summary: history.length ? `${history[0].period}–${history.at(-1).period}` : '',
    note,
    headers: [t('r.period'), t('r.actual'), t('r.forecast'), t('r.lo80'), t('r.hi80'), t('r.lo95'), t('r.hi95')],
    numeric: [1, 2, 3, 4, 5, 6],
    rows,
    config: (c) => {
      const band = (key, label, color, fill) => ({ label, data: at(points, key), borderWidth: 0, pointRadius: 0, backgroundColor: color, fill, spanGaps: false });
      const datasets = [];
      if (points.length) {
        datasets.push(band('lo95', 'lo95', c.band95, false), band('hi95', '95%', c.band95, '-1'), band('lo80', 'lo80', c.band80, false), band('hi80', '80%', c.band80, '-1'));
        datasets.push({ label: t('r.forecast'), data: at(points, 'value'), borderColor: c.series[1], backgroundColor: c.series[1], borderDash: [6, 4], pointRadius: 0, fill: false });
      }
      datasets.push({ label: t('r.actual'), data: at(history, 'value'), borderColor: c.series[0], backgroundColor: c.series[0], pointRadius: 2, fill: false });
      return {
        type: 'line',
        data: { labels, datasets },
        options: {
          plugins: { legend: { labels: { color: c.text, filter: (item) => !item.text.startsWith('lo') } }, tooltip: { callbacks: { label: (i) => `${i.dataset.label}: ${f.money(i.parsed.y)}` } } },
          scales: { x: {}, y: { ticks: { callback: (v) => f.moneyCompact(v) } } },
        },
      };
    },
  });
}

/**
 * The forecast's method in plain words, from its model name: "ETS(A,N,A)" → exponential
 * smoothing, "Combination(ETS(…)+Theta(…))" → a blend of the two. Null when unknown.
 */
export function plainForecastMethod(t, model) {
  const name = String(model ?? '');
  const inner = name.startsWith('Combination(') && name.endsWith(')') ? name.slice('Combination('.length, -1) : name;
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i += 1) {
    if (inner[i] === '(') depth += 1;
    else if (inner[i] === ')') depth -= 1;
    else if (inner[i] === '+' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  const prefixes = [['ETS', 'ets'], ['Theta', 'theta'], ['ARIMA', 'arima'], ['SeasonalNaive', 'snaive'], ['Naive', 'naive'], ['Drift', 'drift'], ['Flat', 'flat']];
  const kinds = [];
  for (const part of parts) {
    const kind = prefixes.find(([p]) => part.trim().startsWith(p))?.[1];
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  if (!kinds.length) return null;
  const names = kinds.map((k) => t(`r.fcMethod.${k}`));
  return names.length === 1 ? names[0] : t('r.fcBlend', { methods: `${names.slice(0, -1).join(t('r.fcListSep'))}${t('r.fcAnd')}${names.at(-1)}` });
}

/** What the bookings forecast is and how it did on its own past, in plain words, then the figures. */
function forecastNote(ctx, fc) {
  const { t, f } = ctx;
  const bt = fc.backtest;
  const parts = [];
  const how = plainForecastMethod(t, fc.model);
  if (how) parts.push(t('r.fcHow', { how }));
  const mase = Number(bt?.mase);
  const naive = Number(bt?.seasonal_naive_mase);
  if (bt && Number.isFinite(mase) && Number.isFinite(naive) && naive > 0) {
    // MASE is a mean absolute error on a common scale: their ratio is the share missed less.
    const gain = 1 - mase / naive;
    if (gain >= 0.05) parts.push(t('r.fcBetter', { pct: f.percent(gain) }));
    else if (gain <= -0.05) parts.push(t('r.fcWorse', { pct: f.percent(-gain) }));
    else parts.push(t('r.fcSame'));
    parts.push(t('r.fcBands'));
    parts.push(t('r.fcDetails', { model: fc.model ?? '?', mase: f.decimal(mase), naive: f.decimal(naive) }));
  } else {
    parts.push(t('r.fcUntested'), t('r.fcBands'), t('r.fcDetailsModel', { model: fc.model ?? '?' }));
  }
  return parts.join(' ');
}

function pipelineChart(ctx) {
  const { t, f, idx, report } = ctx;
  const open = idx.breakdown('open_pipeline', 'stage', 'salesops');
  const weighted = idx.breakdown('weighted_pipeline', 'stage', 'salesops');
  const counts = idx.breakdown('open_count', 'stage', 'salesops');
  const conv = wholeConversion(report);
  const order = Array.isArray(report.stage_order?.stages) ? report.stage_order.stages.map(String) : [];
  const get = (list, s) => list.find((r) => r.key === s)?.value ?? null;
  const has = (s) => (get(open, s) ?? 0) !== 0 || (get(counts, s) ?? 0) !== 0; // closed stages show 0
  const stages = [...order.filter((s) => open.some((o) => o.key === s)), ...open.map((o) => o.key).filter((k) => !order.includes(k))].filter(has);
  const convFrom = (s) => conv.find((m) => String(m.by.from) === s);
  const rows = stages.map((s) => {
    const c = convFrom(s);
    return [s, f.integer(get(counts, s)), f.money(get(open, s)), f.money(get(weighted, s)), c ? `${f.percent(c.value)} → ${String(c.by.to)}` : '', c ? f.integer(c.counts?.reached) : '', c ? f.integer(c.counts?.went_on) : ''];
  });
  const notes = [conversionLine(ctx, conv), report.stage_order?.inferred ? `${t.metric('stage_conversion')}: ${t('r.inferred')}` : null].filter(Boolean);
  return ctx.chart({
    id: 'pipeline',
    title: t('r.chartPipeline'),
    summary: `${t.metric('open_pipeline')} ${ctx.value('open_pipeline', 'salesops')}`,
    note: notes.length ? notes.join(' ') : null,
    headers: [t('r.stage'), t('r.deals'), t('r.amount'), t('r.weighted'), t.metric('stage_conversion'), t('r.reached'), t('r.wentOn')],
    numeric: [1, 2, 3, 5, 6],
    rows,
    config: (c) => ({
      type: 'bar',
      data: {
        labels: stages,
        datasets: [
          { label: t.metric('open_pipeline'), data: stages.map((s) => get(open, s)), backgroundColor: c.series[0] },
          { label: t.metric('weighted_pipeline'), data: stages.map((s) => get(weighted, s)), backgroundColor: c.series[2] },
        ],
      },
      options: { scales: { x: {}, y: { ticks: { callback: (v) => f.moneyCompact(v) } } } },
    }),
  });
}

function monteCarloChart(ctx) {
  const { t, f } = ctx;
  const periods = pipelineForecast(ctx.report);
  // The first period whose outcome is still uncertain (the current one may be over at as-of).
  const withHist = periods.find((p) => p.histogram.length > 1) ?? periods.find((p) => p.histogram.length) ?? periods[0];
  if (!withHist) {
    return el('p', { class: 'note', data: { chart: 'monte-carlo' } }, t('r.noMonteCarlo'));
  }
  const hist = withHist.histogram;
  const summaryRows = periods.map((p) => [p.period, f.money(p.closed), f.money(p.expected), f.money(p.p10), f.money(p.p50), f.money(p.p90)]);
  const histRows = hist.map((b) => [`${f.money(b.from)} ${t('r.binTo')} ${f.money(b.to)}`, f.integer(b.count)]);
  const tables = el(
    'div',
    {},
    table(t('r.chartMonteCarlo'), [t('r.period'), t('r.closedSoFar'), t('r.expected'), t('r.p10'), t('r.p50'), t('r.p90')], summaryRows, { numeric: [1, 2, 3, 4, 5] }),
    hist.length ? table(`${withHist.period}`, [t('r.bin'), t('r.runs')], histRows, { numeric: [1] }) : null,
    withHist.drivers.length ? driversTable(ctx, withHist.drivers) : null,
  );
  return ctx.chart({
    id: 'monte-carlo',
    title: t('r.chartMonteCarlo'),
    summary: `${withHist.period}: P10 ${f.money(withHist.p10)}, P50 ${f.money(withHist.p50)}, P90 ${f.money(withHist.p90)}`,
    note: evidenceNote(ctx),
    headers: [],
    rows: summaryRows,
    table: tables,
    config: hist.length
      ? (c) => ({
          type: 'bar',
          data: {
            labels: hist.map((b) => f.moneyCompact(b.from)),
            datasets: [
              {
                label: t('r.runs'),
                data: hist.map((b) => b.count),
                backgroundColor: hist.map((b) => (withHist.p10 !== null && withHist.p90 !== null && b.from !== null && b.from >= withHist.p10 && b.from < withHist.p90 ? c.series[0] : c.band80)),
                barPercentage: 1,
                categoryPercentage: 1,
              },
            ],
          },
          options: { plugins: { legend: { display: false } }, scales: { x: {}, y: {} } },
        })
      : null,
  });
}

/** The win-probability model's Brier score next to the CRM's, and the forecast's caveats. */
function evidenceNote(ctx) {
  const { t, f } = ctx;
  const ev = forecastEvidence(ctx.report);
  if (!ev) return null;
  const parts = [];
  if (ev.learned !== null && ev.crm !== null) parts.push(t('r.brier', { learned: f.decimal(ev.learned), crm: f.decimal(ev.crm), n: f.integer(ev.examples) }));
  else if (ev.learned !== null) parts.push(t('r.brierBase', { learned: f.decimal(ev.learned), base: f.decimal(ev.base), n: f.integer(ev.examples) }));
  parts.push(...ev.notes.map((n, i) => t.message(ev.notesCoded[i], n)));
  if (ev.slip && !ev.notes.some((n) => n.includes(ev.slip))) parts.push(t('r.slipSource', { source: t.message(ev.slipCoded, ev.slip).replace(/\.$/, '') }));
  // Which rule gave the weighted pipeline's probabilities, when not every one is the export's.
  const wp = ctx.report.weighted_pipeline_probability;
  if (wp && wp.hubspot_default + wp.standard_stage + wp.none > 0) parts.push(t.message(wp.coded, wp.text));
  return parts.length ? parts.join(' ') : null;
}

function driversTable(ctx, drivers) {
  const keys = [...new Set(drivers.flatMap((d) => Object.keys(d)))].slice(0, 6);
  const cell = (v) => (typeof v === 'number' ? ctx.f.decimal(v) : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  // Columns of numbers and dates are figures: right-aligned and never broken (at a date's hyphen).
  const atom = (v) => v === null || v === undefined || typeof v === 'number' || /^\d{4}-\d{2}(-\d{2})?$/.test(String(v));
  const numeric = keys.flatMap((k, i) => (i > 0 && drivers.every((d) => atom(d[k])) ? [i] : []));
  return table(null, keys, drivers.slice(0, 20).map((d) => keys.map((k) => cell(d[k]))), { numeric });
}

function sourcesChart(ctx) {
  const { t, f, idx } = ctx;
  const bookings = idx.breakdown('bookings', 'lead_source', 'salesops');
  const won = idx.breakdown('won_count', 'lead_source', 'salesops');
  const winRate = idx.breakdown('win_rate', 'lead_source', 'salesops');
  const total = bookings.reduce((s, r) => s + (r.value ?? 0), 0);
  const sorted = [...bookings].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const get = (list, k) => list.find((r) => r.key === k)?.value ?? null;
  const rows = sorted.map((r) => [r.key, f.money(r.value), total ? f.percent((r.value ?? 0) / total) : '—', f.integer(get(won, r.key)), f.percent(get(winRate, r.key))]);
  const mkt = ctx.idx.head('marketing_sourced_share', 'revops');
  return ctx.chart({
    id: 'sources',
    title: t('r.chartSources'),
    summary: mkt ? `${t.metric('marketing_sourced_share')} ${f.percent(mkt.value)}` : '',
    note: mkt ? `${t.metric('marketing_sourced_share')}: ${f.percent(mkt.value)}` : null,
    headers: [t('r.leadSource'), t('r.bookings'), t('r.share'), t.metric('won_count'), t('r.winRate')],
    numeric: [1, 2, 3, 4],
    rows,
    config: (c) => ({
      type: 'bar',
      data: { labels: sorted.map((r) => r.key), datasets: [{ label: t('r.bookings'), data: sorted.map((r) => r.value), backgroundColor: sorted.map((_, i) => c.series[i % c.series.length]) }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { ticks: { callback: (v) => f.moneyCompact(v) } }, y: {} } },
    }),
  });
}

function leaderboardTable(ctx) {
  const { t, f, report, segment } = ctx;
  let rows = Array.isArray(report.leaderboard) ? report.leaderboard : [];
  if (segment?.dim === 'owner') rows = rows.filter((r) => String(r.owner) === segment.value);
  if (!rows.length) return null;
  const hasCommission = rows.some((r) => typeof r.commission === 'number');
  const id = uid('leaderboard');
  const headers = [t('r.owner'), t('r.bookings'), t.metric('won_count'), t('r.winRate'), t('r.dealSize'), t('r.cycle'), t('r.attainment'), t('r.pipeline')];
  if (hasCommission) headers.push(t('r.commission'));
  return el(
    'div',
    { class: 'leaderboard' },
    el('h4', { id }, t('r.leaderboard')),
    scroller(
      t('r.leaderboard'),
      table(
        null,
        headers,
        rows.map((r) => {
          const cells = [String(r.owner ?? ''), f.money(r.bookings), f.integer(r.won_count), f.percent(r.win_rate), f.money(r.avg_deal_size), f.decimal(r.sales_cycle_days_median), f.percent(r.quota_attainment), f.money(r.open_pipeline)];
          if (hasCommission) cells.push(f.money(r.commission));
          return cells;
        }),
        { numeric: [1, 2, 3, 4, 5, 6, 7, 8] },
      ),
    ),
  );
}

/**
 * The whole-data stage conversion steps (no period, no owner): from each open stage to the next,
 * the last to Closed Won, each with its counts { reached, went_on }.
 */
function wholeConversion(report) {
  return (Array.isArray(report.metrics) ? report.metrics : []).filter(
    (m) => m?.id === 'stage_conversion' && isObj(m.by) && m.by.from !== undefined && m.by.owner === undefined && m.period === undefined,
  );
}

/** The funnel in words: "Prospecting 1,200 → Qualification 700 (58.3%) → … → Closed Won 210 (41%)". */
function conversionLine(ctx, conv) {
  const { t, f } = ctx;
  if (!conv.length || !conv.every((m) => isObj(m.counts))) return null;
  const parts = [`${String(conv[0].by.from)} ${f.integer(conv[0].counts.reached)}`];
  for (const m of conv) parts.push(`${String(m.by.to)} ${f.integer(m.counts.went_on)} (${f.percent(m.value)})`);
  return t('r.conversionLine', { steps: parts.join(' → ') });
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Text with the dates in it kept whole: a word joiner after each hyphen of a YYYY-MM-DD (as in a
 * snapshot export's name, salesforce_opportunities-2026-06-09.csv), so a narrow line breaks the
 * name before its date, never inside it.
 */
function unbroken(text) {
  return String(text ?? '').replace(/(\d{4})-(\d{2})-(\d{2})(?!\d)/g, '$1-\u2060$2-\u2060$3');
}

/**
 * A file name as nodes: its dates unbroken, and a line break allowed (<wbr>) before each date.
 * Line breaking gives none after a hyphen before a digit (UAX #14, as Firefox follows it), so
 * "opportunities-2026-06-09.csv" was one word, and a phone's heading cut it inside its date.
 */
function fileName(name) {
  return unbroken(name)
    .split(/(?=\d{4}-\u2060\d{2}-\u2060\d{2}(?!\d))/)
    .flatMap((part, i) => (i ? [el('wbr'), part] : [part]));
}
const list = (v) => (Array.isArray(v) ? v.filter(isObj) : []);
const days = (f, v) => f.decimal(typeof v === 'number' ? Math.round(v * 10) / 10 : v);

// ---------------------------------------------------------------------------------------------
// The pipeline in time (report.history): days in each stage and the bottleneck, stuck deals,
// close-date pushes and slip, amount changes.

/** The SalesOps part that needs stage history: a section of its own, the whole width. */
function historySection(ctx) {
  const { t, f, report, segment } = ctx;
  const h = isObj(report.history) ? report.history : null;
  if (!h) return null;
  const id = uid('history');
  const head = [el('h3', { id }, t('r.historyTitle')), segment ? el('p', { class: 'note segment' }, t('r.changesWhole')) : null];
  if (!h.deals_with_history) {
    return el('section', { class: 'panel history', 'aria-labelledby': id, data: { section: 'history', deals: 0 } }, head, el('p', { class: 'note' }, t('r.noHistory')));
  }
  return el(
    'section',
    { class: 'panel history', 'aria-labelledby': id, data: { section: 'history', deals: h.deals_with_history } },
    head,
    el('p', { class: 'note' }, t('r.historyIntro', { deals: f.integer(h.deals_with_history) })),
    stageTimeChart(ctx, h),
    ownerConversion(ctx),
    el('div', { class: 'history-lists' }, stuckBlock(ctx, h), closeDatesBlock(ctx, h)),
  );
}

/** Stage conversion per owner: each step's rate, with the deals that went on of those that reached it. */
function ownerConversion(ctx) {
  const { t, f, report } = ctx;
  const steps = wholeConversion(report);
  if (!steps.length) return null;
  const byOwner = new Map();
  for (const m of Array.isArray(report.metrics) ? report.metrics : []) {
    if (m?.id !== 'stage_conversion' || m.period !== undefined || !isObj(m.by) || m.by.owner === undefined) continue;
    const owner = String(m.by.owner);
    if (!byOwner.has(owner)) byOwner.set(owner, new Map());
    byOwner.get(owner).set(`${m.by.from}→${m.by.to}`, m);
  }
  if (!byOwner.size) return null;
  const cell = (m) => (m && isObj(m.counts) && m.counts.reached ? `${f.percent(m.value)} (${f.integer(m.counts.went_on)}/${f.integer(m.counts.reached)})` : '—');
  const headers = [t('r.owner'), ...steps.map((m) => `${String(m.by.from)} → ${String(m.by.to)}`)];
  const rows = [...byOwner].map(([owner, ms]) => [owner || t('r.noOwner'), ...steps.map((st) => cell(ms.get(`${st.by.from}→${st.by.to}`)))]);
  const id = uid('owner-conversion');
  return el(
    'div',
    { class: 'owner-conversion', role: 'group', 'aria-labelledby': id },
    el('h4', { id }, t('r.conversionByOwner')),
    scroller(t('r.conversionByOwner'), table(null, headers, [...rows, [t('r.allOwners'), ...steps.map(cell)]], { className: 'owner-conversion-table', numeric: steps.map((_, i) => i + 1) })),
  );
}

/** Rows shown at once in a list of deals; the rest behind a disclosure (not printed). */
const SHOWN_DEALS = 10;

/** A table of deals: the first SHOWN_DEALS rows, then the others (if any) in a <details>. */
function dealTable(ctx, label, headers, rows, opts) {
  const { t, f } = ctx;
  const first = scroller(label, table(null, headers, rows.slice(0, SHOWN_DEALS), opts));
  if (rows.length <= SHOWN_DEALS) return first;
  return [
    first,
    el(
      'details',
      { class: 'more-deals' },
      el('summary', {}, t('r.moreDeals', { n: f.integer(rows.length - SHOWN_DEALS) })),
      scroller(label, table(null, headers, rows.slice(SHOWN_DEALS), opts)),
    ),
  ];
}

function stageTimeChart(ctx, h) {
  const { t, f } = ctx;
  const stages = list(h.stages);
  if (!stages.length) return null;
  const bottleneck = typeof h.bottleneck === 'string' ? h.bottleneck : null;
  const label = (s) => (s.stage === bottleneck ? `${String(s.stage)} · ${t('r.bottleneck')}` : String(s.stage));
  const stat = (o, k) => (isObj(o) ? o[k] : null);
  const rows = stages.map((s) => [
    s.stage === bottleneck ? el('span', {}, String(s.stage), ' ', el('strong', { class: 'bottleneck-mark' }, t('r.bottleneck'))) : String(s.stage),
    f.integer(stat(s.won, 'deals')),
    days(f, stat(s.won, 'median')),
    days(f, stat(s.won, 'p75')),
    days(f, stat(s.won, 'p90')),
    f.integer(stat(s.lost, 'deals')),
    days(f, stat(s.lost, 'median')),
    days(f, stat(s.lost, 'p75')),
    days(f, stat(s.lost, 'p90')),
    f.integer(s.open_now),
    days(f, s.open_median_days),
  ]);
  const headers = [t('r.stage'), t('r.wonDeals'), t('r.wonMedian'), t('r.wonP75'), t('r.wonP90'), t('r.lostDeals'), t('r.lostMedian'), t('r.lostP75'), t('r.lostP90'), t('r.openNow'), t('r.openMedian')];
  const numeric = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const tbl = table(t('r.chartStageTime'), headers, rows, { className: 'stage-time', numeric });
  stages.forEach((s, i) => {
    if (s.stage === bottleneck) tbl.tBodies[0].rows[i].dataset.bottleneck = 'true';
  });
  const b = stages.find((s) => s.stage === bottleneck);
  return ctx.chart({
    id: 'stage-time',
    title: t('r.chartStageTime'),
    summary: stages.map((s) => `${label(s)}: ${days(f, stat(s.won, 'median'))} / ${days(f, stat(s.lost, 'median'))}`).join(', '),
    note: b ? t('r.bottleneckNote', { stage: String(b.stage), days: f.integer(b.deal_days) }) : t('r.noBottleneck'),
    data: { bottleneck: bottleneck ?? '' },
    headers,
    numeric,
    rows,
    table: tbl,
    config: (c) => ({
      type: 'bar',
      data: {
        labels: stages.map(label),
        datasets: [
          { label: t('r.wonMedian'), data: stages.map((s) => stat(s.won, 'median')), backgroundColor: c.positive, borderColor: c.text, borderWidth: stages.map((s) => (s.stage === bottleneck ? 2 : 0)) },
          { label: t('r.lostMedian'), data: stages.map((s) => stat(s.lost, 'median')), backgroundColor: c.negative, borderColor: c.text, borderWidth: stages.map((s) => (s.stage === bottleneck ? 2 : 0)) },
        ],
      },
      options: {
        plugins: { tooltip: { callbacks: { label: (i) => `${i.dataset.label}: ${days(f, i.parsed.y)}` } } },
        scales: { x: {}, y: { title: { text: t('r.days') } } },
      },
    }),
  });
}

function stuckBlock(ctx, h) {
  const { t, f } = ctx;
  const s = isObj(h.stuck) ? h.stuck : null;
  if (!s) return null;
  const deals = list(s.deals);
  const judged = Number(s.evaluated) || 0;
  const id = uid('stuck');
  return el(
    'div',
    { class: 'stuck', role: 'group', 'aria-labelledby': id, data: { count: s.count ?? 0, listed: deals.length } },
    el('h4', { id }, t('r.stuckTitle')),
    el(
      'p',
      { class: 'stuck-line' },
      judged
        ? t('r.stuckLine', { count: f.integer(s.count), amount: f.money(s.amount), judged: f.integer(judged), open: f.integer(judged + (Number(s.not_evaluated) || 0)) })
        : t('r.stuckNone', { open: f.integer(s.not_evaluated) }),
    ),
    deals.length
      ? dealTable(
          ctx,
          t('r.stuckTitle'),
          [t('r.deal'), t('r.owner'), t('r.stage'), t('r.daysInStage'), t('r.p75Won'), t('r.amount'), t('r.closeDate'), t('r.entered')],
          deals.map((d) => [dealName(d), String(d.owner ?? ''), String(d.stage ?? ''), days(f, d.days_in_stage), days(f, d.p75_won_days), f.money(d.amount), f.period(d.close ?? '—'), f.period(d.entered ?? '—')]),
          { className: 'stuck-deals', numeric: [3, 4, 5, 6, 7] },
        )
      : null,
    deals.length > 0 && s.count > deals.length ? el('p', { class: 'note' }, t('r.listedOf', { listed: f.integer(deals.length), count: f.integer(s.count) })) : null,
  );
}

function closeDatesBlock(ctx, h) {
  const { t, f } = ctx;
  const c = isObj(h.close_dates) ? h.close_dates : null;
  const a = isObj(h.amounts) ? h.amounts : null;
  if (!c) return null;
  const deals = list(c.deals);
  const id = uid('slips');
  const status = (s) => (t.has(`status.${s}`) ? t(`status.${s}`) : String(s ?? ''));
  return el(
    'div',
    { class: 'slips', role: 'group', 'aria-labelledby': id, data: { slipRate: c.slip_rate ?? '' } },
    el('h4', { id }, t('r.closeDatesTitle')),
    el(
      'p',
      { class: 'slip-line' },
      c.closed_measured
        ? t('r.slipLine', { rate: f.percent(c.slip_rate), pushed: f.integer(c.closed_pushed), measured: f.integer(c.closed_measured), closed: f.integer(c.closed_deals), pushes: f.integer(c.pushes), deals: f.integer(c.deals_measured) })
        : t('r.slipNone'),
    ),
    a && a.closed_measured
      ? el('p', { class: 'amount-line' }, t('r.amountLine', { rate: f.percent(a.change_rate), changed: f.integer(a.closed_changed), measured: f.integer(a.closed_measured), up: f.integer(a.increased), down: f.integer(a.decreased) }))
      : null,
    deals.length
      ? el(
          'div',
          { class: 'pushed' },
          el('h5', {}, t('r.mostPushed')),
          dealTable(
            ctx,
            t('r.mostPushed'),
            [t('r.deal'), t('r.owner'), t('r.status'), t('r.pushes'), t('r.firstClose'), t('r.lastClose'), t('r.daysMoved'), t('r.amount')],
            deals.map((d) => [dealName(d), String(d.owner ?? ''), status(d.status), f.integer(d.pushes), f.period(d.first_close), f.period(d.last_close), f.integer(d.days_moved), f.money(d.amount)]),
            { className: 'pushed-deals', numeric: [3, 4, 5, 6, 7] },
          ),
        )
      : null,
  );
}

/** A deal's name (its id when it has none), the id in its tooltip. */
function dealName(d) {
  const name = String(d.name || d.id || '');
  return el('span', { title: d.id ? String(d.id) : undefined }, name);
}

// ---------------------------------------------------------------------------------------------
// What changed between two exports of the deals (report.snapshots.comparison): the pipeline
// waterfall of the window, whose bars open their deals; the owners' split; stage moves; what
// the earlier export forecast against what was won.

const BARS = ['start', 'won', 'lost', 'pushed_out', 'pulled_earlier', 'removed', 'new', 'pulled_in', 'reopened', 'increased', 'decreased', 'end'];
/** +1 adds to the pipeline, −1 takes away, 0 is a total (start, end). */
const BAR_SIGN = { start: 0, won: -1, lost: -1, pushed_out: -1, pulled_earlier: -1, removed: -1, new: 1, pulled_in: 1, reopened: 1, increased: 1, decreased: -1, end: 0 };

function changesSection(ctx, opts = {}) {
  const { t, f, report } = ctx;
  const cmp = isObj(report.snapshots) && isObj(report.snapshots.comparison) ? report.snapshots.comparison : null;
  const id = uid('changes');
  if (!cmp || !Array.isArray(cmp.waterfall)) {
    // Several exports but no comparison (no earlier one in or before the window): their dates,
    // which the page lets the user correct, and the window to choose.
    const exported = isObj(report.snapshots) ? list(report.snapshots.list) : [];
    if (exported.length < 2) return null;
    return el(
      'section',
      { class: 'panel changes', 'aria-labelledby': id, data: { section: 'changes' } },
      el('h3', { id }, t('r.changesTitle')),
      el('p', { class: 'note no-comparison' }, t('r.noComparison', { count: f.integer(exported.length) })),
      exportsBlock(ctx, exported, {}, opts.editable),
    );
  }
  const w = isObj(cmp.window) ? cmp.window : {};
  const windowName = w.label ? f.period(w.label) : `${f.period(w.start)} – ${f.period(w.end)}`;
  const snapshots = list(report.snapshots.list);
  return el(
    'section',
    { class: 'panel changes', 'aria-labelledby': id, data: { section: 'changes', from: cmp.from, to: cmp.to, window: w.label ?? '' } },
    el('h3', { id }, t('r.changesTitle')),
    el('p', { class: 'meta changes-dates' }, t('r.changesDates', { from: f.period(cmp.from), to: f.period(cmp.to), window: windowName })),
    el('p', { class: 'note' }, t('r.changesIntro', { start: f.period(w.start), end: f.period(w.end), count: f.integer(snapshots.length) })),
    ctx.segment ? el('p', { class: 'note segment' }, t('r.changesWhole')) : null,
    waterfallChart(ctx, cmp),
    ownerSplit(ctx, cmp),
    stageMovesBlock(ctx, cmp),
    accuracyBlock(ctx, cmp),
    exportsBlock(ctx, snapshots, cmp, opts.editable),
  );
}

/**
 * The exports read as snapshots: each one's date and how it was found, the two compared. When
 * editable (the page), a date can be corrected and the earlier export and the window chosen:
 * Compare dispatches `revlens-compare` (bubbles, composed) with { compare: { from, window_start,
 * window_end }, snapshot_dates: { file: date } } (the report options of the same names).
 */
function exportsBlock(ctx, snapshots, cmp, editable) {
  const { t, f } = ctx;
  if (!snapshots.length) return null;
  const w = isObj(cmp.window) ? cmp.window : {};
  const id = uid('exports');
  const dates = [];
  const rows = snapshots.map((s) => {
    const role = s.date === cmp.from ? t('r.snapEarlier') : s.date === cmp.to ? t('r.snapLater') : '';
    let date = f.period(s.date);
    if (editable) {
      const input = el('input', { type: 'date', class: 'snap-date', value: s.date, 'aria-label': t('r.snapDateOf', { file: s.file }), data: { file: s.file, date: s.date } });
      dates.push(input);
      date = el('span', {}, input, el('span', { class: 'print-only' }, f.period(s.date)));
    }
    const dated = t.has(`dated.${s.date_source}`) ? t(`dated.${s.date_source}`) : String(s.date_source ?? '');
    return [unbroken(s.file), date, dated, f.integer(s.deals), role];
  });
  const tbl = table(null, [t('r.file'), t('r.snapDate'), t('r.snapDatedBy'), t('r.deals'), t('r.snapRole')], rows, { className: 'snapshots', numeric: [1, 3] });
  snapshots.forEach((s, i) => {
    tbl.tBodies[0].rows[i].dataset.file = String(s.file);
  });
  let controls = null;
  if (editable) {
    const earlier = snapshots.slice(0, -1);
    const from = el(
      'select',
      { class: 'compare-from' },
      earlier.map((s) => el('option', { value: s.file, selected: s.date === cmp.from }, `${s.date} · ${s.file}`)),
    );
    const start = el('input', { type: 'date', class: 'window-start', value: w.start ?? '' });
    const end = el('input', { type: 'date', class: 'window-end', value: w.end ?? '' });
    const apply = () => {
      const snapshotDates = {};
      for (const input of dates) if (input.value && input.value !== input.dataset.date) snapshotDates[input.dataset.file] = input.value;
      const detail = { compare: { from: from.value || null, window_start: start.value || null, window_end: end.value || null }, snapshot_dates: snapshotDates };
      from.dispatchEvent(new CustomEvent('revlens-compare', { bubbles: true, composed: true, detail }));
    };
    controls = el(
      'div',
      { class: 'compare-controls' },
      el('p', { class: 'note' }, t('r.compareHint')),
      earlier.length ? el('label', {}, `${t('r.compareFrom')} `, from) : null,
      el('label', {}, `${t('r.windowStart')} `, start),
      el('label', {}, `${t('r.windowEnd')} `, end),
      el('button', { type: 'button', class: 'apply-compare', on: { click: apply } }, t('r.applyCompare')),
    );
  }
  return el('div', { class: 'snapshot-exports', role: 'group', 'aria-labelledby': id }, el('h4', { id }, t('r.exportsTitle')), scroller(t('r.exportsTitle'), tbl), controls);
}

function waterfallChart(ctx, cmp) {
  const { t, f } = ctx;
  const bars = BARS.map((b) => list(cmp.waterfall).find((x) => x.bar === b)).filter(Boolean);
  const label = (b) => t(`bar.${b}`);
  const signed = (b) => (!b.amount ? f.money(b.amount) : BAR_SIGN[b.bar] < 0 ? `−${f.money(b.amount)}` : BAR_SIGN[b.bar] > 0 ? `+${f.money(b.amount)}` : f.money(b.amount));
  let level = 0;
  const ranges = bars.map((b) => {
    const v = Number(b.amount) || 0;
    const sign = BAR_SIGN[b.bar] ?? 0;
    if (sign === 0) {
      level = v;
      return [0, v];
    }
    const from = level;
    level += sign * v;
    return [Math.min(from, level), Math.max(from, level)];
  });
  const listId = uid('bar-deals');
  const box = el('div', { class: 'bar-deals', id: listId, hidden: true, role: 'region', 'aria-live': 'polite', 'aria-label': t('r.barDealsLabel') });
  const rows = bars.map((b) => [
    el(
      'span',
      {},
      el('button', { type: 'button', class: 'bar-button', 'aria-expanded': 'false', 'aria-controls': listId, data: { bar: b.bar } }, label(b.bar)),
      el('span', { class: 'print-only' }, label(b.bar)),
    ),
    f.integer(b.count),
    signed(b),
  ]);
  const headers = [t('r.bar'), t('r.deals'), t('r.amount')];
  const tbl = table(t('r.chartWaterfall'), headers, rows, { className: 'waterfall-bars', numeric: [1, 2] });
  let selected = null;
  const select = (bar) => {
    const b = bars.find((x) => x.bar === bar);
    if (!b) return;
    selected = selected === bar ? null : bar;
    for (const row of tbl.tBodies[0].rows) {
      const on = row.dataset.bar === selected;
      row.classList.toggle('selected', on);
      row.querySelector('.bar-button')?.setAttribute('aria-expanded', String(on));
    }
    if (selected === null) {
      box.hidden = true;
      box.replaceChildren();
      delete box.dataset.bar;
      return;
    }
    showBarDeals(ctx, box, b, label(b.bar));
  };
  bars.forEach((b, i) => {
    const row = tbl.tBodies[0].rows[i];
    row.dataset.bar = b.bar;
    row.dataset.amount = String(b.amount);
    row.dataset.count = String(b.count);
    row.addEventListener('click', () => select(b.bar));
  });
  const figure = ctx.chart({
    id: 'waterfall',
    title: t('r.chartWaterfall'),
    summary: bars.map((b) => `${label(b.bar)} ${signed(b)}`).join(', '),
    note: t('r.waterfallNote'),
    className: 'waterfall-figure',
    headers,
    numeric: [1, 2],
    rows,
    table: tbl,
    tableOpen: true,
    config: (c) => ({
      type: 'bar',
      data: {
        labels: bars.map((b) => label(b.bar)),
        datasets: [{ label: t('r.amount'), data: ranges, backgroundColor: bars.map((b) => (BAR_SIGN[b.bar] === 0 ? c.series[0] : BAR_SIGN[b.bar] > 0 ? c.positive : c.negative)) }],
      },
      options: {
        onClick: (_event, elements) => {
          const i = elements?.[0]?.index;
          if (i === undefined || !bars[i]) return;
          select(bars[i].bar);
          // The list opens below the bars' table: brought into view for a click on the chart.
          if (!box.hidden) box.scrollIntoView?.({ block: 'nearest' });
        },
        onHover: (event, elements) => {
          const target = event?.native?.target;
          if (target) target.style.cursor = elements?.length ? 'pointer' : 'default';
        },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i) => `${signed(bars[i.dataIndex])} · ${t('r.dealsN', { n: f.integer(bars[i.dataIndex].count) })}` } } },
        scales: { x: {}, y: { ticks: { callback: (v) => f.moneyCompact(v) } } },
      },
    }),
  });
  return el('div', { class: 'waterfall' }, figure, box);
}

/** The deals of one waterfall bar, before → after. */
function showBarDeals(ctx, box, b, name) {
  const { t, f } = ctx;
  const deals = list(b.deals);
  const change = (before, after, fmt) => {
    const x = before === null || before === undefined ? '—' : fmt(before);
    const y = after === null || after === undefined ? '—' : fmt(after);
    return x === y ? x : `${x} → ${y}`;
  };
  const headingId = uid('bar-deals-title');
  const total = b.bar === 'start' || b.bar === 'end';
  box.dataset.bar = b.bar;
  box.dataset.count = String(b.count);
  box.setAttribute('aria-labelledby', headingId);
  const children = [
    el('h4', { id: headingId }, t('r.barDealsTitle', { bar: name, count: f.integer(b.count), amount: f.money(b.amount) })),
    el('p', { class: 'note' }, t(`barNote.${b.bar}`)),
    deals.length
      ? scroller(
          t('r.barDealsTitle', { bar: name, count: f.integer(b.count), amount: f.money(b.amount) }),
          table(
            null,
            [t('r.deal'), t('r.owner'), t('r.stage'), t('r.closeDate'), t('r.amount'), t('r.barValue')],
            deals.map((d) => [dealName(d), String(d.owner ?? ''), change(d.stage_before, d.stage_after, String), change(d.close_before, d.close_after, f.period), change(d.amount_before, d.amount_after, f.money), f.money(d.value)]),
            { className: 'bar-deal-list', numeric: [3, 4, 5] },
          ),
        )
      : el('p', { class: 'note' }, total ? t('r.barTotal', { count: f.integer(b.count) }) : t('r.barNoDeals')),
    deals.length && b.count > deals.length ? el('p', { class: 'note' }, t('r.listedOf', { listed: f.integer(deals.length), count: f.integer(b.count) })) : null,
  ];
  box.replaceChildren(...children.filter(Boolean));
  box.hidden = false;
}

function ownerSplit(ctx, cmp) {
  const { t, f } = ctx;
  const owners = list(cmp.by_owner);
  if (!owners.length) return null;
  const id = uid('owners');
  const cell = (o, i) => {
    const n = Array.isArray(o.counts) ? o.counts[i] : null;
    const v = Array.isArray(o.amounts) ? o.amounts[i] : null;
    if (!n && !v) return '·';
    return f.money(v);
  };
  return el(
    'div',
    { class: 'owner-split', role: 'group', 'aria-labelledby': id },
    el('h4', { id }, t('r.byOwner')),
    scroller(
      t('r.byOwner'),
      table(
        null,
        [t('r.owner'), ...BARS.map((b) => t(`bar.${b}`))],
        owners.map((o) => [String(o.owner || t('r.noOwner')), ...BARS.map((_, i) => cell(o, i))]),
        { className: 'owner-waterfall', numeric: BARS.map((_, i) => i + 1) },
      ),
    ),
  );
}

function stageMovesBlock(ctx, cmp) {
  const { t, f } = ctx;
  const m = isObj(cmp.stage_moves) ? cmp.stage_moves : null;
  if (!m) return null;
  const moves = list(m.moves);
  const id = uid('moves');
  return el(
    'div',
    { class: 'stage-moves', role: 'group', 'aria-labelledby': id, data: { forward: m.forward ?? 0, backward: m.backward ?? 0 } },
    el('h4', { id }, t('r.stageMoves')),
    el('p', {}, t('r.movesLine', { forward: f.integer(m.forward), backward: f.integer(m.backward), unchanged: f.integer(m.unchanged) })),
    moves.length
      ? scroller(
          t('r.stageMoves'),
          table(null, [t('r.fromStage'), t('r.toStage'), t('r.deals'), t('r.amount')], moves.map((x) => [String(x.from), String(x.to), f.integer(x.deals), f.money(x.amount)]), { className: 'moves', numeric: [2, 3] }),
        )
      : null,
  );
}

/** How far a forecast was from what was won, in words. */
function forecastError(ctx, forecast, won) {
  const { t, f } = ctx;
  if (typeof forecast !== 'number' || typeof won !== 'number') return t('r.notAvailable');
  const diff = forecast - won;
  if (Math.abs(diff) < 0.5) return t('r.errExact');
  const amount = f.money(Math.abs(diff));
  if (won === 0) return t('r.errNothingWon', { amount });
  const pct = f.percent(Math.abs(diff) / won);
  return diff > 0 ? t('r.errHigh', { pct, amount }) : t('r.errLow', { pct, amount });
}

function accuracyBlock(ctx, cmp) {
  const { t, f } = ctx;
  const a = isObj(cmp.forecast_accuracy) ? cmp.forecast_accuracy : null;
  if (!a) return null;
  const w = isObj(cmp.window) ? cmp.window : {};
  const windowName = w.label ? f.period(w.label) : `${f.period(w.start)} – ${f.period(w.end)}`;
  const id = uid('accuracy');
  const hasP50 = typeof a.revlens_p50 === 'number';
  const rows = [
    [t('r.accCrm', { date: f.period(cmp.from) }), f.money(a.crm_forecast), forecastError(ctx, a.crm_forecast, a.won)],
    [t('r.accP50', { date: f.period(cmp.from) }), hasP50 ? f.money(a.revlens_p50) : '—', hasP50 ? forecastError(ctx, a.revlens_p50, a.won) : (a.revlens_note ? t.message(a.revlens_note_coded, a.revlens_note) : t('r.notAvailable'))],
    [t(a.window_complete ? 'r.accWon' : 'r.accWonSoFar', { date: f.period(cmp.to) }), f.money(a.won), ''],
  ];
  const tbl = table(null, [t('r.forecast'), t('r.amount'), t('r.accError')], rows, { className: 'accuracy', numeric: [1] });
  ['crm', 'revlens_p50', 'won'].forEach((k, i) => {
    tbl.tBodies[0].rows[i].dataset.forecast = k;
  });
  return el(
    'div',
    { class: 'forecast-accuracy', role: 'group', 'aria-labelledby': id, data: { complete: String(Boolean(a.window_complete)) } },
    el('h4', { id }, t('r.accuracyTitle', { window: windowName })),
    el(
      'p',
      { class: 'accuracy-line' },
      t('r.accLine', {
        from: f.period(cmp.from),
        window: windowName,
        forecast: f.money(a.crm_forecast),
        wonBefore: f.money(a.won_before),
        weighted: f.money(a.crm_weighted),
        won: f.money(a.won),
        to: f.period(cmp.to),
        error: forecastError(ctx, a.crm_forecast, a.won),
      }),
      hasP50 ? ` ${t('r.accP50Line', { p50: f.money(a.revlens_p50), error: forecastError(ctx, a.revlens_p50, a.won) })}` : '',
    ),
    a.window_complete ? null : el('p', { class: 'note incomplete' }, t('r.accIncomplete', { end: f.period(w.end), to: f.period(cmp.to) })),
    a.without_probability ? el('p', { class: 'note' }, t('r.accNoProbability', { n: f.integer(a.without_probability) })) : null,
    scroller(t('r.accuracyTitle', { window: windowName }), tbl),
  );
}

// ---------------------------------------------------------------------------------------------
// RevOps

function revOpsSection(ctx) {
  const { t, rev } = ctx;
  const id = uid('revops');
  return el(
    'section',
    { class: 'panel lens revops', 'aria-labelledby': id, data: { lens: 'revops' } },
    el('h3', { id }, t('r.revopsTitle')),
    figures(ctx, REV_FIGURES, 'revops'),
    funnelChart(ctx),
    mrrWaterfall(ctx),
    mrrMonthly(ctx),
    cohortHeatmap(ctx),
    rev.missing.length
      ? el(
          'div',
          { class: 'missing' },
          el('h4', {}, t('r.missingTitle')),
          el('ul', {}, rev.missing.map((m) => el('li', { data: { missing: m.metric } }, el('strong', {}, t.metric(m.metric)), ': ', t('r.needs', { what: t.message(m.coded, m.needs ?? '') })))),
        )
      : null,
    rev.undefined.length
      ? el('div', { class: 'missing' }, el('h4', {}, t('r.undefinedTitle')), el('ul', {}, rev.undefined.map((m) => el('li', {}, el('strong', {}, t.metric(m.metric)), ': ', t.message(m.coded, m.reason ?? '')))))
      : null,
  );
}

function funnelChart(ctx) {
  const { t, f, rev } = ctx;
  const steps = rev.steps;
  const label = (s) => (t.has(`step.${s.step}`) ? t(`step.${s.step}`) : String(s.step));
  return ctx.chart({
    id: 'funnel',
    title: t('r.chartFunnel'),
    summary: steps.map((s) => `${label(s)} ${f.integer(s.count)}`).join(', '),
    empty: needsFor(ctx.report, 'funnel') ? t('r.needs', { what: needsFor(ctx.report, 'funnel', t) }) : t('r.noData'),
    headers: [t('r.step'), t('r.count'), t('r.conversion'), t('r.medianDays')],
    numeric: [1, 2, 3],
    rows: steps.map((s) => [label(s), f.integer(s.count), s.conversion === null ? '—' : f.percent(s.conversion), f.decimal(s.median_days)]),
    config: (c) => ({
      type: 'bar',
      data: { labels: steps.map(label), datasets: [{ label: t('r.count'), data: steps.map((s) => s.count), backgroundColor: steps.map((_, i) => c.series[i % c.series.length]) }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { type: 'logarithmic' }, y: {} } },
    }),
  });
}

function mrrWaterfall(ctx) {
  const { t, f, rev } = ctx;
  const months = rev.movements.slice(-12);
  const sum = (k) => months.reduce((s, m) => s + (Number(m[k]) || 0), 0);
  const steps = months.length
    ? [
        [t('r.startMrr'), months[0].start_mrr, 'total'],
        [t('r.new'), sum('new'), 'up'],
        [t('r.expansion'), sum('expansion'), 'up'],
        [t('r.reactivated'), sum('reactivated'), 'up'],
        [t('r.contraction'), -sum('contraction'), 'down'],
        [t('r.churned'), -sum('churned'), 'down'],
        [t('r.endMrr'), months.at(-1).end_mrr, 'total'],
      ]
    : [];
  let level = 0;
  const bars = steps.map(([, v, kind]) => {
    if (kind === 'total') {
      level = v;
      return [0, v];
    }
    const from = level;
    level += v;
    return [Math.min(from, level), Math.max(from, level)];
  });
  const window = months.length ? `${f.period(months[0].month)} – ${f.period(months.at(-1).month)}` : '';
  return ctx.chart({
    id: 'mrr-waterfall',
    title: `${t('r.chartMrr')} ${window}`,
    summary: steps.map(([l, v]) => `${l} ${f.money(v)}`).join(', '),
    note: rev.mrrSource === 'recurring_deals' ? t('r.mrrEstimated') : null,
    empty: needsFor(ctx.report, 'mrr') ? t('r.needs', { what: needsFor(ctx.report, 'mrr', t) }) : t('r.noData'),
    headers: [t('r.step'), t('r.amount')],
    numeric: [1],
    rows: steps.map(([l, v]) => [l, f.money(v)]),
    config: (c) => ({
      type: 'bar',
      data: {
        labels: steps.map(([l]) => l),
        datasets: [{ label: 'MRR', data: bars, backgroundColor: steps.map(([, , k]) => (k === 'total' ? c.series[0] : k === 'up' ? c.positive : c.negative)) }],
      },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (i) => f.money(steps[i.dataIndex][1]) } } }, scales: { x: {}, y: { ticks: { callback: (v) => f.moneyCompact(v) } } } },
    }),
  });
}

function mrrMonthly(ctx) {
  const { t, f, rev } = ctx;
  const ms = rev.movements;
  if (!ms.length) return null;
  const keys = [
    ['new', t('r.new'), 1],
    ['expansion', t('r.expansion'), 1],
    ['reactivated', t('r.reactivated'), 1],
    ['contraction', t('r.contraction'), -1],
    ['churned', t('r.churned'), -1],
  ];
  return ctx.chart({
    id: 'mrr-movements',
    title: t('r.chartMrrMonthly'),
    summary: `${ms[0].month}–${ms.at(-1).month}`,
    headers: [t('r.month'), t('r.startMrr'), ...keys.map((k) => k[1]), t('r.endMrr'), t('r.customers')],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8],
    rows: ms.map((m) => [String(m.month), f.money(m.start_mrr), ...keys.map(([k]) => f.money(m[k])), f.money(m.end_mrr), f.integer(m.customers)]),
    config: (c) => ({
      type: 'bar',
      data: {
        labels: ms.map((m) => m.month),
        datasets: [
          ...keys.map(([k, label, sign], i) => ({ label, data: ms.map((m) => sign * (Number(m[k]) || 0)), backgroundColor: sign > 0 ? [c.positive, c.series[0], c.series[4]][i] : [c.series[1], c.negative][i - 3], stack: 'mv', yAxisID: 'y' })),
          { type: 'line', label: t('r.endMrr'), data: ms.map((m) => m.end_mrr), borderColor: c.text, backgroundColor: c.text, pointRadius: 0, yAxisID: 'y1' },
        ],
      },
      options: {
        scales: {
          x: { stacked: true },
          y: { stacked: true, ticks: { callback: (v) => f.moneyCompact(v) } },
          y1: { position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: (v) => f.moneyCompact(v) } },
        },
      },
    }),
  });
}

function cohortHeatmap(ctx) {
  const { t, f, rev } = ctx;
  const rows = rev.cohorts.filter((r) => Array.isArray(r.retained_customers));
  const width = Math.min(13, Math.max(0, ...rows.map((r) => r.retained_customers.length)));
  const headers = [t('r.cohort'), t('r.customers'), ...Array.from({ length: width }, (_, n) => t('r.monthN', { n }))];
  const body = rows.map((r) => {
    const cells = [String(r.cohort), f.integer(r.customers)];
    for (let k = 0; k < width; k += 1) {
      const retained = r.retained_customers[k];
      if (retained === undefined || retained === null || !r.customers) {
        cells.push(el('span', { class: 'heat none' }, ''));
        continue;
      }
      const share = retained / r.customers;
      const bucket = Math.min(4, Math.floor(share * 5));
      cells.push(el('span', { class: `heat heat-${bucket}`, title: `${f.integer(retained)} / ${f.integer(r.customers)}` }, f.percent(share)));
    }
    return cells;
  });
  const heat = table(t('r.chartCohorts'), headers, body, { className: 'heatmap', numeric: headers.map((_, i) => i).slice(1) });
  return ctx.chart({
    id: 'cohorts',
    title: t('r.chartCohorts'),
    className: 'heat-figure',
    summary: '',
    empty: needsFor(ctx.report, 'cohort_retention') ? t('r.needs', { what: needsFor(ctx.report, 'cohort_retention', t) }) : t('r.noData'),
    headers,
    rows: body,
    table: heat,
    config: null, // the heat map is itself the table
  });
}

// ---------------------------------------------------------------------------------------------
// Data quality

function qualitySection(ctx) {
  const { t, f, report } = ctx;
  const q = report.quality ?? {};
  const breakdown = (Array.isArray(q.breakdown) ? q.breakdown : []).map((s) => [
    String(s.dimension),
    f.percent(s.weight),
    f.decimal(s.score),
    t('r.affectedOf', { n: f.integer(s.affected_rows), of: f.integer(s.checked_rows) }),
  ]);
  const findings = Array.isArray(q.findings) ? q.findings : [];
  const id = uid('quality');
  return el(
    'section',
    { class: 'panel quality', 'aria-labelledby': id },
    el('h3', { id }, t('r.quality')),
    el('p', { class: 'score', data: { metric: 'quality_score', value: q.score } }, el('strong', {}, f.decimal(q.score)), ' / 100'),
    scroller(t('r.scoreCaption'), table(t('r.scoreCaption'), [t('r.dimension'), t('r.weight'), t('r.score'), t('r.rowsAffected')], breakdown, { className: 'breakdown', numeric: [1, 2, 3] })),
    findings.length
      ? el(
          'div',
          { class: 'groups' },
          el('h4', {}, t('r.findings')),
          el(
            'ul',
            { class: 'findings' },
            findings.map((fd) => {
              const rows = Array.isArray(fd.rows) ? fd.rows : [];
              const refs = rows.slice(0, 100).map((r) => rowRef(report, r));
              return el(
                'li',
                { data: { finding: fd.id } },
                el('span', { class: 'count' }, `${f.integer(fd.count)} ×`),
                ` ${unbroken(t.message(fd.coded, fd.message ?? fd.id ?? ''))}`,
                Array.isArray(fd.variants) && fd.variants.length ? el('span', { class: 'lines' }, ` — ${t('r.variants', { list: fd.variants.map((v) => (Array.isArray(v) ? v.map((s) => `“${s}”`).join(' / ') : String(v))).join('; ') })}`) : null,
                refs.length
                  ? el('details', { class: 'rows-behind' }, el('summary', {}, t('r.rowsBehind', { rows: f.integer(rows.length) })), el('p', { class: 'lines' }, unbroken(refs.join(', ') + (rows.length > refs.length ? ', …' : ''))))
                  : null,
              );
            }),
          ),
        )
      : el('p', {}, t('r.noFindings')),
  );
}

// ---------------------------------------------------------------------------------------------
// Files: detection, mapping (editable on the page), per-file quality

/** Files given but left out (no known kind, empty, unreadable), each with its error. */
function notReadNote(ctx) {
  const { t, report } = ctx;
  const list = Array.isArray(report.files_not_read) ? report.files_not_read.filter((x) => x && typeof x === 'object') : [];
  if (list.length === 0) return null;
  return el(
    'div',
    { class: 'note not-read', role: 'note' },
    el('p', {}, t('r.notRead', { count: list.length })),
    el('ul', {}, ...list.map((x) => el('li', { data: { code: String(x.code ?? '') } }, el('strong', {}, fileName(x.file ?? '')), ` [${String(x.code ?? '')}] ${unbroken(t.message(x.coded, x.message ?? ''))}`))),
  );
}

function filesSection(ctx, opts) {
  const { t, f, report } = ctx;
  const files = Array.isArray(report.files) ? report.files : [];
  const details = Array.isArray(report.quality?.files) ? report.quality.files : [];
  const id = uid('files');
  return el(
    'section',
    { class: 'panel files-panel', 'aria-labelledby': id },
    el('h3', { id }, t('r.files')),
    scroller(
      t('r.files'),
      table(
        t('r.filesCaption'),
        [t('r.file'), t('r.kind'), t('r.source'), t('r.rowsRead'), t('r.used'), t('r.rejected')],
        files.map((x) => [unbroken(x.file), t(`kind.${x.kind}`), t.has(`source.${x.source}`) ? t(`source.${x.source}`) : String(x.source ?? ''), f.integer(x.rows_read), f.integer(x.rows_used), f.integer(x.rows_rejected)]),
        { className: 'files', numeric: [3, 4, 5] },
      ),
    ),
    details.map((d) => fileDetails(ctx, d, opts.editable)),
  );
}

/** Where the time went (`report.timings`, present when the options asked for it). */
function timingsLine(ctx) {
  const { t, f, report } = ctx;
  const tm = report.timings;
  if (!tm || !Array.isArray(tm.stages)) return null;
  const ms = (v) => `${f.decimal(Math.round(Number(v) * 10) / 10)} ms`;
  const files = Array.isArray(tm.files) ? tm.files : [];
  return el(
    'details',
    { class: 'timings' },
    el('summary', {}, t('r.timings', { total: ms(tm.total_ms) })),
    el('p', { class: 'meta' }, tm.stages.map((s) => `${String(s.stage)} ${ms(s.ms)}`).join(' · ')),
    files.length ? el('p', { class: 'meta' }, files.map((x) => `${unbroken(x.file)} ${ms(x.ms)}`).join(' · ')) : null,
  );
}

function groupItem(ctx, group) {
  const { t, f } = ctx;
  const example = Array.isArray(group.examples) ? group.examples.find((e) => Array.isArray(e) && e[1] !== '') : null;
  const lines = Array.isArray(group.lines) ? group.lines.slice(0, 10) : [];
  return el(
    'li',
    {},
    el('span', { class: 'count' }, `${f.integer(group.count)} ×`),
    ` ${t.message(group.coded, group.reason ?? '')}`,
    group.header ? t('r.in', { header: String(group.header) }) : null,
    lines.length ? el('span', { class: 'lines' }, ` — ${t('r.lines', { list: lines.join(', ') + (group.count > lines.length ? ', …' : '') })}`) : null,
    example ? el('span', { class: 'example' }, ` (${t('r.example', { line: example[0] })}`, el('code', {}, String(example[1])), ')') : null,
  );
}

function fileDetails(ctx, file, editable) {
  const { t, f } = ctx;
  const info = [
    file.format ? String(file.format).toUpperCase() : null,
    file.encoding,
    file.delimiter ? t('r.delimiter', { d: file.delimiter === '\t' ? t('r.tab') : file.delimiter }) : null,
    file.sheet ? t('r.sheet', { s: file.sheet }) : null,
  ].filter(Boolean);
  const groups = [
    [t('r.rejectedRows'), file.rejected],
    [t('r.skippedRows'), file.skipped],
    [t('r.warnings'), file.findings],
  ].filter(([, list]) => Array.isArray(list) && list.length);
  const source = t.has(`source.${file.source}`) ? t(`source.${file.source}`) : String(file.source ?? '');
  return el(
    'article',
    { class: 'file-quality', data: { file: file.file } },
    el('h4', {}, fileName(file.file)),
    el('p', { class: 'meta' }, [t(`kind.${file.kind}`), source, ...info].join(' · ')),
    el('p', { class: 'rows' }, t('r.rowsSummary', { read: f.integer(file.rows_read), used: f.integer(file.rows_used), rejected: f.integer(file.rows_rejected) })),
    groups.map(([title, list]) => el('div', { class: 'groups' }, el('h5', {}, title), el('ul', {}, list.map((g) => groupItem(ctx, g))))),
    Array.isArray(file.columns) && file.columns.length ? mappingEditor(ctx, file, editable) : null,
  );
}

/**
 * The detected column mapping; when editable, a select per column and an Apply button that
 * dispatches `revlens-mapping` (bubbles, composed) with { file, kind, columns: { header: field } }.
 */
function mappingEditor(ctx, file, editable) {
  const { t } = ctx;
  const kinds = Object.keys(FIELDS_BY_KIND);
  const fields = FIELDS_BY_KIND[file.kind] ?? [];
  const kindSelect = editable
    ? el('select', { 'aria-label': `${t('r.fileKind')}: ${file.file}`, class: 'kind-select' }, kinds.map((k) => el('option', { value: k, selected: k === file.kind }, t(`kind.${k}`))))
    : null;
  const selects = [];
  const rows = file.columns.map((col) => {
    let cell;
    if (editable) {
      const options = [el('option', { value: '' }, t('r.notUsed')), ...fields.map((fd) => el('option', { value: fd, selected: fd === col.field }, fd))];
      if (col.field && !fields.includes(col.field)) options.push(el('option', { value: col.field, selected: true }, col.field));
      const select = el('select', { 'aria-label': `${String(col.header)}: ${t('r.field')}`, data: { header: col.header, detected: col.field ?? '' } }, options);
      selects.push(select);
      cell = select;
    } else {
      cell = col.field ?? t('r.notUsed');
    }
    return [String(col.column), String(col.header ?? ''), cell, col.date_order ? String(col.date_order).replace('_', ' ') : col.decimal ? String(col.decimal) : ''];
  });
  const apply = () => {
    const columns = {};
    for (const s of selects) {
      if (s.value !== s.dataset.detected) columns[s.dataset.header] = s.value || 'ignore';
    }
    const kind = kindSelect && kindSelect.value !== file.kind ? kindSelect.value : undefined;
    kindSelect?.dispatchEvent(new CustomEvent('revlens-mapping', { bubbles: true, composed: true, detail: { file: file.file, kind, columns } }));
  };
  return el(
    'details',
    { class: 'mapping' },
    el('summary', {}, `${t('r.mapping')} (${file.columns.filter((c) => c.field).length}/${file.columns.length})`),
    editable ? el('p', { class: 'note' }, t('r.mappingHint')) : null,
    editable ? el('label', { class: 'kind-label' }, `${t('r.fileKind')} `, kindSelect) : null,
    scroller(`${t('r.mapping')}: ${file.file}`, table(null, [t('r.column'), t('r.header'), t('r.field'), ''], rows)),
    editable ? el('button', { type: 'button', class: 'apply-mapping', on: { click: apply } }, t('r.applyMapping')) : null,
  );
}

/** Shows an error readably, with its stable code when it has one. */
export function renderError(box, err, lang) {
  const t = translator(lang);
  const code = typeof err?.code === 'string' ? err.code : null;
  let message = err?.message ?? String(err);
  if (code === 'TOO_LARGE' && Number.isFinite(err?.bytes) && Number.isFinite(err?.limit)) {
    // Said in the reader's language, from the error's fields (the engine's message is English).
    const f = formatter(lang);
    message = t('page.tooLarge', { file: err.file ?? '', size: f.bytes(err.bytes), limit: f.bytes(err.limit) });
  } else if (code && err?.params && typeof err.params === 'object') {
    // An engine error with its parameters: said from the page's catalogue (msg.<CODE>).
    message = t.message({ code, params: err.params }, message);
  }
  box.replaceChildren(el('strong', {}, code ?? t('page.error')), ': ', message);
  if (code) box.dataset.code = code;
  else delete box.dataset.code;
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
  delete box.dataset.code;
}
