// Every string of the report in both languages (www/lib/i18n.js): each English message has a Thai
// one with the same placeholders (brand names excepted), and each metric the sample company's
// report holds, the pipeline in time and What changed included, has an English and a Thai name.
// Plain Node: i18n.js uses no DOM. Needs target/release/revlens (scripts/test builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MESSAGES, METRIC_NAMES, translator } from '../../www/lib/i18n.js';
import { repoRoot, revlens, revlensJson } from '../support/revlens-cli.mjs';
import { dataStrings, latinSentences } from '../support/latin.mjs';
import { messageProblems, NOT_PLURAL } from '../support/page-checks.mjs';

// The same in both languages: product names and the funnel's acronyms.
const SAME = new Set(['source.salesforce', 'source.hubspot', 'source.pipedrive', 'source.zoho', 'step.mql', 'step.sql']);
// The names a template fills: {name} and {name, plural, …} / {name, missing, …}, each once.
const placeholders = (s) => [...new Set([...String(s).matchAll(/\{(\w+)\s*(?=[,}])/g)].map((m) => m[1]))].sort();

test('every English message has a Thai one with the same placeholders', () => {
  const missing = Object.keys(MESSAGES.en).filter((k) => !(k in MESSAGES.th) && !SAME.has(k));
  assert.deepEqual(missing, [], 'messages without Thai');
  const extra = Object.keys(MESSAGES.th).filter((k) => !(k in MESSAGES.en));
  assert.deepEqual(extra, [], 'Thai messages with no English one');
  const differ = Object.keys(MESSAGES.th).filter((k) => placeholders(MESSAGES.en[k]).join() !== placeholders(MESSAGES.th[k]).join());
  assert.deepEqual(differ, [], 'messages whose placeholders differ between the languages');
  // The new sections' strings, by their families: each waterfall bar has a name and a note.
  for (const bar of ['start', 'won', 'lost', 'pushed_out', 'pulled_earlier', 'removed', 'new', 'pulled_in', 'reopened', 'increased', 'decreased', 'end']) {
    for (const key of [`bar.${bar}`, `barNote.${bar}`]) assert.ok(MESSAGES.en[key] && MESSAGES.th[key], key);
  }
  for (const source of ['given', 'file_name', 'generated_line', 'latest_event']) assert.ok(MESSAGES.en[`dated.${source}`] && MESSAGES.th[`dated.${source}`], source);
});

test("every metric of the sample company's report has an English and a Thai name", () => {
  const dir = path.join(repoRoot, 'target', 'i18n-sample');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  revlens(['sample', '--out', dir]);
  const report = revlensJson(['report', ...readdirSync(dir).map((f) => path.join(dir, f))]);
  const ids = [...new Set(report.metrics.map((m) => m.id))];
  const added = ['stage_conversion', 'stage_duration_days', 'stage_bottleneck', 'stuck_deals', 'stuck_deals_amount', 'close_date_pushes', 'slip_rate', 'amount_change_rate', 'pipeline_waterfall', 'stage_moves', 'forecast_accuracy'];
  for (const id of added) assert.ok(ids.includes(id), `the sample's report has ${id}`);
  const unnamed = ids.filter((id) => !Array.isArray(METRIC_NAMES[id]) || !METRIC_NAMES[id][0] || !METRIC_NAMES[id][1]);
  assert.deepEqual(unnamed, [], 'metrics without a name in both languages');
  const en = translator('en');
  const th = translator('th');
  assert.equal(en.metric('slip_rate'), 'Slip rate');
  assert.equal(th.metric('pipeline_waterfall'), 'Waterfall ของไปป์ไลน์');
  rmSync(dir, { recursive: true, force: true });
});

test('every message with 0, 1, 2 and a missing value: plural forms by Intl.PluralRules, "not available" said in words', () => {
  // The same check runs in each browser engine on the page's copy (tests/engines).
  const { problems, said } = messageProblems(MESSAGES, translator, NOT_PLURAL);
  assert.ok(said > 500, `only ${said} messages said`);
  // The comparison table's sentences say a missing figure in words of their own (never "not available of leads").
  const OWN_WORDS = { 'r.scopeRev': ['customers'], 'r.respSales': ['pastDue', 'attainment'], 'r.respRev': ['quality', 'mktShare'], 'r.metricsSales': ['winRate', 'deal', 'cycle'], 'r.metricsRev': ['leadToCustomer', 'nrr'], 'r.audienceRev': ['mrr', 'ltvCac'] };
  for (const lang of ['en', 'th']) {
    for (const [key, names] of Object.entries(OWN_WORDS)) {
      for (const name of names) if (!new RegExp(`\\{${name}, (plural|missing),.*missing \\{`).test(MESSAGES[lang][key])) problems.push(`${lang} ${key}: no words for a missing ${name}`);
    }
  }
  assert.deepEqual(problems, []);
  const en = translator('en');
  assert.equal(en('page.analysed', { title: 'Your files', count: 1 }), 'Your files: 1 file analysed in this browser.');
  assert.equal(en('page.analysed', { title: 'Your files', count: 2 }), 'Your files: 2 files analysed in this browser.');
  assert.equal(en('r.scopeRevNoLeads', { files: 1 }), '1 file; without a leads file the top of the funnel is not visible.');
  assert.equal(en('r.metricsRev', { leadToCustomer: null, nrr: '104%' }), 'RevOps cannot yet see what share of leads become customers and NRR is 104%.');
  assert.equal(en('r.metricsSales', { winRate: '30%', deal: '$5,000', cycle: '1' }), 'SalesOps sees a 30% win rate, a $5,000 average deal, a 1 day median cycle.');
  assert.equal(en('r.notRead', { count: 1 }), '1 file could not be read and is left out of this report:');
  const th = translator('th');
  assert.equal(th('page.analysed', { title: 'ไฟล์ของคุณ', count: 1 }), 'ไฟล์ของคุณ: วิเคราะห์ 1 ไฟล์ในเบราว์เซอร์นี้แล้ว');
  assert.equal(th('r.metricsRev', { leadToCustomer: null, nrr: null }), 'RevOps ยังไม่เห็นว่าลีดกลายเป็นลูกค้าในสัดส่วนเท่าใด และไม่มีข้อมูล NRR');
});

/** The sample company's report from the CLI (its stage history and snapshots included), with `args` given to the CLI. */
function sampleReport(...args) {
  const dir = path.join(repoRoot, 'target', 'i18n-sample-messages');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  revlens(['sample', '--out', dir]);
  const report = revlensJson(['report', ...readdirSync(dir).map((f) => path.join(dir, f)), ...args]);
  rmSync(dir, { recursive: true, force: true });
  return report;
}

/** Every sentence of the core's in a report: [where, coded, English text]. */
function coreSentences(report) {
  const out = [];
  for (const f of report.quality?.findings ?? []) out.push([`finding ${f.id}`, f.coded, f.message]);
  for (const file of report.quality?.files ?? []) {
    for (const list of ['rejected', 'skipped', 'findings']) for (const g of file[list] ?? []) out.push([`${file.file} ${list}`, g.coded, g.reason]);
  }
  const fc = report.forecast ?? {};
  (fc.notes ?? []).forEach((n, i) => out.push([`forecast note ${i}`, fc.notes_coded?.[i], n]));
  if (fc.slip_source) out.push(['slip source', fc.slip_source_coded, fc.slip_source]);
  for (const m of report.revops?.missing ?? []) out.push([`needs ${m.metric}`, m.coded, m.needs]);
  for (const m of report.revops?.undefined ?? []) out.push([`undefined ${m.metric}`, m.coded, m.reason]);
  const accuracy = report.snapshots?.comparison?.forecast_accuracy;
  if (accuracy?.revlens_note) out.push(['forecast accuracy note', accuracy.revlens_note_coded, accuracy.revlens_note]);
  return out;
}

for (const [name, args] of [['', []], [', a window that is not a fiscal quarter', ['--window', '2026-05-01..2026-07-31']]]) test(`the core's sentences on the sample report${name} come as codes, said in English and in Thai with no Latin sentence`, () => {
  const report = sampleReport(...args);
  if (args.length) assert.ok(report.snapshots.comparison.forecast_accuracy.revlens_note_coded, 'the accuracy says why there is no P50');
  const sentences = coreSentences(report);
  const codes = new Set(sentences.map(([, c]) => c?.code));
  for (const kind of ['finding rejected_rows', 'skipped', 'forecast note 0', 'slip source']) assert.ok(sentences.some(([w]) => w.includes(kind)), `the sample shows a ${kind}`);
  const en = translator('en');
  const th = translator('th');
  const names = dataStrings(report);
  const problems = [];
  const known = (c) => c && typeof c.code === 'string' && !['reason_text', 'needs_text'].includes(c.code) && `msg.${c.code}` in MESSAGES.en && `msg.${c.code}` in MESSAGES.th && Object.values(c.params ?? {}).every((v) => typeof v !== 'object' || known(v));
  // English said from the catalogue is the core's own sentence (numbers in the reader's format: "45%").
  const same = (s) => String(s).replace(/(\d) %/g, '$1%').replace(/[‘’']/g, "'").replace(/\.$/, '');
  for (const [where, coded, english] of sentences) {
    if (!known(coded)) {
      problems.push(`${where}: no code both catalogues know: ${JSON.stringify(coded)} for "${english}"`);
      continue;
    }
    if (!where.startsWith('forecast note') && same(en.message(coded, english)) !== same(english)) problems.push(`${where}: English "${en.message(coded)}" is not the core's "${english}"`);
    const thai = th.message(coded, english);
    const latin = latinSentences(thai, names);
    if (latin.length) problems.push(`${where}: Latin in Thai: ${JSON.stringify(latin)} in "${thai}"`);
  }
  assert.deepEqual(problems, []);
  assert.ok(codes.size >= 5, `codes: ${[...codes]}`);
  // The check sees what the issue showed: English glued into a Thai template.
  assert.deepEqual(latinSentences('ต้องมีrevenue lines: a subscriptions or billing export', names), ['revenue lines: a subscriptions or billing export']);
  assert.equal(latinSentences('salesforce_opportunities.csv: แถวที่ไม่ได้ใช้: amount is not a number', names).length, 1);
  // A code this page does not know (a newer core) shows the core's English text.
  assert.equal(th.message({ code: 'not_a_code', params: {} }, 'As sent'), 'As sent');
  assert.equal(th.message(null, 'As sent'), 'As sent');
});

test('each kind of core message renders in both languages with its parameters', () => {
  const en = translator('en');
  const th = translator('th');
  const reason = { code: 'reason_not_a_number', params: { field: 'amount' } };
  assert.equal(en.message({ code: 'rejected_rows', params: { file: 'deals.csv', reason } }), 'deals.csv: rows not used: amount is not a number');
  assert.equal(th.message({ code: 'rejected_rows', params: { file: 'deals.csv', reason } }), 'deals.csv: แถวที่ไม่ได้ใช้: มูลค่า ไม่ใช่ตัวเลข');
  assert.equal(en.message({ code: 'unreadable_cells', params: { file: 'a.csv', reason: { code: 'reason_unreadable_amount', params: {} } } }), 'a.csv: unreadable amount (left empty)');
  assert.equal(en.message({ code: 'note_no_amount', params: { deals: 1 } }), 'Left out: 1 open deal dated in the two periods with no amount.');
  assert.equal(en.message({ code: 'slip_assumed', params: { rate: 0.08 } }), 'assumed 8%: a snapshot export does not show how often close dates were moved');
  assert.equal(en.message({ code: 'needs_leads', params: {} }), 'a leads or contacts export (created date, source, lifecycle-stage dates)');
  assert.equal(th('r.needs', { what: th.message({ code: 'needs_revenue_lines', params: {} }) }).startsWith('ต้องมีไฟล์รายได้ประจำ'), true);
  // Every msg.* key: Thai says it with no Latin sentence, each parameter filled with a number or a name.
  const problems = [];
  for (const key of Object.keys(MESSAGES.th).filter((k) => k.startsWith('msg.') && !['msg.reason_text', 'msg.needs_text'].includes(k))) {
    const names = placeholders(MESSAGES.th[key]);
    const text = th(key, Object.fromEntries(names.map((n) => [n, 2])));
    const latin = latinSentences(text, ['Monte Carlo', 'MRR', 'CAC', 'CLV']);
    if (latin.length) problems.push(`${key}: ${JSON.stringify(latin)}`);
  }
  assert.deepEqual(problems, []);
});

test("the engine's errors come with their parameters, said in English (as the core) and in Thai", () => {
  const dir = path.join(repoRoot, 'target', 'i18n-errors');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const junk = path.join(dir, 'notes.csv');
  const good = path.join(dir, 'deals.csv');
  writeFileSync(junk, 'foo,bar,baz\n1,2,3\n');
  writeFileSync(good, 'Deal Name,Stage,Amount,Close Date,Created Date\nA,Closed Won,100,2024-02-01,2024-01-01\n');
  const report = revlensJson(['report', good, junk]);
  rmSync(dir, { recursive: true, force: true });
  const [notRead] = report.files_not_read;
  assert.equal(notRead.code, 'UNKNOWN_FILE_KIND');
  assert.deepEqual(notRead.coded, { code: 'UNKNOWN_FILE_KIND', params: { file: 'notes.csv', line: 1, headers: 'foo | bar | baz' } });
  const en = translator('en');
  const th = translator('th');
  assert.equal(en.message(notRead.coded, notRead.message), notRead.message);
  const thai = th.message(notRead.coded, notRead.message);
  assert.match(thai, /^notes\.csv: บอกไม่ได้ว่าไฟล์นี้เก็บข้อมูลอะไรจากหัวตาราง \(บรรทัด 1: foo \| bar \| baz\)/);
  assert.deepEqual(latinSentences(thai, ['notes.csv', 'foo | bar | baz']), []);
  // Every error code the engine has, in both catalogues.
  for (const code of ['EMPTY_FILE', 'UNKNOWN_FILE_KIND', 'CSV_SYNTAX', 'BAD_SPREADSHEET', 'NO_SPREADSHEET_READER', 'SHEET_NOT_FOUND', 'BAD_MAPPING', 'READ_ERROR', 'MISSING_RATE', 'BAD_AS_OF', 'BAD_SNAPSHOT_DATE', 'NO_FILES', 'NO_FILE_READ', 'BAD_SPEND']) {
    assert.ok(MESSAGES.en[`msg.${code}`] && MESSAGES.th[`msg.${code}`], code);
  }
  const first = { code: 'EMPTY_FILE', params: { file: 'a.csv' } };
  assert.equal(en.message({ code: 'NO_FILE_READ', params: { first, others: 0 } }), 'none of the files could be read: a.csv: the file is empty (no header row found)');
  assert.equal(en.message({ code: 'NO_FILE_READ', params: { first, others: 2 } }), 'none of the files could be read: a.csv: the file is empty (no header row found) (and 2 more)');
  assert.equal(th.message({ code: 'MISSING_RATE', params: { currency: 'EUR', report_currency: 'USD', rows: 1 } }), 'มีจำนวนเงินเป็น EUR (1 แถว) แต่ไม่มีอัตราแลกเปลี่ยนจาก EUR เป็น USD: เพิ่มอัตราใน rates (เช่น EUR: 1.08 = USD ต่อ 1 EUR)');
});
