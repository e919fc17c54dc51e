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

/** The palette, from CSS custom properties on `host` (so embedders can theme it), and its font. */
export function palette(host) {
  const style = getComputedStyle(host);
  const v = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    // The report's own font stack, so the canvas draws Thai labels with the shipped Thai face.
    font: style.fontFamily || 'system-ui, sans-serif',
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
 * config | null, note, tableOpen (the table alternative shown open, for a chart whose table is
 * how its rows are used) }. Returns { node, width(), draw(Chart, colors, width) → chart | null }.
 */
export function chartFigure(spec, t) {
  const titleId = uid('chart-title');
  const hasData = spec.rows.length > 0;
  const canvas = el('canvas', { role: 'img', 'aria-label': `${spec.title}. ${spec.summary ?? ''}`.trim() });
  const node = el(
    'figure',
    { class: `chart ${spec.className ?? ''}`.trim(), 'aria-labelledby': titleId, data: { chart: spec.id, ...(spec.data ?? {}) } },
    el('figcaption', { id: titleId }, spec.title),
    spec.note ? el('p', { class: 'note' }, spec.note) : null,
    hasData && spec.config ? el('div', { class: 'canvas-box' }, canvas) : null,
    hasData ? null : el('p', { class: 'empty' }, spec.empty ?? t('r.noData')),
    hasData
      ? el(
          'details',
          { class: 'table-alt', open: spec.config && !spec.tableOpen ? undefined : true },
          el('summary', {}, t('r.tableAlt', { title: spec.title })),
          scroller(spec.title, spec.table ?? table(spec.title, spec.headers, spec.rows, { numeric: spec.numeric })),
        )
      : null,
  );
  return {
    node,
    /** The width (CSS px) its box gives the chart: read for every chart before any is drawn. */
    width: () => canvas.parentElement?.clientWidth ?? 0,
    draw(Chart, colors, width = canvas.parentElement?.clientWidth ?? 0) {
      if (!Chart || !hasData || !spec.config) return null;
      const config = spec.config(colors);
      if (!config) return null;
      config.options = baseOptions(colors, config.options ?? {}, width);
      return new Chart(canvas, config);
    },
  };
}

/**
 * Waits until the web fonts for the characters in `root` are loaded (at most `ms`): a canvas
 * draws with the faces loaded at that moment and never redraws, so Thai labels drawn before the
 * Thai face arrived would stay empty boxes. Only faces whose unicode-range the text touches load.
 */
export async function fontsReady(root, family, ms = 3000) {
  const fonts = root.ownerDocument?.fonts;
  if (!fonts?.load) return;
  const chars = [...new Set(root.textContent)].join('');
  const loads = [400, 700].map((weight) => fonts.load(`${weight} 12px ${family}`, chars));
  let timer;
  const timeout = new Promise((done) => {
    timer = setTimeout(done, ms);
  });
  try {
    await Promise.race([Promise.all(loads), timeout]);
  } catch {
    // a face that fails to load falls back to the system's; the chart is still drawn
  } finally {
    clearTimeout(timer);
  }
}

/** The width (CSS px) charts are drawn at for printing: the printable width of A4 and of Letter with 12 mm margins is 702–725 px. */
const PRINT_WIDTH = 700;

/**
 * Redraws `charts` at the printed page's width before printing (the print stylesheet then fits
 * them exactly) and at their boxes' width after, so a report printed from a phone or a wide
 * screen has charts with the page's proportions and label density. Returns the cleanup.
 */
export function printSizing(charts) {
  if (!charts.length || typeof window === 'undefined') return () => {};
  let saved = [];
  const before = () => {
    saved = charts.map((chart) => inkFor(chart, PRINT_INK));
    for (const chart of charts) {
      chart.update('none');
      chart.resize(PRINT_WIDTH, chart.canvas.parentElement?.clientHeight || chart.height);
    }
  };
  const after = () => {
    charts.forEach((chart, i) => {
      if (saved[i]) inkFor(chart, saved[i]);
      chart.update('none');
      chart.resize();
    });
    saved = [];
  };
  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  return () => {
    window.removeEventListener('beforeprint', before);
    window.removeEventListener('afterprint', after);
  };
}

/** Axis, grid and legend colours on paper (a dark theme's light greys would fade on white). */
const PRINT_INK = { text: '#000000', muted: '#444444', grid: '#cccccc' };

/** Sets a chart's axis, grid and legend colours to `ink`; returns the ones it had. */
function inkFor(chart, ink) {
  const o = chart.options;
  const scales = Object.values(o.scales ?? {});
  const had = { text: o.plugins?.legend?.labels?.color, muted: scales[0]?.ticks?.color, grid: scales[0]?.grid?.color };
  for (const sc of scales) {
    if (sc.ticks) sc.ticks.color = ink.muted;
    if (sc.grid) sc.grid.color = ink.grid;
    if (sc.title) sc.title.color = ink.muted;
  }
  if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = ink.text;
  return had;
}

/** Below this width (CSS px) a chart is "narrow" (a phone): fewer ticks, so its labels fit unrotated or nearly. */
const NARROW = 480;

/** Tick and label settings for a chart `width` px wide. */
function density(width) {
  const narrow = width < NARROW;
  return { narrow, xTicks: narrow ? 6 : 24, yTicks: narrow ? 5 : 11 };
}

function baseOptions(colors, options, width) {
  const d = density(width);
  const font = { family: colors.font };
  const scale = (s = {}) => ({
    ...s,
    ticks: { color: colors.muted, font, autoSkipPadding: 6, ...(s.ticks ?? {}) },
    grid: { color: colors.grid, ...(s.grid ?? {}) },
    title: s.title ? { color: colors.muted, display: true, font, ...s.title } : undefined,
  });
  const scales = Object.fromEntries(Object.entries(options.scales ?? {}).map(([k, s]) => [k, scale(s)]));
  const legend = options.plugins?.legend ?? {};
  const tooltip = options.plugins?.tooltip ?? {};
  const result = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // At least two bitmap pixels a CSS pixel, so a printed chart (scaled to the page) stays sharp.
    devicePixelRatio: Math.max(2, globalThis.devicePixelRatio || 1),
    ...options,
    scales,
    plugins: {
      ...(options.plugins ?? {}),
      // Below the plot: on a phone a legend on top takes the height the plot needs.
      legend: { position: 'bottom', ...legend, labels: { color: colors.text, boxWidth: 12, font, ...(legend.labels ?? {}) } },
      tooltip: { titleFont: { ...font, weight: 'bold' }, bodyFont: font, footerFont: font, ...tooltip },
    },
  };
  applyDensity(result, d);
  // Crossing the phone width on resize (rotation, a window made narrow) re-applies the density.
  let narrow = d.narrow;
  result.onResize = (chart, size) => {
    const next = density(size.width);
    if (next.narrow === narrow) return;
    narrow = next.narrow;
    applyDensity(chart.options, next);
    setTimeout(() => chart.update('none'), 0);
  };
  return result;
}

/** Sets the tick limits of every axis of `options` (each has its ticks object) for a density. */
function applyDensity(options, d) {
  const horizontal = options.indexAxis === 'y';
  for (const id of Object.keys(options.scales ?? {})) {
    const ticks = options.scales[id].ticks;
    const categories = horizontal ? id.startsWith('y') : id.startsWith('x');
    ticks.maxTicksLimit = categories ? d.xTicks : d.yTicks;
  }
}
