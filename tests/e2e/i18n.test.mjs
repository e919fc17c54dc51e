// Every string of the report in both languages (www/lib/i18n.js): each English message has a Thai
// one with the same placeholders (brand names excepted), and each metric the sample company's
// report holds, the pipeline in time and What changed included, has an English and a Thai name.
// Plain Node: i18n.js uses no DOM. Needs target/release/revlens (scripts/test builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MESSAGES, METRIC_NAMES, translator } from '../../www/lib/i18n.js';
import { repoRoot, revlens, revlensJson } from '../support/revlens-cli.mjs';

// The same in both languages: product names and the funnel's acronyms.
const SAME = new Set(['source.salesforce', 'source.hubspot', 'source.pipedrive', 'source.zoho', 'step.mql', 'step.sql']);
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
