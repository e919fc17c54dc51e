// Exports: the report as JSON, and its metric tables as CSV safe to open in a spreadsheet.

/**
 * A text cell that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
 * carriage return that some programs skip before one) gets a leading apostrophe, so
 * `=HYPERLINK(…)` from a CRM field stays text. Numbers are written as numbers.
 */
export function neutralise(text) {
  const s = String(text);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** One CSV cell (RFC 4180 quoting). */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const s = neutralise(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows) {
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The metric tables: every metric of the report, then the leaderboard, as one CSV text. A metric
 * is broken down by up to four keys (days in stage: stage, outcome and statistic; stage
 * conversion per owner: from, to and owner): the first two in by/by_2, the others in the columns
 * after `excluded` (added later, so the earlier columns keep their places), then the counts
 * behind a ratio ("reached=604;went_on=498").
 */
export function metricsCsv(report) {
  const rows = [['section', 'id', 'lens', 'period', 'by', 'by_value', 'by_2', 'by_value_2', 'value', 'unit', 'rows', 'excluded', 'by_3', 'by_value_3', 'by_4', 'by_value_4', 'counts']];
  for (const m of Array.isArray(report?.metrics) ? report.metrics : []) {
    const by = m.by && typeof m.by === 'object' ? Object.entries(m.by).flat().slice(0, 8) : [];
    while (by.length < 8) by.push('');
    const counts = m.counts && typeof m.counts === 'object' ? Object.entries(m.counts).map(([k, v]) => `${k}=${v}`).join(';') : '';
    rows.push(['metric', m.id, m.lens, m.period ?? '', ...by.slice(0, 4), m.value, m.unit, m.rows ?? '', m.excluded ?? '', ...by.slice(4), counts]);
  }
  for (const r of Array.isArray(report?.leaderboard) ? report.leaderboard : []) {
    for (const [k, v] of Object.entries(r)) {
      if (k !== 'owner') rows.push(['leaderboard', k, 'salesops', '', 'owner', String(r.owner ?? ''), '', '', typeof v === 'number' ? v : null, '', '', '', '', '', '', '', '']);
    }
  }
  return toCsv(rows);
}

export function reportJson(report) {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Offers `text` as a download named `name` (a blob: URL, revoked right after). */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
