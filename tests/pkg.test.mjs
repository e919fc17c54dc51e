// The npm package that wasm-pack builds (pkg/, --target web), loaded in Node through its own
// JS glue: the API as a JS caller sees it, and the same report as the native CLI.
// Needs pkg/ and target/release/revlens (scripts/test builds both first).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, revlensJson } from './support/revlens-cli.mjs';

const pkgDir = path.join(repoRoot, 'pkg');
const work = path.join(repoRoot, 'target', 'pkg-test');
let revlens;

const DEALS = [
  'Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date',
  'D-1,Acme renewal,Acme,Ann,Closed Won,1000,2024-01-05,2024-02-01',
  'D-2,Beta new,Beta,Bo,Closed Lost,500,2024-01-10,2024-03-01',
  'D-3,Gamma pilot,Gamma,Ann,Prospecting,700,2024-02-01,2024-06-30',
  'D-4,Delta,Delta,Bo,Closed Won,300,2024-02-11,2024-03-15',
  'D-5,"Epsilon, Inc.",Epsilon,Bo,Closed Won,lots,2024-02-12,2024-03-16',
  '',
].join('\n');
const LEADS = ['Lead ID,Email,Created Date,Lead Source,Status', 'L-1,a@example.com,2024-01-01,Web,Open', ''].join('\n');
const bytes = (text) => new TextEncoder().encode(text);

before(async () => {
  assert.ok(existsSync(path.join(pkgDir, 'revlens.js')), 'pkg/ is missing: run wasm-pack build --target web --out-dir pkg');
  revlens = await import(pathToFileURL(path.join(pkgDir, 'revlens.js')).href);
  revlens.initSync({ module: readFileSync(path.join(pkgDir, 'revlens_bg.wasm')) });
});

test('version is the crate version', () => {
  const cargoVersion = readFileSync(path.join(repoRoot, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(revlens.version(), cargoVersion);
});

test('detect takes a Uint8Array and returns a plain object', () => {
  const r = revlens.detect(bytes(DEALS), 'deals.csv');
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.equal(r.kind, 'deals');
  assert.equal(r.source, 'salesforce');
  assert.equal(r.rows_read, 5);
  assert.equal(r.rows_used, 4);
  assert.equal(r.rows_rejected, 1);
  assert.deepEqual(r.rejected[0].lines, [6]);
  assert.equal(r.columns.find((c) => c.header === 'Amount').field, 'amount');
});

test('analyze gives the same report as the CLI', () => {
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'deals.csv'), DEALS);
  writeFileSync(path.join(work, 'leads.csv'), LEADS);
  const fromWasm = revlens.analyze([
    { name: 'deals.csv', bytes: bytes(DEALS) },
    { name: 'leads.csv', bytes: bytes(LEADS) },
  ]);
  const fromCli = revlensJson(['report', path.join(work, 'deals.csv'), path.join(work, 'leads.csv')]);
  assert.deepEqual(JSON.parse(JSON.stringify(fromWasm)), fromCli);
});

test('errors are Error objects with a stable code', () => {
  const cases = [
    [() => revlens.detect(new Uint8Array(), 'empty.csv'), 'EMPTY_FILE'],
    [() => revlens.detect(bytes('foo,bar,baz\n'), 'junk.csv'), 'UNKNOWN_FILE_KIND'],
    [() => revlens.analyze([{ name: 'junk.csv', bytes: bytes('foo,bar\n1,2\n') }]), 'UNKNOWN_FILE_KIND'],
    [() => revlens.analyze([{ name: 'x.csv', bytes: DEALS }]), 'BAD_INPUT'],
    [() => revlens.analyze([{ bytes: bytes(DEALS) }]), 'BAD_INPUT'],
    [() => revlens.detect(bytes(DEALS), 'deals.csv', 'not options'), 'BAD_OPTIONS'],
  ];
  for (const [call, code] of cases) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof Error, `${code}: not an Error`);
      assert.equal(err.code, code);
      assert.ok(err.message.length > 10, `${code}: message "${err.message}"`);
      return true;
    });
  }
  // …and the module still works afterwards.
  assert.equal(revlens.detect(bytes(DEALS), 'deals.csv').rows_used, 4);
});
