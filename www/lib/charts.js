// Charts: Chart.js (npm, MIT) drawn on canvases, each inside a <figure> with a caption, an
// aria-label summary and an accessible table alternative. The library is loaded from this
// package's own origin (vendor/, copied from node_modules); when it cannot be loaded the tables
// still show everything.
import { el, scroller, table, uid } from './dom.js';

let libraryPromise = null;

/** Chart.js's Chart class, or null when the library is not available. */
export function loadChartLibrary() {
  libraryPromise ??= import('../vendor/chart.js/chart.js')
    .then((m) => {
      m.Chart.register(...m.registerables);
      return m.Chart;
    })
    .catch((err) => {
      console.warn('revlens: chart library not available, showing tables only', err);
      return null;
    });
  return libraryPromise;
}

/** The palette, from CSS custom properties on `host` (so embedders can theme it). */
export function palette(host) {
  const style = getComputedStyle(host);
  const v = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--_text', '#1c2430'),
    muted: v('--_muted', '#5b6675'),
    grid: v('--_border', '#d9dee5'),
    series: [1, 2, 3, 4, 5, 6, 7].map((i) => v(`--_c${i}`, ['#2557d6', '#d9822b', '#2a9d8f', '#c2410c', '#7c3aed', '#0f766e', '#be123c'][i - 1])),
    positive: v('--_positive', '#2a9d8f'),
    negative: v('--_negative', '#c2410c'),
    band80: v('--_band80', 'rgba(217, 130, 43, 0.35)'),
    band95: v('--_band95', 'rgba(217, 130, 43, 0.16)'),
  };
}

/**
 * A chart figure. `spec` = { title, summary, headers, rows, numeric, config(colors) → Chart.js
 * config | null, note }. Returns { node, draw(Chart, colors) → chart | null }.
 */
export function chartFigure(spec, t) {
  const titleId = uid('chart-title');
  const hasData = spec.rows.length > 0;
  const canvas = el('canvas', { role: 'img', 'aria-label': `${spec.title}. ${spec.summary ?? ''}`.trim() });
  const node = el(
    'figure',
    { class: `chart ${spec.className ?? ''}`.trim(), 'aria-labelledby': titleId, data: { chart: spec.id } },
    el('figcaption', { id: titleId }, spec.title),
    spec.note ? el('p', { class: 'note' }, spec.note) : null,
    hasData && spec.config ? el('div', { class: 'canvas-box' }, canvas) : null,
    hasData ? null : el('p', { class: 'empty' }, spec.empty ?? t('r.noData')),
    hasData
      ? el(
          'details',
          { class: 'table-alt', open: spec.config ? undefined : true },
          el('summary', {}, t('r.tableAlt', { title: spec.title })),
          scroller(spec.title, spec.table ?? table(spec.title, spec.headers, spec.rows, { numeric: spec.numeric })),
        )
      : null,
  );
  return {
    node,
    draw(Chart, colors) {
      if (!Chart || !hasData || !spec.config) return null;
      const config = spec.config(colors);
      if (!config) return null;
      config.options = baseOptions(colors, config.options ?? {});
      return new Chart(canvas, config);
    },
  };
}

function baseOptions(colors, options) {
  const scale = (s = {}) => ({
    ...s,
    ticks: { color: colors.muted, ...(s.ticks ?? {}) },
    grid: { color: colors.grid, ...(s.grid ?? {}) },
    title: s.title ? { color: colors.muted, display: true, ...s.title } : undefined,
  });
  const scales = Object.fromEntries(Object.entries(options.scales ?? {}).map(([k, s]) => [k, scale(s)]));
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    ...options,
    scales,
    plugins: {
      ...(options.plugins ?? {}),
      legend: { labels: { color: colors.text, boxWidth: 12 }, ...(options.plugins?.legend ?? {}) },
    },
  };
}
