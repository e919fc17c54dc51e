// CSV conformance against Papa Parse's own test cases: the cases are loaded at run time from
// node_modules/papaparse/tests/test-cases.js (the package ships them; no copy is kept here),
// each applicable input is read by `revlens table --json`, and its rows are compared with
// Papa Parse's expected rows.
//
// Selection rule (what "default parsing" means for revlens, which takes no parser options):
// the cases of the core parser and of Papa.parse that pass NO config at all, less the two
// whose input is the empty string (an empty file is no table: revlens has no rows to show
// and `report` says the file is empty). Cases that set any option (header, dynamicTyping,
// comments, skipEmptyLines, quoteChar, an explicit delimiter or newline…) ask Papa for
// something a default revlens read does not do, or pin what revlens detects: they are left
// out. Papa 5.7.1 has 74 config-free cases, so 72 are compared.
//
// One representation difference is normalised, not counted: Papa returns a blank line as a
// row of one empty cell (`[""]`), revlens skips blank lines and lists them in the file's
// report ("blank line", with its line number). Papa rows equal to `[""]` are dropped before
// comparing; a line of spaces is not blank for either and is compared as a row.
//
// Papa's `errors` are not compared: `table` is revlens's raw cell view. (Where Papa reports
// MissingQuotes, `revlens report` stops with an error naming the line and column.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { revlensJson } from './support/revlens-cli.mjs';

const papaDir = path.dirname(createRequire(import.meta.url).resolve('papaparse/package.json'));
const casesFile = path.join(papaDir, 'tests', 'test-cases.js');

/** CORE_PARSER_TESTS and PARSE_TESTS from Papa Parse's test file, run in a sandbox whose
 * mocha and chai are inert (only the case arrays are wanted). */
function loadPapaCases() {
  const inert = () => {};
  inert.skip = inert;
  inert.only = inert;
  const sandbox = {
    chai: { assert: {} },
    Papa: {},
    describe: inert,
    it: inert,
    before: inert,
    after: inert,
    beforeEach: inert,
    afterEach: inert,
  };
  vm.createContext(sandbox);
  const source = readFileSync(casesFile, 'utf8');
  vm.runInContext(`${source}\n;globalThis.__cases = { CORE_PARSER_TESTS, PARSE_TESTS };`, sandbox, {
    filename: casesFile,
  });
  const { CORE_PARSER_TESTS, PARSE_TESTS } = sandbox.__cases;
  // The sandbox's arrays have its own prototypes: copy what is compared into this realm.
  const own = (c, suite) => ({
    suite,
    description: c.description,
    input: c.input,
    options: c.config === undefined ? 0 : Object.keys(c.config).length,
    data: JSON.parse(JSON.stringify(c.expected.data)),
  });
  return [...CORE_PARSER_TESTS.map((c) => own(c, 'core')), ...PARSE_TESTS.map((c) => own(c, 'parse'))];
}

const applies = (c) => c.options === 0 && c.input !== '';
const isBlankRow = (row) => row.length === 1 && row[0] === '';

const allCases = loadPapaCases();
const cases = allCases.filter(applies);

// Where revlens deliberately reads differently from Papa Parse: the case's description and
// suite, what revlens gives, and why. The test fails when one of these starts to agree (the
// difference is gone: take it off the list) or when a case not listed here disagrees.
const EXPECTED_DIFFERENCES = [
  {
    suite: 'parse',
    description: 'Mixed slash n and slash r should choose first as precident',
    revlens: [
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
      ['g', 'h', 'i'],
    ],
    why:
      'every line break ends a record in revlens (\\n, \\r\\n and a lone \\r alike); Papa Parse takes the first kind ' +
      'it sees as the only one, so a later lone \\r stays inside a cell ("f\\rg") and the row has 5 cells instead of 3',
  },
];

const key = (c) => `${c.suite}: ${c.description}`;

function runRevlens(dir, c, i) {
  const file = path.join(dir, `case-${i}.csv`);
  writeFileSync(file, c.input, 'utf8');
  return revlensJson(['table', file]);
}

test('Papa Parse cases agree with revlens (count asserted, differences listed)', () => {
  assert.ok(allCases.length >= 150, `only ${allCases.length} cases found in ${casesFile}`);
  assert.equal(cases.length, 72, 'Papa Parse 5.7.1 has 72 config-free cases with input; the package changed');
  const dir = mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'papa-cases-'));
  const agree = [];
  const differ = [];
  try {
    cases.forEach((c, i) => {
      const want = c.data.filter((row) => !isBlankRow(row));
      const got = runRevlens(dir, c, i);
      try {
        assert.deepEqual(got, want);
        agree.push(key(c));
      } catch {
        differ.push({ key: key(c), input: c.input, papa: want, revlens: got });
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Papa Parse cases: revlens agrees on ${agree.length} of ${cases.length}`);
  for (const d of differ) {
    console.log(`  differs: ${d.key}\n    input  ${JSON.stringify(d.input)}\n    papa   ${JSON.stringify(d.papa)}\n    revlens ${JSON.stringify(d.revlens)}`);
  }
  const expected = EXPECTED_DIFFERENCES.map((d) => `${d.suite}: ${d.description}`);
  assert.deepEqual(
    differ.map((d) => d.key).sort(),
    [...expected].sort(),
    'the cases that differ are not the documented differences',
  );
  for (const d of EXPECTED_DIFFERENCES) {
    const found = differ.find((x) => x.key === `${d.suite}: ${d.description}`);
    assert.deepEqual(found.revlens, d.revlens, `${d.description}: revlens's reading changed`);
  }
  assert.equal(agree.length, cases.length - EXPECTED_DIFFERENCES.length);
  assert.ok(agree.length >= 70, `only ${agree.length} of ${cases.length} agree`);
});
