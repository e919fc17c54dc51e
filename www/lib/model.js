// Reading a revlens report: lookups over its metrics and defensive finders for the sections that
// may be absent (forecast, RevOps tables), so the renderer never assumes a field exists.

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Indexes of the report's metric objects; without a lens, salesops wins over revops. */
export function indexMetrics(report) {
  const head = new Map(); // "lens:id" → whole-data metric
  const series = new Map(); // "lens:id" → [{ period, value, unit }] sorted by period
  const breakdowns = new Map(); // "lens:id|dim" → [{ key, value, unit }]
  const lenses = new Map(); // id → lenses that have it, in order seen
  for (const m of Array.isArray(report?.metrics) ? report.metrics : []) {
    if (!isObj(m) || typeof m.id !== 'string') continue;
    const key = `${m.lens}:${m.id}`;
    if (!lenses.has(m.id)) lenses.set(m.id, []);
    if (!lenses.get(m.id).includes(m.lens)) lenses.get(m.id).push(m.lens);
    const byKeys = isObj(m.by) ? Object.keys(m.by) : [];
    if (m.period === undefined && byKeys.length === 0) head.set(key, m);
    else if (m.period !== undefined && byKeys.length === 0) {
      if (!series.has(key)) series.set(key, []);
      series.get(key).push(m);
    } else if (m.period === undefined && byKeys.length === 1) {
      const k = `${key}|${byKeys[0]}`;
      if (!breakdowns.has(k)) breakdowns.set(k, []);
      breakdowns.get(k).push({ key: String(m.by[byKeys[0]]), value: m.value, unit: m.unit, rows: m.rows, excluded: m.excluded });
    }
  }
  for (const list of series.values()) list.sort((a, b) => String(a.period).localeCompare(String(b.period)));
  const lensOrder = (id) => {
    const ls = lenses.get(id) ?? [];
    return ls.includes('salesops') ? ['salesops', ...ls.filter((l) => l !== 'salesops')] : ls;
  };
  const find = (map, id, lens, suffix = '') => {
    for (const l of lens ? [lens] : lensOrder(id)) {
      const v = map.get(`${l}:${id}${suffix}`);
      if (v) return v;
    }
    return null;
  };
  return {
    head: (id, lens) => find(head, id, lens),
    series: (id, lens) => find(series, id, lens) ?? [],
    breakdown: (id, dim, lens) => find(breakdowns, id, lens, `|${dim}`) ?? [],
  };
}

/** Segment dimensions offered as filters, with their values (from the bookings breakdowns). */
export function segments(report) {
  const idx = indexMetrics(report);
  const out = {};
  for (const dim of ['owner', 'region', 'lead_source', 'type']) {
    const keys = new Set();
    for (const id of ['bookings', 'open_pipeline', 'won_count']) for (const row of idx.breakdown(id, dim, 'salesops')) keys.add(row.key);
    if (keys.size) out[dim] = [...keys].sort((a, b) => a.localeCompare(b));
  }
  return out;
}

/** The RevOps part, always with the same shape. */
export function revops(report) {
  const r = isObj(report?.revops) ? report.revops : {};
  const funnel = isObj(r.funnel) ? r.funnel : null;
  return {
    steps: Array.isArray(funnel?.steps) ? funnel.steps.filter(isObj) : [],
    funnelCohorts: Array.isArray(funnel?.cohorts) ? funnel.cohorts.filter(isObj) : [],
    movements: Array.isArray(r.mrr_movements) ? r.mrr_movements.filter(isObj) : [],
    mrrSource: typeof r.mrr_source === 'string' ? r.mrr_source : null,
    cohorts: Array.isArray(r.cohorts?.rows) ? r.cohorts.rows.filter(isObj) : Array.isArray(r.cohorts) ? r.cohorts.filter(isObj) : [],
    missing: Array.isArray(r.missing) ? r.missing.filter(isObj) : [],
    undefined: Array.isArray(r.undefined) ? r.undefined.filter(isObj) : [],
  };
}

/** What a missing metric needs (from revops.missing), or null; said in t's language when a translator is given. */
export function needsFor(report, id, t) {
  const found = revops(report).missing.find((m) => m.metric === id);
  if (!found) return null;
  return t ? t.message(found.coded, found.needs ?? '') : String(found.needs ?? '');
}

const pointsOf = (c) => (Array.isArray(c?.forecast) ? c.forecast : Array.isArray(c?.points) ? c.points : Array.isArray(c) ? c : null);
const isForecastSeries = (c) => {
  const pts = pointsOf(c);
  return Array.isArray(pts) && pts.length > 0 && pts.every((p) => isObj(p) && ('lo80' in p || 'hi80' in p));
};

/**
 * The bookings time-series forecast: { model, target, points: [{ period, value, lo80, hi80,
 * lo95, hi95 }], backtest } or null. Tolerates the section's possible shapes.
 */
export function bookingsForecast(report) {
  const f = report?.forecast;
  if (!isObj(f)) return null;
  const candidates = [f.bookings, f.time_series, f.timeseries, f.series, f.bookings_forecast, f];
  if (Array.isArray(f.series)) candidates.push(...f.series);
  const c = candidates.find((x) => isForecastSeries(x));
  if (!c) return null;
  const points = pointsOf(c).map((p) => ({
    period: String(p.period ?? p.month ?? ''),
    value: num(p.value ?? p.mean ?? p.forecast),
    lo80: num(p.lo80),
    hi80: num(p.hi80),
    lo95: num(p.lo95),
    hi95: num(p.hi95),
  }));
  return { model: c.model ?? c.chosen ?? null, target: c.target ?? c.of ?? 'bookings', points, backtest: isObj(c.backtest) ? c.backtest : null };
}

/**
 * How the pipeline forecast's win probability scored against the CRM's on later deals, and
 * what the forecast left out: { learned, crm, base, examples, notes, slip } or null.
 */
export function forecastEvidence(report) {
  const f = report?.forecast;
  if (!isObj(f)) return null;
  const w = isObj(f.win_probability) ? f.win_probability : {};
  return {
    learned: num(w.brier_learned),
    crm: num(w.brier_crm),
    base: num(w.brier_base_rate),
    examples: num(w.compared_examples ?? w.test_examples),
    notes: Array.isArray(f.notes) ? f.notes.map(String) : [],
    // The notes and the slip's source as codes ({ code, params }, one per note), for t.message.
    notesCoded: Array.isArray(f.notes_coded) ? f.notes_coded : [],
    slipCoded: isObj(f.slip_source_coded) ? f.slip_source_coded : null,
    // Where the slip the Monte Carlo uses came from ("measured 40 % from the stage history: …").
    slip: typeof f.slip_source === 'string' && f.slip_source ? f.slip_source : null,
  };
}

/** Normalises a histogram to [{ from, to, count }]. */
function histogramOf(h) {
  if (Array.isArray(h)) {
    return h
      .filter(isObj)
      .map((b) => ({ from: num(b.from ?? b.lo ?? b.start ?? b.low ?? b.x0 ?? b.x), to: num(b.to ?? b.hi ?? b.end ?? b.high ?? b.x1), count: num(b.count ?? b.n ?? b.runs ?? b.frequency) }))
      .filter((b) => b.count !== null);
  }
  if (isObj(h)) {
    const edges = h.edges ?? h.bins ?? h.bin_edges;
    const counts = h.counts ?? h.frequencies;
    if (Array.isArray(edges) && Array.isArray(counts)) {
      return counts.map((c, i) => ({ from: num(edges[i]), to: num(edges[i + 1] ?? null), count: num(c) }));
    }
  }
  return [];
}

/**
 * The pipeline forecast periods: [{ period, closed, expected, p10, p50, p90, histogram, runs,
 * drivers }] (empty when absent).
 */
export function pipelineForecast(report) {
  const f = report?.forecast;
  if (!isObj(f)) return [];
  const c = [f.pipeline, f.pipeline_forecast, f.monte_carlo, Array.isArray(f.periods) ? f : null].find((x) => isObj(x) || Array.isArray(x));
  if (!c) return [];
  const list = Array.isArray(c) ? c : Array.isArray(c.periods) ? c.periods : [c];
  return list.filter(isObj).map((p) => {
    const mc = isObj(p.monte_carlo) ? p.monte_carlo : p;
    const pick = (...names) => {
      for (const n of names) {
        const v = num(mc[n] ?? p[n]);
        if (v !== null) return v;
      }
      return null;
    };
    const drivers = [p.drivers, p.top_deals, p.movers, mc.drivers, mc.top_deals, c.drivers].find(Array.isArray) ?? [];
    return {
      period: String(p.period ?? p.name ?? ''),
      closed: pick('closed', 'closed_so_far', 'closed_won'),
      expected: pick('expected', 'expected_value', 'forecast', 'mean'),
      p10: pick('p10'),
      p50: pick('p50', 'median'),
      p90: pick('p90'),
      runs: pick('runs', 'simulations', 'n'),
      histogram: histogramOf(mc.histogram ?? p.histogram),
      drivers: drivers.filter(isObj),
    };
  });
}

/** The row reference `{ file, line }` as "name:line". */
export function rowRef(report, row) {
  const files = report?.quality?.files ?? [];
  const name = typeof row?.file === 'number' ? files[row.file]?.file ?? `#${row.file}` : row?.file ?? '?';
  return `${name}:${row?.line ?? '?'}`;
}
