// The report renderer: one function that draws a revlens report into a container (the page's
// #results, or the shadow root of <revlens-report>). DOM through createElement/textContent only.
//
//   const view = await renderReport(container, report, { lang, lens, segment, title, editable });
//   view.destroy();   // before rendering again into the same container
import { el, scroller, table, uid } from './dom.js';
import { formatter, translator } from './i18n.js';
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
 * Lets the browser run input handlers and paint before the next slice of drawing, so drawing a
 * large report never blocks the page in one long task: scheduler.yield() where there is one
 * (Chromium), else a message to ourselves (a macrotask, not clamped like setTimeout).
 */
function nextTask() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
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
 * Draws `report` into `container` (replacing its children). Resolves when charts are drawn.
 * Drawing goes in slices, each in its own task: the heading, then each section and its layout,
 * then each chart (`opts.onSlice` is called at the end of each task, for tests). A newer draw
 * into the same container (which replaces this one's root) stops this one at its next slice.
 */
export async function renderReport(container, report, opts = {}) {
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
  container.replaceChildren(root);
  // Every slice in a task of its own, and the layout of what the previous one added in another:
  // laid out a section at a time, not all at once when the first chart reads its size. Stops when
  // a newer draw replaced this root meanwhile.
  const live = async () => {
    opts.onSlice?.();
    await nextTask();
    if (!root.isConnected) return false;
    void root.offsetHeight; // lays out the last slice now, while there is little to lay out
    opts.onSlice?.();
    await nextTask();
    return root.isConnected;
  };
  for (const slice of slices) {
    if (!(await live())) return view;
    slice();
  }
  root.dataset.drawing = 'charts';
  const Chart = await loadChartLibrary();
  const colors = root.isConnected ? palette(root) : null;
  // Charts draw with the page's font (the Thai face included) once it has loaded.
  if (Chart && colors && ctx.charts.length) await fontsReady(root, colors.font);
  for (const c of ctx.charts) {
    if (!(await live())) {
      view.destroy();
      return view;
    }
    try {
      const chart = c.draw(Chart, colors);
      if (chart) drawn.push(chart);
    } catch (err) {
      console.warn('revlens: a chart could not be drawn; its table stays', err);
    }
  }
  stopPrintSizing = printSizing(drawn);
  opts.onSlice?.();
  delete root.dataset.drawing;
  return view;
}

// ---------------------------------------------------------------------------------------------
// The comparison: the four differences made concrete on this data.

function comparisonSection(ctx) {
  const { t, f, idx, report } = ctx;
  const head = (id, lens) => idx.head(id, lens);
  const val = (id, lens) => {
    const m = head(id, lens);
    return m ? f.value(m.value, m.unit, id) : t('r.notAvailable');
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
        ? t('r.scopeRev', { leads: f.integer(leads.value), customers: customers ? f.integer(customers.value) : t('r.notAvailable'), files: f.integer(filesN) })
        : t('r.scopeRevNoLeads', { files: f.integer(filesN) }),
    ],
    [
      t('r.responsibilities'),
      t('r.respSales', { pastDue: val('past_due', 'salesops'), pastDueAmount: val('past_due_amount', 'salesops'), attainment: val('quota_attainment', 'salesops') }),
      t('r.respRev', { quality: f.decimal(quality), mktShare: val('marketing_sourced_share', 'revops') }),
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
  const needs = m ? null : needsFor(report, id);
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
      undef ? el('span', { class: 'needs' }, String(undef.reason ?? '')) : null,
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
  const conv = (Array.isArray(report.metrics) ? report.metrics : []).filter((m) => m.id === 'stage_conversion' && m.by && m.period === undefined);
  const order = Array.isArray(report.stage_order?.stages) ? report.stage_order.stages.map(String) : [];
  const get = (list, s) => list.find((r) => r.key === s)?.value ?? null;
  const has = (s) => (get(open, s) ?? 0) !== 0 || (get(counts, s) ?? 0) !== 0; // closed stages show 0
  const stages = [...order.filter((s) => open.some((o) => o.key === s)), ...open.map((o) => o.key).filter((k) => !order.includes(k))].filter(has);
  const convFrom = (s) => conv.find((m) => String(m.by.from) === s);
  const rows = stages.map((s) => [s, f.integer(get(counts, s)), f.money(get(open, s)), f.money(get(weighted, s)), convFrom(s) ? `${f.percent(convFrom(s).value)} → ${convFrom(s).by.to}` : '']);
  return ctx.chart({
    id: 'pipeline',
    title: t('r.chartPipeline'),
    summary: `${t.metric('open_pipeline')} ${ctx.value('open_pipeline', 'salesops')}`,
    note: report.stage_order?.inferred ? `${t.metric('stage_conversion')}: ${t('r.inferred')}` : null,
    headers: [t('r.stage'), t('r.deals'), t('r.amount'), t('r.weighted'), t.metric('stage_conversion')],
    numeric: [1, 2, 3],
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
  parts.push(...ev.notes);
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
          el('ul', {}, rev.missing.map((m) => el('li', { data: { missing: m.metric } }, el('strong', {}, t.metric(m.metric)), ': ', t('r.needs', { what: String(m.needs ?? '') })))),
        )
      : null,
    rev.undefined.length
      ? el('div', { class: 'missing' }, el('h4', {}, t('r.undefinedTitle')), el('ul', {}, rev.undefined.map((m) => el('li', {}, el('strong', {}, t.metric(m.metric)), ': ', String(m.reason ?? '')))))
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
    empty: needsFor(ctx.report, 'funnel') ? t('r.needs', { what: needsFor(ctx.report, 'funnel') }) : t('r.noData'),
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
    empty: needsFor(ctx.report, 'mrr') ? t('r.needs', { what: needsFor(ctx.report, 'mrr') }) : t('r.noData'),
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
    empty: needsFor(ctx.report, 'cohort_retention') ? t('r.needs', { what: needsFor(ctx.report, 'cohort_retention') }) : t('r.noData'),
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
                ` ${String(fd.message ?? fd.id ?? '')}`,
                Array.isArray(fd.variants) && fd.variants.length ? el('span', { class: 'lines' }, ` — ${t('r.variants', { list: fd.variants.map((v) => (Array.isArray(v) ? v.map((s) => `“${s}”`).join(' / ') : String(v))).join('; ') })}`) : null,
                refs.length
                  ? el('details', { class: 'rows-behind' }, el('summary', {}, t('r.rowsBehind', { rows: f.integer(rows.length) })), el('p', { class: 'lines' }, refs.join(', ') + (rows.length > refs.length ? ', …' : '')))
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
    el('ul', {}, ...list.map((x) => el('li', { data: { code: String(x.code ?? '') } }, el('strong', {}, String(x.file ?? '')), ` [${String(x.code ?? '')}] ${String(x.message ?? '')}`))),
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
        files.map((x) => [String(x.file), t(`kind.${x.kind}`), t.has(`source.${x.source}`) ? t(`source.${x.source}`) : String(x.source ?? ''), f.integer(x.rows_read), f.integer(x.rows_used), f.integer(x.rows_rejected)]),
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
    files.length ? el('p', { class: 'meta' }, files.map((x) => `${String(x.file)} ${ms(x.ms)}`).join(' · ')) : null,
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
    ` ${String(group.reason ?? '')}`,
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
    el('h4', {}, String(file.file)),
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
