// The page's CSV export (www/lib/export.js) in Node: RFC 4180 quoting and formula neutralisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, metricsCsv, neutralise, toCsv } from '../../www/lib/export.js';

test('cells a spreadsheet would run as formulas are neutralised', () => {
  for (const s of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=x', '\r=x']) assert.equal(neutralise(s), `'${s}`);
  for (const s of ['Acme', '1=1', 'a-b', '', 'ไทย']) assert.equal(neutralise(s), s);
});

test('numbers stay numbers; text is quoted per RFC 4180', () => {
  assert.equal(csvCell(-0.25), '-0.25');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(toCsv([['a', 1], ['b', 2]]), 'a,1\r\nb,2\r\n');
});

test('the metric tables hold every metric and the leaderboard, owners neutralised', () => {
  const report = {
    metrics: [
      { id: 'bookings', lens: 'salesops', value: 10, unit: 'currency' },
      { id: 'bookings', lens: 'salesops', value: 4, unit: 'currency', by: { owner: '=evil()' } },
      { id: 'win_rate', lens: 'salesops', value: 0.5, unit: 'ratio', period: '2024-01' },
    ],
    leaderboard: [{ owner: '@x', bookings: 4 }],
  };
  const lines = metricsCsv(report).trim().split('\r\n');
  assert.equal(lines.length, 5);
  assert.equal(lines[0], 'section,id,lens,period,by,by_value,by_2,by_value_2,value,unit,rows,excluded,by_3,by_value_3,by_4,by_value_4,counts');
  assert.equal(lines[2], "metric,bookings,salesops,,owner,'=evil(),,,4,currency,,,,,,,");
  assert.equal(lines[3], 'metric,win_rate,salesops,2024-01,,,,,0.5,ratio,,,,,,,');
  assert.equal(lines[4], "leaderboard,bookings,salesops,,owner,'@x,,,4,,,,,,,,");
});

test('a metric broken down by three or four keys keeps them all, and the counts behind its ratio', () => {
  const report = {
    metrics: [
      { id: 'stage_duration_days', lens: 'salesops', value: 12.5, unit: 'days', by: { outcome: 'won', stage: 'Qualification', stat: 'p75' } },
      { id: 'stage_duration_days', lens: 'salesops', value: 9, unit: 'days', by: { outcome: 'won', stage: 'Qualification', stat: 'median' } },
      { id: 'stage_conversion', lens: 'salesops', value: 0.5, unit: 'ratio', rows: 10, by: { from: 'Prospecting', method: 'inferred', owner: 'Ann', to: 'Closed Won' }, counts: { reached: 10, went_on: 5 } },
    ],
  };
  const lines = metricsCsv(report).trim().split('\r\n');
  assert.equal(lines[1], 'metric,stage_duration_days,salesops,,outcome,won,stage,Qualification,12.5,days,,,stat,p75,,,');
  assert.equal(lines[2], 'metric,stage_duration_days,salesops,,outcome,won,stage,Qualification,9,days,,,stat,median,,,');
  assert.equal(lines[3], 'metric,stage_conversion,salesops,,from,Prospecting,method,inferred,0.5,ratio,10,,owner,Ann,to,Closed Won,reached=10;went_on=5');
});
