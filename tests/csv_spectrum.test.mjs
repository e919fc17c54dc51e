// CSV conformance: every case of the npm package csv-spectrum, read by `revlens table --json`
// (encoding, delimiter and quote handling) and compared cell by cell with the package's JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { revlensJson } from './support/revlens-cli.mjs';

const spectrumDir = path.dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'));

// Where the package's expected JSON disagrees with its own CSV, the CSV bytes are the truth.
// location_coordinates.json gives the phone number 1234567890, but the CSV row holds
// 2095257564 (csv-spectrum 2.0.0); every other cell is compared as published.
const ERRATA = {
  location_coordinates: [{ row: 0, key: 'Contact Phone Number', value: '2095257564' }],
};

/** The package's JSON (an array of objects keyed by header, or one bare object) as rows of cells. */
function expectedTable(name) {
  let records = JSON.parse(readFileSync(path.join(spectrumDir, 'json', `${name}.json`), 'utf8'));
  if (!Array.isArray(records)) records = [records];
  records = records.map((r) => ({ ...r }));
  for (const { row, key, value } of ERRATA[name] ?? []) records[row][key] = value;
  const header = Object.keys(records[0]);
  return [header, ...records.map((r) => header.map((k) => r[k]))];
}

const cases = readdirSync(path.join(spectrumDir, 'csvs'))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => path.basename(f, '.csv'))
  .sort();

test('csv-spectrum has cases', () => {
  assert.ok(cases.length >= 12, `only ${cases.length} cases found in ${spectrumDir}`);
});

for (const name of cases) {
  test(`csv-spectrum: ${name}`, () => {
    const got = revlensJson(['table', path.join(spectrumDir, 'csvs', `${name}.csv`)]);
    assert.deepEqual(got, expectedTable(name));
  });
}
