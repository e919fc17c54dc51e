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

/** The metric tables: every metric of the report, then the leaderboard, as one CSV text. */
export function metricsCsv(report) {
  const rows = [['section', 'id', 'lens', 'period', 'by', 'by_value', 'by_2', 'by_value_2', 'value', 'unit', 'rows', 'excluded']];
  for (const m of Array.isArray(report?.metrics) ? report.metrics : []) {
    const by = m.by && typeof m.by === 'object' ? Object.entries(m.by).flat().slice(0, 4) : [];
    while (by.length < 4) by.push('');
    rows.push(['metric', m.id, m.lens, m.period ?? '', ...by, m.value, m.unit, m.rows ?? '', m.excluded ?? '']);
  }
  for (const r of Array.isArray(report?.leaderboard) ? report.leaderboard : []) {
    for (const [k, v] of Object.entries(r)) {
      if (k !== 'owner') rows.push(['leaderboard', k, 'salesops', '', 'owner', String(r.owner ?? ''), '', '', typeof v === 'number' ? v : null, '', '', '']);
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
